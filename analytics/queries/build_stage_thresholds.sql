-- build_stage_thresholds (metrics.md, Stage duration): the rows of the derived
-- table cache_stage_thresholds for one as_of, one per stage: median and p90 days
-- of the company's stints that ended in the stale window (stale_window_start,
-- as_of], and how many. Company-wide, so a stage's stale threshold (its p90, at
-- least stale_min_days, applied by the stage_stints fragment) does not change
-- with who is looking. Needs cache_stage_stints.
SELECT
    CAST(:as_of AS DATE) AS as_of,
    stage,
    CAST(COUNT(*) AS BIGINT) AS ended_stints,
    CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY length_days) AS DOUBLE PRECISION)
        AS median_days,
    CAST(percentile_cont(0.9) WITHIN GROUP (ORDER BY length_days) AS DOUBLE PRECISION)
        AS p90_days
FROM cache_stage_stints
WHERE left_date > CAST(:stale_window_start AS DATE)
    AND left_date <= CAST(:as_of AS DATE)
GROUP BY stage
