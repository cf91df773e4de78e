-- forecast_naive_pipeline (metrics.md, Year-end forecast, naive baselines;
-- analytics/forecast/naive.py): the stage-weighted open pipeline per branch x
-- product x close month, Σ stage_rate x annual_value over the open deals of the
-- forecast_deals fragment (the same deals and close months as
-- forecast_pipeline.sql), for the naive_pipeline baseline, which takes each
-- deal's stage rate instead of p(o) and no slips.
WITH
{{ include forecast_deals }}

SELECT
    branch,
    product,
    close_month,
    SUM(stage_rate * annual_value) AS weighted_value
FROM forecast_deals
GROUP BY branch, product, close_month
ORDER BY branch, product, close_month
