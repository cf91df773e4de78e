-- opportunity_list (metrics.md, Classes, Stage reached, Problem opportunities):
-- one row per opportunity in scope at as_of (open and closed) with its class,
-- management labels, problem reasons (open ones only), slip_count, max_stage,
-- owner, stage, value and dates: the explorer's table and the head of an
-- opportunity's story (pass opportunity_id to get one row, or none when it is
-- not in scope).
WITH
{{ include opportunity_state }},
{{ include stage_stints }},
{{ include stint_ages }},
{{ include problem_flags }},
{{ include max_stage }},

final AS (
    SELECT
        o.opportunity_id,
        o.name,
        o.customer_name,
        o.owner_id,
        o.owner_name,
        o.team,
        o.branch,
        o.product,
        o.industry,
        o.business_type,
        o.origin,
        o.campaign,
        o.status,
        o.stage,
        o.annual_value,
        o.created_date,
        o.expected_close_date,
        o.closed_date,
        o.competitor,
        o.opportunity_class,
        o.is_key,
        o.is_competitive,
        o.is_terminated,
        o.is_abnormal,
        COALESCE(f.overdue, FALSE) AS overdue,
        f.stint_age_days,
        f.stale_threshold_days,
        COALESCE(f.stale, FALSE) AS stale,
        COALESCE(f.idle, FALSE) AS idle,
        la.last_activity_date,
        COALESCE(f.abnormal, FALSE) AS abnormal,
        COALESCE(sl.slip_count, 0) AS slip_count,
        COALESCE(f.is_problem, FALSE) AS is_problem,
        m.max_stage
    FROM scoped_opportunities AS o
    LEFT JOIN problem_flags AS f ON f.opportunity_id = o.opportunity_id
    LEFT JOIN last_activity AS la ON la.opportunity_id = o.opportunity_id
    LEFT JOIN slips AS sl ON sl.opportunity_id = o.opportunity_id
    LEFT JOIN max_stage AS m ON m.opportunity_id = o.opportunity_id
    WHERE CAST(:opportunity_id AS VARCHAR) IS NULL
        OR o.opportunity_id = CAST(:opportunity_id AS VARCHAR)
)

SELECT *
FROM final
ORDER BY is_key DESC, annual_value DESC, opportunity_id
