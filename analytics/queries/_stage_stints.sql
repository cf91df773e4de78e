-- fragment stage_stints (metrics.md, Stage duration): one row per stint, a stay
-- in stage k from entering it to the next change of stage or status, using the
-- changes known on or before as_of (the derived table cache_stage_stints holds
-- every stint of the whole history; a stint entered by as_of whose leaving came
-- later is still open at as_of; length_days and left_period are those of the
-- stints left by as_of); stage_thresholds gives each stage's median,
-- p90 and stale threshold (stale_p90_factor × the p90 of the company's stints
-- that ended in the stale window, at least the configured minimum; cache_stage_thresholds, built by
-- build_stage_thresholds.sql).
-- binds: as_of, stale_min_days, stale_p90_factor
stints AS (
    SELECT
        opportunity_id,
        opportunity_key,
        stage,
        entered_date,
        CASE WHEN left_date <= CAST(:as_of AS DATE) THEN left_date END AS left_date,
        CASE WHEN left_date <= CAST(:as_of AS DATE) THEN length_days END AS length_days,
        CASE WHEN left_date <= CAST(:as_of AS DATE) THEN left_period END AS left_period
    FROM cache_stage_stints
    WHERE entered_date <= CAST(:as_of AS DATE)
),

stage_thresholds AS (
    SELECT
        stage,
        median_days,
        p90_days,
        GREATEST(p90_days * :stale_p90_factor, :stale_min_days) AS stale_days
    FROM cache_stage_thresholds
    WHERE as_of = CAST(:as_of AS DATE)
)
