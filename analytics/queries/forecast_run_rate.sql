-- forecast_run_rate (metrics.md, Year-end forecast, run_rate): one row per
-- branch x product in scope: the mean monthly recurring revenue over the last
-- run_rate_months periods loaded up to through_period (periods counted
-- company-wide, so a line with nothing in one of them gets 0 for it) and
-- run_rate = that mean x the months after P (data_through of year Y) to
-- December. Recurring = every fee item except the configured one-off items,
-- bound as the fixed list one_off_item_0..15 (unused slots are NULL, which
-- matches nothing); adjustments (negative amounts) are recurring.
WITH
period_bounds AS (
    SELECT
        MAX(CASE WHEN year = :year THEN period END) AS data_through,
        COALESCE(MAX(CASE WHEN year = :year THEN month END), 0) AS data_through_month
    FROM stg_revenue
    WHERE period <= :through_period
),

loaded_periods AS (
    SELECT period, ROW_NUMBER() OVER (ORDER BY period DESC) AS recency
    FROM (SELECT DISTINCT period FROM stg_revenue WHERE period <= :through_period) AS p
),

recent_periods AS (
    SELECT period
    FROM loaded_periods
    WHERE recency <= :run_rate_months
),

recent_count AS (
    SELECT COUNT(*) AS periods FROM recent_periods
),

recurring AS (
    SELECT
        r.branch,
        r.product,
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
        ) AS recurring_recent
    FROM stg_revenue AS r
    INNER JOIN recent_periods AS p ON p.period = r.period
    WHERE {{ scope r revenue }}
    GROUP BY r.branch, r.product
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
