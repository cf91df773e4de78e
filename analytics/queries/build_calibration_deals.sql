-- build_calibration_deals (metrics.md, Year-end forecast, calibration): fills
-- cache_calibration_deals for the viewed date :outcome_as_of, one backtest date
-- (bound as as_of, so p(o) is what the forecast computed then) per pass
-- (analytics/derived.py runs one pass per backtest date, in one transaction):
-- the calibration_predictions fragment over the whole company, unfiltered: each
-- deal scored at that date with p_win, stage_rate, won and its branch, team and
-- account manager at the date and at :outcome_as_of.  p(o) does not depend on
-- the viewer, so the page's sums (build_calibration_sums.sql) and distinct
-- deals (calibration_deals_kept.sql) are a filter over these rows.  Built per
-- data version, as_of and the settings it binds (p(o)'s, the horizon), at load
-- for the newest snapshot.
WITH
{{ include calibration_predictions }}

SELECT
    CAST(:outcome_as_of AS DATE) AS as_of,
    backtest_date,
    opportunity_id,
    branch,
    team,
    owner_id,
    outcome_branch,
    outcome_team,
    outcome_owner_id,
    p_win,
    stage_rate,
    won
FROM calibration_predictions
