-- build_forecast_revenue (metrics.md, Year-end forecast, run_rate, uncertainty and
-- drift): fills cache_forecast_revenue (analytics/derived.py, once per data version
-- and the one-off items it binds) with the revenue_line_periods fragment's sums for
-- the whole company and every period loaded: amount, recurring and recurring_base
-- per branch x product x period.  The definitions stay in _revenue_line_periods.sql;
-- recent_periods here is every period, so no line is left out.
WITH
recent_periods AS (
    SELECT DISTINCT period FROM stg_revenue
),

{{ include revenue_line_periods }}

SELECT
    branch,
    product,
    period,
    CAST((period - period % 100) / 100 AS INTEGER) AS year,
    period % 100 AS month,
    amount,
    recurring,
    recurring_base
FROM revenue_line_periods
