-- calibration_backtest (metrics.md, Year-end forecast, calibration): for ONE
-- backtest date, bound as as_of, the backtest of the calibration_predictions
-- fragment, bucketed per model by calibration_scored (p(o) as the forecast computed it then, for the deals open then in scope that
-- closed within probability_horizon_days after it, as known at :outcome_as_of)
-- summed per model (calibrated p_win, stage_only stage_rate) and reliability
-- bucket: predictions, sum of p, wins, sum of (p - won)^2.  The Brier scores,
-- reliability and per-date figures are ratios of these sums, so a backtest
-- returns a few rows per date instead of one per deal (analytics/forecast/calibration.py).
-- The page reads these sums kept at load per scope key (calibration_sums.sql);
-- this live query answers a filter on single deals (product, class, created period...).
-- (A derived table's name anywhere in this file, comments too, has it built.)
WITH
{{ include calibration_predictions }},
{{ include calibration_scored }},

final AS (
    SELECT
        model,
        bucket,
        COUNT(*) AS predictions,
        SUM(p) AS p_sum,
        SUM(won) AS wins,
        SUM((p - won) * (p - won)) AS squared_error_sum
    FROM calibration_scored
    GROUP BY model, bucket
)

SELECT *
FROM final
ORDER BY model, bucket
