-- movement_key_deals (metrics.md, Week-over-week movement: key opportunities'
-- movements one by one; Classes: key): every key opportunity open in A or in B
-- (key as decided at that snapshot) in the viewer's scope and filters, with its
-- labels, A beside B, the close-date slips known at B (A for a deal B no longer
-- holds), its latest activity and its support requests still open on B's date.
-- A key deal that slipped or regressed comes first (highlighted), then by value.
-- Grain: opportunity.
WITH
{{ include movement_sides }},
{{ include movement_labels }},

open_support AS (
    SELECT opportunity_id, COUNT(*) AS support_open
    FROM stg_support_requests
    WHERE requested_date <= CAST(:snapshot_b AS DATE)
        AND (resolved_date IS NULL OR resolved_date > CAST(:snapshot_b AS DATE))
    GROUP BY opportunity_id
),

key_deals AS (
    SELECT
        m.*,
        (m.is_slipped OR m.is_regressed) AS highlighted
    FROM scoped_movements AS m
    WHERE (m.open_a AND m.key_a) OR (m.open_b AND m.key_b)
)

SELECT
    k.opportunity_id,
    k.name,
    k.customer_name,
    k.highlighted,
    k.labels,
    k.waterfall_part,
    k.branch,
    k.team,
    k.owner_id,
    k.owner_name,
    k.product,
    k.status_a,
    k.status_b,
    k.stage_a,
    k.stage_b,
    k.value_a_fen,
    k.value_b_fen,
    k.close_a,
    k.close_b,
    k.slip_count,
    k.last_activity_date,
    COALESCE(s.support_open, 0) AS support_open
FROM key_deals AS k
LEFT JOIN open_support AS s ON s.opportunity_id = k.opportunity_id
ORDER BY k.highlighted DESC, COALESCE(k.value_b_fen, k.value_a_fen) DESC, k.opportunity_id
