-- workload_support_waiting (metrics.md, Workload and capability: support_open):
-- one row per support request (支撑需求) still open at as_of on an opportunity
-- in the viewer's scope and filters, with how many days it has waited; the
-- longest waits first. Grain: support request.
WITH
{{ include opportunity_state }},

final AS (
    SELECT
        s.request_id,
        s.type,
        s.requested_date,
        CAST(CAST(:as_of AS DATE) - s.requested_date AS INTEGER) AS waited_days,
        o.opportunity_id,
        o.name,
        o.customer_name,
        o.owner_id,
        o.owner_name,
        o.team,
        o.branch,
        o.status,
        o.stage,
        o.annual_value,
        o.is_key
    FROM stg_support_requests AS s
    INNER JOIN scoped_opportunities AS o ON o.opportunity_id = s.opportunity_id
    WHERE s.requested_date <= CAST(:as_of AS DATE)
        AND (s.resolved_date IS NULL OR s.resolved_date > CAST(:as_of AS DATE))
)

SELECT *
FROM final
ORDER BY waited_days DESC, request_id
