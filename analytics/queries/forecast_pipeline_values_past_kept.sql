-- forecast_pipeline_values_past_kept (metrics.md, Why the forecast moved):
-- forecast_pipeline_values' rows at an earlier snapshot (as_of: the 周例会 pair's A)
-- read from cache_past_deal_values (build_past_deal_values.sql: the same rows kept
-- by the load for the default pair's A), the viewer's scope a filter over them. For a
-- scope with no other filter (analytics/forecast/bridge.py chooses); a filter reads
-- the deals from A's state.
SELECT
    k.opportunity_id,
    k.p_win,
    k.annual_value,
    k.months_this_year,
    k.expected_revenue
FROM cache_past_deal_values AS k
WHERE k.as_of = CAST(:as_of AS DATE)
    AND {{ scope k opportunity }}
ORDER BY k.opportunity_id
