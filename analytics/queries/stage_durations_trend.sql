-- stage_durations_trend (metrics.md, Stage duration): one row per month
-- (period YYYYMM of the day the stint ended) x stage, for the stints of
-- opportunities in scope that ended in the stale window (stale_window_start,
-- as_of]: how many, median_days and p90_days (from a histogram of stint
-- lengths, see duration_quantiles). Is the process getting faster? (The scope is applied to
-- the classified state: no key ranking needed.)
WITH
{{ include opportunity_state }},
{{ include stage_stints }},

duration_histogram AS (
    SELECT
        s.left_period AS period,
        s.stage,
        s.length_days AS days,
        COUNT(*) AS stints
    FROM stints AS s
    INNER JOIN classified AS o ON o.opportunity_key = s.opportunity_key
    WHERE {{ scope o opportunity }}
        AND s.left_date > CAST(:stale_window_start AS DATE)
        AND s.left_date <= CAST(:as_of AS DATE)
    GROUP BY s.left_period, s.stage, s.length_days
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
