-- workload_key_deals (metrics.md, Classes: key; Problem opportunities; p(o)):
-- one row per open key opportunity in the viewer's scope and filters, with its
-- problem reasons, its win probability and expected value, and how many of its
-- support requests are still open at as_of: the deals a line manager sends
-- people and money to. Grain: opportunity.
WITH
{{ include problem_flags }},
{{ include win_rates_cached }},
{{ include win_probability }},

open_support AS (
    SELECT opportunity_id, COUNT(*) AS support_open
    FROM stg_support_requests
    WHERE requested_date <= CAST(:as_of AS DATE)
        AND (resolved_date IS NULL OR resolved_date > CAST(:as_of AS DATE))
    GROUP BY opportunity_id
),

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
        o.stage,
        o.opportunity_class,
        o.annual_value,
        o.expected_close_date,
        COALESCE(p.p_win, 0) AS p_win,
        COALESCE(p.p_win, 0) * o.annual_value AS expected_value,
        COALESCE(f.overdue, FALSE) AS overdue,
        COALESCE(f.stale, FALSE) AS stale,
        COALESCE(f.idle, FALSE) AS idle,
        COALESCE(f.abnormal, FALSE) AS abnormal,
        COALESCE(f.is_problem, FALSE) AS is_problem,
        COALESCE(f.slip_count, 0) AS slip_count,
        COALESCE(s.support_open, 0) AS support_open
    FROM scoped_opportunities AS o
    LEFT JOIN problem_flags AS f ON f.opportunity_id = o.opportunity_id
    LEFT JOIN open_probability AS p ON p.opportunity_id = o.opportunity_id
    LEFT JOIN open_support AS s ON s.opportunity_id = o.opportunity_id
    WHERE o.status = 'open' AND o.is_key
)

SELECT *
FROM final
ORDER BY annual_value DESC, opportunity_id
