-- forecast_run_rate (metrics.md, Year-end forecast, run_rate): one row per
-- branch x product in scope: the mean monthly recurring revenue over the last
-- run_rate_months periods loaded up to through_period (periods counted
-- company-wide, so a line with nothing in one of them gets 0 for it) and
-- run_rate = that mean x the months after P (data_through of year Y) to
-- December. Recurring = every fee item except the configured one-off items
-- (the revenue_line_periods fragment); adjustments (negative amounts) are
-- recurring.
WITH
{{ include revenue_periods }},

period_bounds AS (
    SELECT
        MAX(CASE WHEN year = :year THEN period END) AS data_through,
        COALESCE(MAX(CASE WHEN year = :year THEN month END), 0) AS data_through_month
    FROM revenue_periods
),

loaded_periods AS (
    SELECT period, ROW_NUMBER() OVER (ORDER BY period DESC) AS recency
    FROM revenue_periods
),

recent_periods AS (
    SELECT period
    FROM loaded_periods
    WHERE recency <= :run_rate_months
),

recent_count AS (
    SELECT COUNT(*) AS periods FROM recent_periods
),

{{ include revenue_line_periods }},

recurring AS (
    SELECT branch, product, SUM(recurring) AS recurring_recent
    FROM revenue_line_periods
    GROUP BY branch, product
),

final AS (
    SELECT
        r.branch,
        r.product,
        r.recurring_recent / NULLIF(c.periods, 0) AS recurring_monthly,
        c.periods AS run_rate_periods,
        12 - b.data_through_month AS months_left,
        r.recurring_recent / NULLIF(c.periods, 0) * (12 - b.data_through_month) AS run_rate,
        b.data_through
    FROM recurring AS r
    CROSS JOIN recent_count AS c
    CROSS JOIN period_bounds AS b
)

SELECT *
FROM final
ORDER BY branch, product
