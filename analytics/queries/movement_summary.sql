-- movement_summary (metrics.md, Week-over-week movement): the open-pipeline
-- waterfall from snapshot A to snapshot B (start, new, reopened, increase,
-- decrease, won, lost, terminated, removed, end; count and integer fen) and the
-- count of every label, for the viewer's scope and filters as a whole and per
-- team (branch + team), per owner and per product. Grain: one row per group of
-- grouping_set ('total' | 'team' | 'owner' | 'product'). The deals are summed
-- once, per owner, product, waterfall part and new-or-not, with few sums
-- (movement_counts); the owner's branch, team and name are joined from the org
-- to those few rows (the same join that gives a snapshot row its branch and
-- team), which are materialised (each grouping set would otherwise read the
-- deals again) and rolled up.
-- A deal closed in both snapshots has no part and no label and adds to no sum: it is
-- left out before the deals are summed (at a million opportunities, nine in ten of
-- them), so an owner, team or product with nothing open in A or B and nothing
-- labelled has no row of its own (it had one of zeros).
-- Scope and filters are applied to the snapshot each deal is attributed to:
-- B's row, or A's for a deal B no longer holds (see _movement_sides.sql), so a
-- deal that changed owner, team or product between A and B is counted whole
-- under its B owner / team / product.
WITH
{{ include movement_cached }},

fine AS MATERIALIZED (
    SELECT
        c.*,
        s.branch,
        s.team,
        s.name AS owner_name
    FROM (
        SELECT
            m.owner_id,
            m.product,
            m.waterfall_part,
            m.is_new,
            {{ include movement_counts }}
        FROM scoped_movements AS m
        WHERE m.waterfall_part IS NOT NULL OR m.is_labelled
        GROUP BY m.owner_id, m.product, m.waterfall_part, m.is_new
    ) AS c
    LEFT JOIN stg_org AS s ON s.staff_id = c.owner_id
),

grouped AS (
    SELECT
        CASE
            WHEN GROUPING(f.team) = 0 THEN 'team'
            WHEN GROUPING(f.owner_id) = 0 THEN 'owner'
            WHEN GROUPING(f.product) = 0 THEN 'product'
            ELSE 'total'
        END AS grouping_set,
        f.branch,
        f.team,
        f.owner_id,
        MAX(f.owner_name) AS owner_name,
        f.product,
        {{ include movement_waterfall }}
    FROM fine AS f
    GROUP BY GROUPING SETS ((), (f.branch, f.team), (f.owner_id), (f.product))
)

SELECT *
FROM grouped
ORDER BY grouping_set, branch, team, owner_id, product
