-- build_forecast_won_sums (metrics.md, Year-end forecast, uncertainty and
-- value_ratio): fills cache_forecast_won_sums for one as_of (analytics/derived.py)
-- with the forecast_won_sums fragment's rows: per slip in months, the company's won
-- deals of the look-back window and their won and pipeline values, and the life
-- table of every deal first seen open in it (timing_wins, timing_losses, timing_at_risk).  The
-- definitions stay in _forecast_won_sightings.sql and _forecast_won_sums.sql.
WITH
{{ include forecast_won_sums }}

SELECT
    CAST(:as_of AS DATE) AS as_of,
    stage,
    slip_months,
    deals,
    valued_deals,
    won_value,
    pipeline_value,
    timing_wins,
    timing_losses,
    timing_at_risk
FROM forecast_won_sums
