-- forecast_book_history (metrics.md, Year-end forecast, drift): one row per
-- branch x product in scope and period among the last run_rate_noise_months
-- periods loaded up to through_period (counted company-wide, as in
-- forecast_run_rate_history.sql; a line with nothing in a period gets 0), with
-- its recurring revenue (every fee item except the configured one-off items
-- one_off_item_0..15) and recurring_base: the part of it from no contract with a
-- known term (rows of no contract, of a contract not loaded or without
-- term_months): the installed base, whose own trend is its drift.  The slope
-- of recurring says how far the run-rate (a mean of past months) lags the level
-- reached; contracts with a term end as forecast_contract_ends.sql says
-- (analytics/forecast/growth.py).
WITH
{{ include recent_revenue_lines }},

recurring AS (
    SELECT
        r.branch,
        r.product,
        r.period,
        SUM(r.amount) AS recurring,
        SUM(CASE WHEN c.term_months IS NULL THEN r.amount ELSE 0 END) AS recurring_base
    FROM stg_revenue AS r
    INNER JOIN recent_periods AS p ON p.period = r.period
    LEFT JOIN stg_contracts AS c ON c.contract_id = r.contract_id
    WHERE {{ scope r revenue }}
        AND NOT COALESCE(r.fee_item IN (
            :one_off_item_0, :one_off_item_1, :one_off_item_2, :one_off_item_3,
            :one_off_item_4, :one_off_item_5, :one_off_item_6, :one_off_item_7,
            :one_off_item_8, :one_off_item_9, :one_off_item_10, :one_off_item_11,
            :one_off_item_12, :one_off_item_13, :one_off_item_14, :one_off_item_15
        ), FALSE)
    GROUP BY r.branch, r.product, r.period
),

final AS (
    SELECT
        l.branch,
        l.product,
        p.period,
        COALESCE(r.recurring, 0) AS recurring,
        COALESCE(r.recurring_base, 0) AS recurring_base
    FROM lines AS l
    CROSS JOIN recent_periods AS p
    LEFT JOIN recurring AS r
        ON r.branch = l.branch AND r.product = l.product AND r.period = p.period
)

SELECT *
FROM final
ORDER BY branch, product, period
