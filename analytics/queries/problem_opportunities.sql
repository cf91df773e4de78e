-- problem_opportunities (metrics.md, Problem opportunities): one row per open
-- opportunity in scope that is overdue, stale, idle or abnormal, with the
-- reasons as booleans and how often its expected close date slipped before;
-- key ones first, then by value at risk; the first row_limit of them (all when
-- row_limit is NULL). The reasons are defined once, in the
-- problem_flags fragment (also behind the explorer's labels).
WITH
{{ include opportunity_state }},
{{ include stage_stints }},
{{ include stint_ages }},
{{ include problem_flags }},

final AS (
    SELECT
        opportunity_id,
        name,
        customer_name,
        owner_id,
        owner_name,
        team,
        branch,
        product,
        stage,
        annual_value,
        expected_close_date,
        opportunity_class,
        is_key,
        overdue,
        stint_age_days,
        stale_threshold_days,
        stale,
        idle,
        last_activity_date,
        abnormal,
        slip_count,
        industry,
        is_competitive
    FROM problem_flags
    WHERE is_problem
)

SELECT *
FROM final
ORDER BY is_key DESC, annual_value DESC, opportunity_id
LIMIT :row_limit
