-- funnel_conversion (metrics.md, Funnel): one row per stage 0-4 for the cohort
-- of opportunities in scope created in [cohort_start, cohort_end]: reached,
-- reached_value and conversion, with the cohort's totals (won, lost,
-- terminated, closed and their values, win_rate_cohort, win_rate_closed) on
-- every row. An empty cohort still gives the five rows, with zeros.
WITH
{{ include opportunity_state }},
{{ include max_stage }},
{{ include funnel_cohort }},

funnel_segments AS (
    SELECT 'all' AS dimension, CAST(NULL AS VARCHAR) AS segment
),

segment_histogram AS (
    SELECT
        'all' AS dimension,
        CAST(NULL AS VARCHAR) AS segment,
        max_stage,
        COUNT(*) AS opportunities,
        SUM(annual_value) AS value,
        COUNT(*) FILTER (WHERE status = 'won') AS won,
        SUM(annual_value) FILTER (WHERE status = 'won') AS won_value,
        COUNT(*) FILTER (WHERE status = 'lost') AS lost,
        SUM(annual_value) FILTER (WHERE status = 'lost') AS lost_value,
        COUNT(*) FILTER (WHERE status = 'terminated') AS terminated,
        SUM(annual_value) FILTER (WHERE status = 'terminated') AS terminated_value
    FROM cohort
    GROUP BY max_stage
),

{{ include funnel_steps }},

final AS (
    SELECT
        stage,
        reached,
        reached_value,
        conversion,
        won,
        won_value,
        lost,
        lost_value,
        terminated,
        terminated_value,
        closed,
        closed_value,
        win_rate_cohort,
        win_rate_closed,
        CAST(:cohort_start AS DATE) AS cohort_start,
        CAST(:cohort_end AS DATE) AS cohort_end
    FROM funnel_steps
)

SELECT *
FROM final
ORDER BY stage
