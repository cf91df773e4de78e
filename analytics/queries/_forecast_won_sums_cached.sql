-- fragment forecast_won_sums_cached (metrics.md, Year-end forecast, uncertainty and
-- value_ratio): the rows of the forecast_won_sums fragment read for as_of from
-- cache_forecast_won_sums (build_forecast_won_sums.sql, built once per data
-- version, as_of and settings by analytics/derived.py, at load for the newest
-- snapshot) instead of the won deals joined to their first open snapshot on every
-- view: company-wide, they never depend on the viewer.
-- binds: as_of
forecast_won_sums AS (
    SELECT
        stage, slip_months, deals, valued_deals, won_value, pipeline_value,
        timing_wins, timing_losses, timing_at_risk
    FROM cache_forecast_won_sums
    WHERE as_of = CAST(:as_of AS DATE)
)
