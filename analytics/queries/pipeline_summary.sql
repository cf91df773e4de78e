-- pipeline_summary: one row for the viewer's scope at as_of: open pipeline
-- (count, value), key opportunities open, and the trailing-window win rate
-- (won / closed among opportunities closed in the window T, metrics.md
-- Workload and capability, at the level of the whole scope). The open figures
-- are summed over the open deals built at load (open_deals_cached: the open
-- deals in scope, key label decided company-wide), the closed ones over the
-- state, whose key label is then never computed.
WITH
{{ include opportunity_state }},
{{ include open_deals_cached }},

open_figures AS (
    SELECT
        COUNT(*) AS open_count,
        COALESCE(SUM(annual_value), 0) AS open_value,
        COUNT(*) FILTER (WHERE is_key) AS key_open_count
    FROM open_deals
),

closed_figures AS (
    SELECT
        COUNT(*) FILTER (
            WHERE status = 'won' AND closed_date > CAST(:trailing_start AS DATE)
        ) AS won_count,
        COUNT(*) FILTER (
            WHERE status IN ('won', 'lost', 'terminated')
                AND closed_date > CAST(:trailing_start AS DATE)
        ) AS closed_count
    FROM scoped_opportunities
)

SELECT
    o.open_count,
    o.open_value,
    o.key_open_count,
    c.won_count,
    c.closed_count,
    CAST(c.won_count AS DOUBLE PRECISION) / NULLIF(c.closed_count, 0) AS win_rate
FROM open_figures AS o
CROSS JOIN closed_figures AS c
