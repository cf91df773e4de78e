-- movement_summary (metrics.md, Week-over-week movement): the open-pipeline
-- waterfall from snapshot A to snapshot B (start, new, reopened, increase,
-- decrease, won, lost, terminated, removed, end; count and integer fen) and the
-- count of every label, for the viewer's scope and filters as a whole and per
-- team (branch + team), per owner and per product. Grain: one row per group of
-- grouping_set ('total' | 'team' | 'owner' | 'product').
-- Scope and filters are applied to the snapshot each deal is attributed to:
-- B's row, or A's for a deal B no longer holds (see _movement_sides.sql), so a
-- deal that changed owner, team or product between A and B is counted whole
-- under its B owner / team / product.
WITH
{{ include movement_sides }},
{{ include movement_labels }},

grouped AS (
    SELECT
        CASE
            WHEN GROUPING(m.team) = 0 THEN 'team'
            WHEN GROUPING(m.owner_id) = 0 THEN 'owner'
            WHEN GROUPING(m.product) = 0 THEN 'product'
            ELSE 'total'
        END AS grouping_set,
        m.branch,
        m.team,
        m.owner_id,
        MAX(m.owner_name) AS owner_name,
        m.product,
        {{ include movement_waterfall }}
    FROM scoped_movements AS m
    GROUP BY GROUPING SETS ((), (m.branch, m.team), (m.owner_id), (m.product))
)

SELECT *
FROM grouped
ORDER BY grouping_set, branch, team, owner_id, product
