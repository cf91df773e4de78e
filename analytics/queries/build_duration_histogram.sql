-- build_duration_histogram (metrics.md, Stage duration): the rows of the derived
-- table cache_duration_histogram for one as_of: the duration_ended fragment for
-- the whole company (every opportunity of the as_of's snapshot), per month the
-- stint ended x stage x whole-day length, how many stints ended in the stale
-- window (stale_window_start, as_of]. A stint left by as_of was entered by it,
-- so cache_stage_stints' rows serve as they are. Needs cache_stage_stints and
-- cache_opportunity_facts.
-- binds: as_of
WITH
stints AS (
    SELECT opportunity_key, stage, left_date, length_days, left_period
    FROM cache_stage_stints
),

classified AS (
    SELECT opportunity_key
    FROM cache_opportunity_facts
    WHERE as_of = CAST(:as_of AS DATE)
),

{{ include duration_ended }}

SELECT
    CAST(:as_of AS DATE) AS as_of,
    CAST(period AS INTEGER) AS period,
    CAST(stage AS SMALLINT) AS stage,
    CAST(days AS INTEGER) AS days,
    CAST(stints AS BIGINT) AS stints
FROM duration_ended
