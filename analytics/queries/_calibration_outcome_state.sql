-- fragment calibration_outcome_state (metrics.md, Year-end forecast, calibration):
-- every deal's state at :outcome_as_of, the date the backtest's outcomes are
-- known at, from cache_backtest_states (built for that date with the backtest
-- dates: analytics.derived.ensure_span), with its class (the states hold only
-- the columns p(o), the class, the scope and the filters read).  Written once
-- for the per-date predictions (calibration_predictions) and the distinct deal
-- count (calibration_deals).
-- binds: outcome_as_of
calibration_outcome_state AS (
    SELECT
        o.*,
        {{ include opportunity_class }} AS opportunity_class
    FROM cache_backtest_states AS o
    WHERE o.as_of = CAST(:outcome_as_of AS DATE)
)
