-- fragment calibration_states (metrics.md, Year-end forecast, calibration): the
-- opportunity_state and scoped_opportunities CTEs p(o)'s fragments read, for ONE
-- backtest date bound as as_of, from cache_backtest_states (build_backtest_states.sql:
-- the state at each date with only the columns p(o), the class and the scope
-- read, built for all the backtest dates at once; analytics.derived.ensure_span)
-- in place of the opportunity_state fragment's full facts, which would be a full
-- build per date.  The CTEs stand for what that fragment and max_stage give
-- p(o)'s fragments (max_stage reads classified).
-- binds: as_of
classified AS NOT MATERIALIZED (
    SELECT
        o.*,
        {{ include opportunity_class }} AS opportunity_class
    FROM cache_backtest_states AS o
    WHERE o.as_of = CAST(:as_of AS DATE)
),

opportunity_state AS NOT MATERIALIZED (
    SELECT *
    FROM classified
),

scoped_opportunities AS NOT MATERIALIZED (
    SELECT *
    FROM opportunity_state AS o
    WHERE {{ scope o opportunity }}
)
