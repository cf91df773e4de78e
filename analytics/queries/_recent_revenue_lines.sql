-- fragment recent_revenue_lines (metrics.md, Year-end forecast, uncertainty and
-- drift): recent_periods = the last run_rate_noise_months revenue periods loaded
-- up to through_period, counted company-wide (as forecast_run_rate.sql counts
-- them), revenue_line_periods = the revenue per branch x product in the viewer's
-- scope and each of them, and lines = each branch x product in scope with revenue
-- in one of them: the grid the run-rate's history is read over (a line with
-- nothing in a period gets 0 there).  Written once for
-- forecast_run_rate_history.sql and forecast_book_history.sql.
-- needs: revenue_periods
-- binds: run_rate_noise_months
loaded_periods AS (
    SELECT period, ROW_NUMBER() OVER (ORDER BY period DESC) AS recency
    FROM revenue_periods
),

recent_periods AS (
    SELECT period
    FROM loaded_periods
    WHERE recency <= :run_rate_noise_months
),

{{ include revenue_line_periods }},

lines AS (
    SELECT DISTINCT branch, product
    FROM revenue_line_periods
)
