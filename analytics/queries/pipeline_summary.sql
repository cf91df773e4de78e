-- pipeline_summary: one row for the viewer's scope at as_of: open pipeline
-- (count, value), key opportunities open, and the trailing-window win rate
-- (won / closed among opportunities closed in the window T, metrics.md
-- Workload and capability, at the level of the whole scope).
WITH
{{ include opportunity_state }},

final AS (
    SELECT
        COUNT(*) FILTER (WHERE status = 'open') AS open_count,
        COALESCE(SUM(annual_value) FILTER (WHERE status = 'open'), 0) AS open_value,
        COUNT(*) FILTER (WHERE status = 'open' AND is_key) AS key_open_count,
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
    open_count,
    open_value,
    key_open_count,
    won_count,
    closed_count,
    CAST(won_count AS DOUBLE PRECISION) / NULLIF(closed_count, 0) AS win_rate
FROM final
