-- fragment revenue_periods_cached (metrics.md, Year-end forecast, run_rate): the
-- revenue_periods fragment's periods read from cache_forecast_revenue (every
-- branch x product x period with revenue, built once per data version by
-- analytics/derived.py at load), which holds every period loaded: a period with a
-- revenue line has a kept row.
-- binds: through_period
revenue_periods AS (
    SELECT DISTINCT period, year, month
    FROM cache_forecast_revenue
    WHERE period <= :through_period
)
