-- forecast_window_deals (metrics.md, Year-end forecast, calibration;
-- analytics/forecast/freeze.py): the open deals of forecast_pipeline.sql (the
-- same forecast_deals fragment, so the same deals, p(o), close_month and
-- expected_revenue, in the same order) with only the columns a forward window's
-- simulation reads (stage: the timing it draws, setting slip_stage_prior).  The
-- freeze of a past snapshot reads them through the
-- backtest states (_past_state.sql), which hold no column the page merely lists.
WITH
{{ include forecast_deals }}

SELECT
    opportunity_id,
    branch,
    product,
    stage,
    close_month,
    p_win,
    annual_value,
    expected_revenue
FROM forecast_deals
ORDER BY expected_revenue DESC, opportunity_id
