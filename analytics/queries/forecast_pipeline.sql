-- forecast_pipeline (metrics.md, Year-end forecast, pipeline_expected): one row
-- per open opportunity in scope at as_of with p(o), close_month, m(o) =
-- months_this_year and expected_revenue, as defined in the forecast_deals
-- fragment, largest expected revenue first.
WITH
{{ include forecast_deals }}

SELECT
    opportunity_id,
    name,
    customer_name,
    owner_id,
    owner_name,
    team,
    branch,
    product,
    opportunity_class,
    stage,
    is_key,
    annual_value,
    expected_close_date,
    close_month,
    months_this_year,
    p_win,
    stage_rate,
    expected_revenue
FROM forecast_deals
ORDER BY expected_revenue DESC, opportunity_id
