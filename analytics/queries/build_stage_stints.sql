-- build_stage_stints (metrics.md, Stage duration): the rows of the derived table
-- cache_stage_stints, one per stint of the whole stage history: a stay in stage k
-- from the change that entered it to the next change of stage or status of the
-- same opportunity (left_date NULL while none follows); its length_days (whole
-- days from entering to leaving) and left_period (YYYYMM of leaving), both NULL
-- while it is not left, are stored so that duration queries group on plain
-- integers. opportunity_key is a
-- number standing for opportunity_id in this build (cache_opportunity_facts
-- carries it too): joining on it is several times faster than on the text id.
-- Rows are stored in leaving order, so a window of leaving dates reads few
-- blocks. Built by analytics/derived.py; the stage_stints fragment reads it.
WITH
history AS (
    SELECT
        opportunity_id,
        to_stage,
        to_status,
        changed_date,
        LEAD(changed_date) OVER (
            PARTITION BY opportunity_id ORDER BY changed_at
        ) AS next_changed_date
    FROM stg_stage_history
)

SELECT
    opportunity_id,
    DENSE_RANK() OVER (ORDER BY opportunity_id) AS opportunity_key,
    to_stage AS stage,
    changed_date AS entered_date,
    next_changed_date AS left_date,
    CAST(next_changed_date - changed_date AS INTEGER) AS length_days,
    CAST(EXTRACT(YEAR FROM next_changed_date) AS INTEGER) * 100
        + CAST(EXTRACT(MONTH FROM next_changed_date) AS INTEGER) AS left_period
FROM history
WHERE to_status = 'open' AND to_stage IS NOT NULL
ORDER BY left_date, opportunity_key
