-- stage_durations_trend (metrics.md, Stage duration): one row per month
-- (period YYYYMM of the day the stint ended) x stage, for the stints of
-- opportunities in scope that ended in (window_start, window_end]: how many,
-- median_days and p90_days. Is the process getting faster? (The scope is
-- applied to the classified state: no key ranking needed.)
WITH
{{ include opportunity_state }},
{{ include stage_stints }},

ended AS (
    SELECT
        s.stage,
        CAST(EXTRACT(YEAR FROM s.left_date) AS INTEGER) * 100
            + CAST(EXTRACT(MONTH FROM s.left_date) AS INTEGER) AS period,
        s.left_date - s.entered_date AS days
    FROM stints AS s
    INNER JOIN classified AS o ON o.opportunity_key = s.opportunity_key
    WHERE {{ scope o opportunity }}
        AND s.left_date > CAST(:window_start AS DATE)
        AND s.left_date <= CAST(:window_end AS DATE)
),

final AS (
    SELECT
        period,
        stage,
        CAST(COUNT(*) AS BIGINT) AS ended_stints,
        CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS DOUBLE PRECISION) AS median_days,
        CAST(percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS DOUBLE PRECISION) AS p90_days
    FROM ended
    GROUP BY period, stage
)

SELECT *
FROM final
ORDER BY period, stage
