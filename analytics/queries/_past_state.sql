-- fragment past_state (metrics.md, Year-end forecast, frozen forecast): the CTEs of
-- the opportunity_state fragment (classified, opportunity_state, scoped_opportunities)
-- at a past snapshot date bound as as_of, read from cache_backtest_states
-- (build_backtest_states.sql: the state at each snapshot date with the columns p(o),
-- the class and the scope read, and the facts' known_max_stage and
-- known_stint_entered_date defined alike; built at load, each date kept by its
-- inputs) instead of the full opportunity facts (build_opportunity_facts.sql),
-- whose build for every past date the frozen forecast of a past snapshot paid for
-- a handful of columns (10-25 s a date at 1,000,000 opportunities).  The expected
-- close date, which the states do not keep, comes from the snapshot in force
-- (scoped_opportunities: the forecast's deals read it, the rates do not).
-- analytics/forecast/freeze.py includes it in place of opportunity_state (the
-- queries' swap); the columns only the full facts hold (is_key, known_slip_count,
-- ...) are not here, and the frozen forecast reads none.  (A derived table's name
-- anywhere in a query, comments too, has it built: the facts' own is not written here.)
-- binds: as_of
past_snapshot AS (
    SELECT MAX(snapshot_date) AS snapshot_date
    FROM stg_snapshots
    WHERE snapshot_date <= CAST(:as_of AS DATE)
),

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

-- Only the forecast's deals read the close date: the rates read opportunity_state.
scoped_opportunities AS NOT MATERIALIZED (
    SELECT
        o.*,
        s.expected_close_date
    FROM opportunity_state AS o
    INNER JOIN stg_opportunity_snapshot AS s ON s.opportunity_id = o.opportunity_id
    INNER JOIN past_snapshot AS p ON p.snapshot_date = s.snapshot_date
    WHERE {{ scope o opportunity }}
)
