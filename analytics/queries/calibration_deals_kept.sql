-- calibration_deals_kept (metrics.md, Year-end forecast, calibration): how many
-- distinct deals the backtest scored over all its dates for the viewer's scope
-- and branch, team or owner filter, from cache_calibration_deals
-- (build_calibration_deals.sql, built at load for the newest snapshot: each
-- deal scored at each backtest date with its keys then and at as_of): a deal
-- counts once when it was in scope at some backtest date and at as_of, as in
-- calibration_deals.sql, which answers a filter on single deals
-- (analytics/forecast/calibration.py routes).
WITH
kept AS (
    SELECT *
    FROM cache_calibration_deals
    WHERE as_of = CAST(:as_of AS DATE)
),

in_scope_then AS (
    SELECT
        s.opportunity_id,
        s.outcome_branch AS branch,
        s.outcome_team AS team,
        s.outcome_owner_id AS owner_id
    FROM kept AS s
    WHERE {{ scope s opportunity }}
),

final AS (
    SELECT COUNT(DISTINCT n.opportunity_id) AS deals
    FROM in_scope_then AS n
    WHERE {{ scope n opportunity }}
)

SELECT *
FROM final
