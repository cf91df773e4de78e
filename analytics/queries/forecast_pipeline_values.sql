-- forecast_pipeline_values (metrics.md, Why the forecast moved): one row per open
-- opportunity in scope at as_of with only the numbers the forecast bridge adds
-- up: p(o), annual_value, m(o) = months_this_year and expected_revenue, as
-- defined in the forecast_deals fragment (forecast_pipeline's rows without
-- their names: at a million deals the names cost more than the numbers; the
-- bridge names its top movers with forecast_deal_names).
WITH
{{ include forecast_deals }}

SELECT
    opportunity_id,
    p_win,
    annual_value,
    months_this_year,
    expected_revenue
FROM forecast_deals
ORDER BY opportunity_id
