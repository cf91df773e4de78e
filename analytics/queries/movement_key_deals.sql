-- movement_key_deals (metrics.md, Week-over-week movement: key opportunities'
-- movements one by one; Classes: key): every key opportunity open in A or in B
-- (key as decided at that snapshot) in the viewer's scope and filters, with its
-- labels, A beside B, the close-date slips known at B (A for a deal B no longer
-- holds), its latest activity and its support requests still open on B's date.
-- A key deal that slipped or regressed comes first (highlighted), then by value;
-- paged with :page_rows and :page_offset, key_deals = how many there are in all.
-- Grain: opportunity.
WITH
{{ include movement_cached }},

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
),

page AS (
    SELECT
        k.*,
        COUNT(*) OVER () AS key_deals
    FROM key_deals AS k
    ORDER BY k.highlighted DESC, COALESCE(k.value_b_fen, k.value_a_fen) DESC, k.opportunity_id
    LIMIT :page_rows OFFSET :page_offset
)

SELECT
    m.opportunity_id,
    m.name,
    m.customer_name,
    m.highlighted,
    {{ include movement_label_text }} AS labels,
    m.waterfall_part,
    m.branch,
    m.team,
    m.owner_id,
    m.owner_name,
    m.product,
    m.status_a,
    m.status_b,
    m.stage_a,
    m.stage_b,
    m.value_a_fen,
    m.value_b_fen,
    m.close_a,
    m.close_b,
    m.slip_count,
    m.last_activity_date,
    COALESCE(s.support_open, 0) AS support_open,
    m.key_deals
FROM page AS m
LEFT JOIN open_support AS s ON s.opportunity_id = m.opportunity_id
ORDER BY m.highlighted DESC, COALESCE(m.value_b_fen, m.value_a_fen) DESC, m.opportunity_id
