-- forecast_contract_ends (metrics.md, Year-end forecast, drift): the recurring
-- revenue billed in through_period (one-off items one_off_item_0..15 left out)
-- by contracts with a known term, per branch x product in scope and the last
-- month the contract bills (signed month + term_months, as months from
-- January of year Y; billing starts the month after signing).  After that
-- month the run-rate loses that revenue: the known part of existing business's
-- drift (analytics/forecast/growth.py).
WITH
billed AS (
    SELECT
        r.branch,
        r.product,
        (CAST(EXTRACT(YEAR FROM c.signed_date) AS INTEGER) - :year) * 12
            + CAST(EXTRACT(MONTH FROM c.signed_date) AS INTEGER) + c.term_months AS last_month,
        r.amount
    FROM stg_revenue AS r
    INNER JOIN stg_contracts AS c ON c.contract_id = r.contract_id
    WHERE r.period = :through_period
        AND c.term_months IS NOT NULL
        AND {{ scope r revenue }}
        AND NOT COALESCE(r.fee_item IN (
            :one_off_item_0, :one_off_item_1, :one_off_item_2, :one_off_item_3,
            :one_off_item_4, :one_off_item_5, :one_off_item_6, :one_off_item_7,
            :one_off_item_8, :one_off_item_9, :one_off_item_10, :one_off_item_11,
            :one_off_item_12, :one_off_item_13, :one_off_item_14, :one_off_item_15
        ), FALSE)
)

SELECT branch, product, last_month, SUM(amount) AS monthly
FROM billed
GROUP BY branch, product, last_month
ORDER BY branch, product, last_month
