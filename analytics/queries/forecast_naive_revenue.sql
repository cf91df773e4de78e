-- forecast_naive_revenue (metrics.md, Year-end forecast, naive baselines;
-- analytics/forecast/naive.py): revenue per branch x product x period from
-- first_period through through_period (the last period known at the snapshot),
-- for the naive_last_year baseline: last year's months and this year's to date.
SELECT
    r.branch,
    r.product,
    r.period,
    SUM(r.amount) AS amount
FROM stg_revenue AS r
WHERE r.period >= :first_period
    AND r.period <= :through_period
    AND {{ scope r revenue }}
GROUP BY r.branch, r.product, r.period
ORDER BY r.branch, r.product, r.period
