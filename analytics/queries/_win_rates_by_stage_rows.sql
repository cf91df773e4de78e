-- fragment win_rates_by_stage_rows (metrics.md, Year-end forecast, p(o)): the CTE
-- final, one row per stage 0..won_stage with its closed deals, wins and stage rate
-- (0 closed / 0 won where no closed deal reached it; no rate then) and the median
-- cycle time of the wins.  Written once for the from-scratch rows
-- (win_rates_by_stage) and the rows read from the kept rate tables
-- (win_rates_by_stage_kept), which the tests compare.
-- Reads the CTEs stage_levels, stage_rates and cycle of the query that includes it.
final AS (
    SELECT
        k.stage,
        COALESCE(r.stage_closed, 0) AS stage_closed,
        COALESCE(r.stage_won, 0) AS stage_won,
        r.stage_rate,
        c.median_cycle_days
    FROM stage_levels AS k
    LEFT JOIN stage_rates AS r ON r.stage = k.stage
    CROSS JOIN cycle AS c
)
