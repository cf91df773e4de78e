-- fragment revenue_amounts (metrics.md, Budget attainment): the revenue lines in the
-- viewer's scope with their branch, product, period, year, month and amount (every
-- fee item, adjustments included): what actual_ytd and the monthly actuals sum
-- (budget_attainment.sql, revenue_monthly.sql).  Where the scope and filters are a
-- branch or product, the sums kept at load per branch x product x period answer
-- the same (revenue_amounts_cached, swapped in by analytics/metrics/revenue_sums.py).
revenue_amounts AS NOT MATERIALIZED (
    SELECT r.branch, r.product, r.period, r.year, r.month, r.amount
    FROM stg_revenue AS r
    WHERE {{ scope r revenue }}
)
