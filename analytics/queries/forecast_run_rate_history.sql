-- forecast_run_rate_history (metrics.md, Year-end forecast, uncertainty): one row
-- per branch x product in scope and period among the last run_rate_noise_months
-- periods loaded up to through_period (counted company-wide, as in
-- forecast_run_rate.sql; a line with nothing in a period gets 0 for it), with
-- its revenue (amount, every fee item) and recurring revenue (every fee item
-- except the configured one-off items, as the run-rate counts it: the
-- revenue_line_periods fragment).  How far each month's revenue strayed from the
-- run-rate of the months before it is the run-rate's part of the forecast band
-- (analytics/forecast/uncertainty.py).
WITH
{{ include recent_revenue_lines }},

final AS (
    SELECT
        l.branch,
        l.product,
        p.period,
        COALESCE(r.recurring, 0) AS recurring,
        COALESCE(r.amount, 0) AS amount
    FROM lines AS l
    CROSS JOIN recent_periods AS p
    LEFT JOIN revenue_line_periods AS r
        ON r.branch = l.branch AND r.product = l.product AND r.period = p.period
)

SELECT *
FROM final
ORDER BY branch, product, period
