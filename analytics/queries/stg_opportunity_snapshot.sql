-- stg_opportunity_snapshot: one row per snapshot date × opportunity, with the
-- owner's current team and branch from the org hierarchy (the scope columns).
SELECT
    o.snapshot_date,
    o.opportunity_id,
    o.name,
    o.customer_id,
    o.customer_name,
    o.customer_tier,
    o.industry,
    o.product,
    o.business_type,
    o.origin,
    o.campaign,
    o.owner_id,
    s.name AS owner_name,
    s.team,
    s.branch,
    o.stage,
    o.status,
    CAST(o.annual_value AS DOUBLE PRECISION) AS annual_value,
    o.expected_close_date,
    o.created_date,
    o.closed_date,
    o.competitor,
    o.user_count,
    o.demonstration,
    o.influence,
    o.key_flag,
    o.abnormal,
    o.presales_id
FROM opportunity_snapshot AS o
LEFT JOIN org AS s ON s.staff_id = o.owner_id
