-- build_calibration_sums (metrics.md, Year-end forecast, calibration): fills
-- cache_calibration_sums for as_of from the deals the backtest scored
-- (cache_calibration_deals, built first: p(o) at each backtest date), bucketed
-- per model by the calibration_scored fragment and summed per backtest date,
-- model, reliability bucket and the deal's branch, team and account manager at
-- the backtest date and at as_of.  A scope (checked at both dates) or a branch,
-- team or owner filter is a filter and a sum over these rows
-- (calibration_sums.sql), a few per account manager, not one per deal.
WITH
calibration_predictions AS (
    SELECT *
    FROM cache_calibration_deals
    WHERE as_of = CAST(:as_of AS DATE)
),

{{ include calibration_scored }}

SELECT
    CAST(:as_of AS DATE) AS as_of,
    backtest_date,
    model,
    bucket,
    branch,
    team,
    owner_id,
    outcome_branch,
    outcome_team,
    outcome_owner_id,
    COUNT(*) AS predictions,
    SUM(p) AS p_sum,
    SUM(won) AS wins,
    SUM((p - won) * (p - won)) AS squared_error_sum
FROM calibration_scored
GROUP BY backtest_date, model, bucket, branch, team, owner_id, outcome_branch, outcome_team, outcome_owner_id
