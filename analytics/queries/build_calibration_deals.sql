-- build_calibration_deals (metrics.md, Year-end forecast, calibration): fills
-- cache_calibration_deals for the viewed date :outcome_as_of, one backtest date
-- (bound as as_of) per pass, as build_calibration_sums.sql does: each deal the
-- company's backtest scored at that date, with its branch, team and account
-- manager at the date and at :outcome_as_of.  The distinct deals a scope's
-- backtest scored over all its dates (Wilson's interval counts deals, not
-- predictions) cannot be summed from per-key counts, since a deal that moved
-- is one deal in a scope holding both its keys: calibration_deals_kept.sql
-- counts them distinct over these rows instead (about one per prediction).
WITH
{{ include calibration_scored }}

SELECT DISTINCT
    CAST(:outcome_as_of AS DATE) AS as_of,
    opportunity_id,
    branch,
    team,
    owner_id,
    outcome_branch,
    outcome_team,
    outcome_owner_id
FROM calibration_scored
WHERE model = 'calibrated'
