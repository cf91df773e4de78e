-- calibration_sums (metrics.md, Year-end forecast, calibration): the backtest's
-- sums per backtest date, model (calibrated, stage_only) and reliability
-- bucket for the viewer's scope and branch, team or owner filter, read from
-- cache_calibration_sums (build_calibration_sums.sql: the company's backtest
-- summed per the deal's branch, team and account manager at the backtest date
-- and at as_of, built at load for the newest snapshot): a deal counts where it
-- was in scope at the backtest date and at as_of, as in calibration_backtest.sql.
-- Any other filter applies to single deals: analytics/forecast/calibration.py
-- sends those to calibration_backtest, and the scope tags here name the
-- opportunity's columns, so a question sent here by mistake fails rather than
-- being answered unfiltered.
-- Grain: backtest date x model x bucket.
WITH
kept AS (
    SELECT *
    FROM cache_calibration_sums
    WHERE as_of = CAST(:as_of AS DATE)
),

in_scope_then AS (
    SELECT
        s.backtest_date,
        s.model,
        s.bucket,
        s.outcome_branch AS branch,
        s.outcome_team AS team,
        s.outcome_owner_id AS owner_id,
        s.predictions,
        s.p_sum,
        s.wins,
        s.squared_error_sum
    FROM kept AS s
    WHERE {{ scope s opportunity }}
),

in_scope_both AS (
    SELECT *
    FROM in_scope_then AS n
    WHERE {{ scope n opportunity }}
),

final AS (
    SELECT
        backtest_date AS as_of_date,
        model,
        bucket,
        CAST(SUM(predictions) AS BIGINT) AS predictions,
        SUM(p_sum) AS p_sum,
        CAST(SUM(wins) AS BIGINT) AS wins,
        SUM(squared_error_sum) AS squared_error_sum
    FROM in_scope_both
    GROUP BY backtest_date, model, bucket
)

SELECT *
FROM final
ORDER BY as_of_date, model, bucket
