-- forecast_pipeline_lines (metrics.md, Year-end forecast, pipeline_expected): one
-- row per open opportunity in scope at as_of with the numbers the forecast model
-- reads (its line, stage, key label, value, close dates, close_month, m(o) =
-- months_this_year, p(o) and expected_revenue, as the forecast_deals fragment
-- defines them): forecast_pipeline's rows without the names, which at a million
-- opportunities cost more than the numbers; the top contributors and key deals
-- get theirs from forecast_deal_names_kept.  The forecast reads the load's open
-- deals (forecast_deal_rows_cached, swapped in by analytics/forecast/kept.py).
WITH
{{ include forecast_deals }}

SELECT
    opportunity_id,
    owner_id,
    branch,
    product,
    stage,
    is_key,
    annual_value,
    expected_close_date,
    close_month,
    months_this_year,
    p_win,
    expected_revenue
FROM forecast_deals
ORDER BY expected_revenue DESC, opportunity_id
