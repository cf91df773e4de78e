-- forecast_run_rate_history (metrics.md, Year-end forecast, uncertainty): one row
-- per branch x product in scope and period among the last run_rate_noise_months
-- periods loaded up to through_period (counted company-wide, as in
-- forecast_run_rate.sql; a line with nothing in a period gets 0 for it), with
-- its revenue (amount, every fee item) and recurring revenue (every fee item
-- except the configured one-off items one_off_item_0..15, unused slots NULL, as
-- the run-rate counts it).  How far each month's revenue strayed from the
-- run-rate of the months before it is the run-rate's part of the forecast band
-- (analytics/forecast/uncertainty.py).
WITH
{{ include recent_revenue_lines }},

recurring AS (
    SELECT
        r.branch,
        r.product,
        r.period,
        SUM(
            CASE
                WHEN COALESCE(r.fee_item IN (
                    :one_off_item_0, :one_off_item_1, :one_off_item_2, :one_off_item_3,
                    :one_off_item_4, :one_off_item_5, :one_off_item_6, :one_off_item_7,
                    :one_off_item_8, :one_off_item_9, :one_off_item_10, :one_off_item_11,
                    :one_off_item_12, :one_off_item_13, :one_off_item_14, :one_off_item_15
                ), FALSE) THEN 0
                ELSE r.amount
            END
        ) AS recurring,
        SUM(r.amount) AS amount
    FROM stg_revenue AS r
    INNER JOIN recent_periods AS p ON p.period = r.period
    WHERE {{ scope r revenue }}
    GROUP BY r.branch, r.product, r.period
),

final AS (
    SELECT
        l.branch,
        l.product,
        p.period,
        COALESCE(r.recurring, 0) AS recurring,
        COALESCE(r.amount, 0) AS amount
    FROM lines AS l
    CROSS JOIN recent_periods AS p
    LEFT JOIN recurring AS r
        ON r.branch = l.branch AND r.product = l.product AND r.period = p.period
)

SELECT *
FROM final
ORDER BY branch, product, period
