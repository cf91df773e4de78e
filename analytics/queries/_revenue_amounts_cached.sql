-- fragment revenue_amounts_cached (metrics.md, Budget attainment): the revenue_amounts
-- fragment read from cache_forecast_revenue (the revenue per branch x product x
-- period of the whole company, built once per data version at load): one row per
-- branch x product x period in scope with its amount summed, so a sum of amounts
-- over any of these columns is the same as over the lines.  Read where the scope
-- and filters name a branch or product only (analytics/metrics/revenue_sums.py).
revenue_amounts AS NOT MATERIALIZED (
    SELECT k.branch, k.product, k.period, k.year, k.month, k.amount
    FROM cache_forecast_revenue AS k
    WHERE {{ scope k revenue }}
)
