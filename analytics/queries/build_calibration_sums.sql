-- build_calibration_sums (metrics.md, Year-end forecast, calibration): fills
-- cache_calibration_sums for the viewed date :outcome_as_of, one backtest date
-- (bound as as_of, so p(o) is what the forecast computed then) per pass
-- (analytics/derived.py runs one pass per backtest date, in one transaction):
-- the calibration_scored fragment over the whole company, unfiltered, summed
-- per model, reliability bucket and the deal's branch, team and account manager
-- at the backtest date and at :outcome_as_of.  p(o) does not depend on the
-- viewer, so a scope (checked at both dates) or a branch, team or owner filter
-- is a filter and a sum over these rows (calibration_sums.sql).  Built per data
-- version, as_of and the settings it binds (p(o)'s, the horizon), at load for
-- the newest snapshot.
WITH
{{ include calibration_scored }}

SELECT
    CAST(:outcome_as_of AS DATE) AS as_of,
    CAST(:as_of AS DATE) AS backtest_date,
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
GROUP BY model, bucket, branch, team, owner_id, outcome_branch, outcome_team, outcome_owner_id
