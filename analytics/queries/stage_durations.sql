-- stage_durations (metrics.md, Stage duration): one row per stage 0-4 for the
-- opportunities in scope: median_days and p90_days over the stints that ended
-- in the stale window (stale_window_start, as_of], how many ended; the stage's
-- stale threshold stale_days (company-wide, see stint_ages); and the open
-- stints at as_of with their current ages (median, oldest) and how many are
-- stale. The ended stints' quantiles come from a histogram of their lengths
-- (duration_ended per month, summed over the window; duration_quantiles).
WITH
{{ include stint_ages }},

duration_stages AS (
    SELECT stage
    FROM generate_series(0, CAST(:won_stage AS INTEGER)) AS g (stage)
),

{{ include duration_ended }},

duration_histogram AS (
    SELECT
        0 AS period,
        stage,
        days,
        SUM(stints) AS stints
    FROM duration_ended
    GROUP BY stage, days
),

{{ include duration_quantiles }},

open_now AS (
    SELECT
        stage,
        COUNT(*) AS open_stints,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY stint_age_days) AS open_median_age_days,
        MAX(stint_age_days) AS open_max_age_days,
        COUNT(*) FILTER (WHERE stale) AS stale_count
    FROM stint_ages
    GROUP BY stage
),

final AS (
    SELECT
        d.stage,
        CAST(COALESCE(e.ended_stints, 0) AS BIGINT) AS ended_stints,
        CAST(e.median_days AS DOUBLE PRECISION) AS median_days,
        CAST(e.p90_days AS DOUBLE PRECISION) AS p90_days,
        CAST(COALESCE(th.stale_days, :stale_min_days) AS DOUBLE PRECISION) AS stale_days,
        CAST(COALESCE(n.open_stints, 0) AS BIGINT) AS open_stints,
        CAST(n.open_median_age_days AS DOUBLE PRECISION) AS open_median_age_days,
        CAST(n.open_max_age_days AS BIGINT) AS open_max_age_days,
        CAST(COALESCE(n.stale_count, 0) AS BIGINT) AS stale_count
    FROM duration_stages AS d
    LEFT JOIN duration_quantiles AS e ON e.stage = d.stage
    LEFT JOIN stage_thresholds AS th ON th.stage = d.stage
    LEFT JOIN open_now AS n ON n.stage = d.stage
)

SELECT *
FROM final
ORDER BY stage
