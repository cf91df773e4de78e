-- forecast_naive_revenue (metrics.md, Year-end forecast, naive baselines;
-- analytics/forecast/naive.py): revenue per branch x product x period from
-- first_period through through_period (the last period known at the snapshot),
-- for the naive_last_year baseline: last year's months and this year's to date.
-- Over the revenue_amounts fragment, so the load's kept sums answer it
-- (revenue_amounts_cached: the freeze is company-wide).
WITH
{{ include revenue_amounts }}

SELECT
    branch,
    product,
    period,
    SUM(amount) AS amount
FROM revenue_amounts
WHERE period >= :first_period
    AND period <= :through_period
GROUP BY branch, product, period
ORDER BY branch, product, period
