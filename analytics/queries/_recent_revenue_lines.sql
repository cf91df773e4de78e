-- fragment recent_revenue_lines (metrics.md, Year-end forecast, uncertainty and
-- drift): recent_periods = the last run_rate_noise_months revenue periods loaded
-- up to through_period, counted company-wide (as forecast_run_rate.sql counts
-- them), and lines = each branch x product in the viewer's scope with revenue in
-- one of them: the grid the run-rate's history is read over (a line with nothing
-- in a period gets 0 there).  Written once for forecast_run_rate_history.sql and
-- forecast_book_history.sql.
-- binds: run_rate_noise_months, through_period
loaded_periods AS (
    SELECT period, ROW_NUMBER() OVER (ORDER BY period DESC) AS recency
    FROM (SELECT DISTINCT period FROM stg_revenue WHERE period <= :through_period) AS p
),

recent_periods AS (
    SELECT period
    FROM loaded_periods
    WHERE recency <= :run_rate_noise_months
),

lines AS (
    SELECT DISTINCT r.branch, r.product
    FROM stg_revenue AS r
    INNER JOIN recent_periods AS p ON p.period = r.period
    WHERE {{ scope r revenue }}
)
