-- forecast_pipeline_line_sums (metrics.md, Year-end forecast, pipeline_expected): the
-- open opportunities in scope at as_of summed per line (branch x product): their
-- expected_revenue as the forecast_deals fragment defines it, and how many they
-- are. What the year-end's expected figure needs of the pipeline without its
-- draws (analytics/forecast/yearend.py, year_end_expected: 预测校准 shows it beside
-- the frozen forecasts); the per-deal rows (forecast_pipeline_lines.sql, 131,000
-- at a million opportunities) are for the simulation. The forecast reads the
-- load's open deals (forecast_deal_rows_cached, swapped in by analytics/forecast/kept.py).
WITH
{{ include forecast_deals }}

SELECT
    branch,
    product,
    COUNT(*) AS deals,
    SUM(expected_revenue) AS expected_revenue
FROM forecast_deals
GROUP BY branch, product
ORDER BY branch, product
