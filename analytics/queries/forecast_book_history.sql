-- forecast_book_history (metrics.md, Year-end forecast, drift): one row per
-- branch x product in scope and period among the last run_rate_noise_months
-- periods loaded up to through_period (counted company-wide, as in
-- forecast_run_rate_history.sql; a line with nothing in a period gets 0), with
-- its recurring revenue (every fee item except the configured one-off items) and
-- recurring_base: the part of it from no contract with a known term (rows of no
-- contract, of a contract not loaded or without term_months): the installed
-- base, whose own trend is its drift (both as the revenue_line_periods fragment
-- sums them).  The slope of recurring says how far the run-rate (a mean of past
-- months) lags the level reached; contracts with a term end as
-- forecast_contract_ends.sql says (analytics/forecast/growth.py).
WITH
{{ include recent_revenue_lines }},

final AS (
    SELECT
        l.branch,
        l.product,
        p.period,
        COALESCE(r.recurring, 0) AS recurring,
        COALESCE(r.recurring_base, 0) AS recurring_base
    FROM lines AS l
    CROSS JOIN recent_periods AS p
    LEFT JOIN revenue_line_periods AS r
        ON r.branch = l.branch AND r.product = l.product AND r.period = p.period
)

SELECT *
FROM final
ORDER BY branch, product, period
