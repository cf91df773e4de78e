-- fragment stage_stints (metrics.md, Stage duration): one row per stint, a stay
-- in stage k from entering it to the next change of stage or status, using the
-- changes known on or before as_of; stage_thresholds gives each stage's median,
-- p90 and stale threshold (p90 of stints that ended in the window, at least
-- the configured minimum).
history_asof AS (
    SELECT
        opportunity_id,
        to_stage,
        to_status,
        changed_at,
        changed_date,
        LEAD(changed_date) OVER (
            PARTITION BY opportunity_id ORDER BY changed_at
        ) AS next_changed_date
    FROM stg_stage_history
    WHERE changed_date <= CAST(:as_of AS DATE)
),

stints AS (
    SELECT
        opportunity_id,
        to_stage AS stage,
        changed_date AS entered_date,
        next_changed_date AS left_date
    FROM history_asof
    WHERE to_status = 'open' AND to_stage IS NOT NULL
),

stage_thresholds AS (
    SELECT
        stage,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY left_date - entered_date) AS median_days,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY left_date - entered_date) AS p90_days,
        GREATEST(
            percentile_cont(0.9) WITHIN GROUP (ORDER BY left_date - entered_date),
            :stale_min_days
        ) AS stale_days
    FROM stints
    WHERE left_date IS NOT NULL AND left_date > CAST(:stale_window_start AS DATE)
    GROUP BY stage
),

current_stints AS (
    SELECT opportunity_id, stage, entered_date
    FROM stints
    WHERE left_date IS NULL
)
