-- fragment calibration_scored (metrics.md, Year-end forecast, calibration): the
-- backtest's predictions of the calibration_predictions CTE before it (computed
-- at a backtest date by the fragment of that name, or read back from the
-- kept deals by build_calibration_sums.sql) one row per model
-- (calibrated p_win, stage_only stage_rate) with its reliability bucket
-- (:calibration_buckets of equal width over [0, 1]), so the live backtest and
-- the kept sums bucket alike.
-- binds: calibration_buckets
calibration_paired AS (
    SELECT
        'calibrated' AS model, backtest_date, opportunity_id, p_win AS p, won,
        branch, team, owner_id, outcome_branch, outcome_team, outcome_owner_id
    FROM calibration_predictions
    UNION ALL
    SELECT
        'stage_only' AS model, backtest_date, opportunity_id, stage_rate AS p, won,
        branch, team, owner_id, outcome_branch, outcome_team, outcome_owner_id
    FROM calibration_predictions
),

calibration_scored AS (
    SELECT
        model,
        backtest_date,
        opportunity_id,
        LEAST(
            CAST(FLOOR(p * :calibration_buckets) AS INTEGER), CAST(:calibration_buckets AS INTEGER) - 1
        ) AS bucket,
        p,
        won,
        branch,
        team,
        owner_id,
        outcome_branch,
        outcome_team,
        outcome_owner_id
    FROM calibration_paired
)
