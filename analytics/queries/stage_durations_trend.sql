-- stage_durations_trend (metrics.md, Stage duration): one row per month
-- (period YYYYMM of the day the stint ended) x stage, for the stints of
-- opportunities in scope that ended in the stale window (stale_window_start,
-- as_of]: how many, median_days and p90_days (from a histogram of stint
-- lengths, duration_ended, see duration_quantiles). Is the process getting faster? (The scope is applied to
-- the classified state: no key ranking needed.)
WITH
{{ include opportunity_state }},
{{ include stage_stints }},

{{ include duration_ended }},

duration_histogram AS (
    SELECT period, stage, days, stints
    FROM duration_ended
),

{{ include duration_quantiles }},

final AS (
    SELECT
        period,
        stage,
        CAST(ended_stints AS BIGINT) AS ended_stints,
        CAST(median_days AS DOUBLE PRECISION) AS median_days,
        CAST(p90_days AS DOUBLE PRECISION) AS p90_days
    FROM duration_quantiles
)

SELECT *
FROM final
ORDER BY period, stage
