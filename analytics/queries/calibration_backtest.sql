-- calibration_backtest (metrics.md, Year-end forecast, calibration): for ONE
-- backtest date, bound as as_of so that p(o) is exactly what the forecast
-- computed then (win_probability at that date: only history known then), the
-- deals open then in scope that closed within probability_horizon_days after it
-- (the outcome p(o)'s cohorts count: win_rates), as known at :outcome_as_of
-- (closed by then, and in scope then too; the caller picks dates at least the
-- horizon before it, so every such outcome is known), summed per model (calibrated p_win,
-- stage_only stage_rate) and reliability bucket (:buckets of equal width over
-- [0, 1]): predictions, sum of p, wins, sum of (p - won)^2.  The Brier scores,
-- reliability and per-date figures are ratios of these sums, so a backtest
-- returns a few rows per date instead of one per deal (analytics/forecast/calibration.py).
-- Both sides read cache_backtest_states (build_backtest_states.sql): the state
-- at each date with only the columns p(o), the class and the scope read, built
-- for all the dates at once (at load time for the newest snapshot's backtest;
-- analytics.derived.ensure_span), in place of the opportunity_state fragment's
-- table of full facts, which would be a full build per date.  The CTEs below
-- stand for what that fragment and max_stage give p(o)'s fragments.  (A
-- derived table's name anywhere in this file, comments too, has it built.)
WITH
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
),

{{ include max_stage }},
{{ include win_rates }},
{{ include win_probability }},

outcome_state AS (
    SELECT
        o.opportunity_id,
        o.status,
        o.branch,
        o.team,
        o.owner_id,
        o.product,
        o.industry,
        o.business_type,
        o.origin,
        o.campaign,
        o.created_date,
        o.closed_date,
        {{ include opportunity_class }} AS opportunity_class
    FROM cache_backtest_states AS o
    WHERE o.as_of = CAST(:outcome_as_of AS DATE)
),

outcomes AS (
    SELECT
        s.opportunity_id,
        CASE WHEN s.status = 'won' THEN 1 ELSE 0 END AS won
    FROM outcome_state AS s
    WHERE s.status IN ('won', 'lost', 'terminated')
        AND s.closed_date <= CAST(:as_of AS DATE) + CAST(:probability_horizon_days AS INTEGER)
        AND {{ scope s opportunity }}
),

scored AS (
    SELECT 'calibrated' AS model, p.p_win AS p, w.won
    FROM open_probability AS p
    INNER JOIN outcomes AS w ON w.opportunity_id = p.opportunity_id
    UNION ALL
    SELECT 'stage_only' AS model, p.stage_rate AS p, w.won
    FROM open_probability AS p
    INNER JOIN outcomes AS w ON w.opportunity_id = p.opportunity_id
),

bucketed AS (
    SELECT
        model,
        LEAST(CAST(FLOOR(p * :buckets) AS INTEGER), CAST(:buckets AS INTEGER) - 1) AS bucket,
        p,
        won
    FROM scored
),

final AS (
    SELECT
        model,
        bucket,
        COUNT(*) AS predictions,
        SUM(p) AS p_sum,
        SUM(won) AS wins,
        SUM((p - won) * (p - won)) AS squared_error_sum
    FROM bucketed
    GROUP BY model, bucket
)

SELECT *
FROM final
ORDER BY model, bucket
