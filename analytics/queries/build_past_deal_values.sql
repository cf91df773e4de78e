-- build_past_deal_values (metrics.md, Why the forecast moved): the rows of the derived
-- table cache_past_deal_values for one earlier snapshot date bound as as_of (the
-- 周例会 pair's A): each open deal of the state then with the numbers the forecast
-- bridge adds up, p(o), annual_value, m(o) = months_this_year and expected_revenue,
-- as the forecast_deals fragment defines them (forecast_pipeline_values.sql's rows),
-- and the columns a scope reads. Built by analytics/derived.py with A's state read
-- from the backtest states the load keeps per date and its rates from
-- cache_past_win_rates (derived.PAST_STATE_SWAP, as the bridge reads them), by the
-- load for the default pair's A (derived.refresh_previous): A's numbers do not change
-- after A, so the weekly page reads them instead of computing them on every view.
WITH
{{ include forecast_deals }}

SELECT
    CAST(:as_of AS DATE) AS as_of,
    opportunity_id,
    branch,
    team,
    owner_id,
    p_win,
    annual_value,
    months_this_year,
    expected_revenue
FROM forecast_deals
