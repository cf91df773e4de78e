-- fragment revenue_line_periods (metrics.md, Year-end forecast, run_rate, uncertainty
-- and drift): per branch x product in scope and period of recent_periods (a CTE the
-- including query defines before it: the periods it counts), the revenue summed
-- from the revenue lines:
--   amount:         every fee item,
--   recurring:      every fee item except the configured one-off items (bound as
--                   the fixed list one_off_item_0..15; unused slots are NULL, which
--                   matches nothing); adjustments (negative amounts) are recurring,
--   recurring_base: the part of recurring from no contract with a known term (no
--                   contract, a contract not loaded or one without term_months):
--                   the installed base, whose own trend is its drift.
-- The only place these sums are written: forecast_run_rate.sql,
-- forecast_run_rate_history.sql and forecast_book_history.sql read them, and
-- build_forecast_revenue.sql keeps them company-wide for every period at load
-- (read through revenue_line_periods_cached where the viewer's scope and filters
-- are a branch or product: analytics/forecast/kept.py).
-- binds: one_off_item_0, one_off_item_1, one_off_item_2, one_off_item_3, one_off_item_4, one_off_item_5, one_off_item_6, one_off_item_7, one_off_item_8, one_off_item_9, one_off_item_10, one_off_item_11, one_off_item_12, one_off_item_13, one_off_item_14, one_off_item_15
revenue_line_items AS (
    SELECT
        r.branch,
        r.product,
        r.period,
        r.amount,
        COALESCE(r.fee_item IN (
            :one_off_item_0, :one_off_item_1, :one_off_item_2, :one_off_item_3,
            :one_off_item_4, :one_off_item_5, :one_off_item_6, :one_off_item_7,
            :one_off_item_8, :one_off_item_9, :one_off_item_10, :one_off_item_11,
            :one_off_item_12, :one_off_item_13, :one_off_item_14, :one_off_item_15
        ), FALSE) AS one_off,
        c.term_months IS NOT NULL AS with_term
    FROM stg_revenue AS r
    INNER JOIN recent_periods AS p ON p.period = r.period
    LEFT JOIN stg_contracts AS c ON c.contract_id = r.contract_id
    WHERE {{ scope r revenue }}
),

revenue_line_periods AS (
    SELECT
        branch,
        product,
        period,
        SUM(amount) AS amount,
        SUM(CASE WHEN one_off THEN 0 ELSE amount END) AS recurring,
        SUM(CASE WHEN one_off OR with_term THEN 0 ELSE amount END) AS recurring_base
    FROM revenue_line_items
    GROUP BY branch, product, period
)
