-- forecast_outcomes (metrics.md, Year-end forecast, calibration): one row per
-- opportunity in scope that is closed at as_of, with won = 1 or 0 (lost and
-- terminated both count as not won): what later happened to the deals whose
-- probabilities the backtest scores.
WITH
{{ include opportunity_state }},

final AS (
    SELECT
        opportunity_id,
        status,
        closed_date,
        CASE WHEN status = 'won' THEN 1 ELSE 0 END AS won
    FROM scoped_opportunities
    WHERE status IN ('won', 'lost', 'terminated')
)

SELECT *
FROM final
ORDER BY opportunity_id
