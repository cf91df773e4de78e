-- fragment revenue_line_periods_cached (metrics.md, Year-end forecast, run_rate,
-- uncertainty and drift): the revenue_line_periods fragment's sums per branch x
-- product and period of recent_periods (defined before it by the including query),
-- read from cache_forecast_revenue (build_forecast_revenue.sql: the same sums for
-- the whole company and every period, built once per data version and one-off
-- items by analytics/derived.py at load) instead of every revenue line joined to
-- the org and the contracts on each view.  Its rows carry branch and product only:
-- read where the viewer's scope and filters name nothing else
-- (analytics/forecast/kept.py; a team or account manager reads the lines).
revenue_line_periods AS (
    SELECT k.branch, k.product, k.period, k.amount, k.recurring, k.recurring_base
    FROM cache_forecast_revenue AS k
    INNER JOIN recent_periods AS p ON p.period = k.period
    WHERE {{ scope k revenue }}
)
