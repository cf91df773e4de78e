-- fragment revenue_periods (metrics.md, Year-end forecast, run_rate): the revenue
-- periods loaded up to through_period, company-wide, with their year and month:
-- the periods the run-rate and its history count (forecast_run_rate.sql and the
-- recent_revenue_lines fragment), read from the revenue lines.  The forecast reads
-- them from the load's kept sums instead (revenue_periods_cached, swapped in by
-- analytics/forecast/kept.py).
-- binds: through_period
revenue_periods AS (
    SELECT DISTINCT period, year, month
    FROM stg_revenue
    WHERE period <= :through_period
)
