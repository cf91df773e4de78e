-- workload_book_customers (issue 8, 我的商机): one row per account manager x
-- customer in their book (the customers of their opportunities at as_of, in the
-- viewer's scope and filters) that has no open opportunity now: where to mine
-- next. With what the customer brought before and when it was last visited.
-- Grain: owner_id x customer.
WITH
{{ include opportunity_state }},

book AS (
    SELECT
        owner_id,
        owner_name,
        customer_id,
        customer_name,
        MAX(industry) AS industry,
        COUNT(*) AS opportunities,
        COUNT(*) FILTER (WHERE status = 'open') AS open_count,
        COUNT(*) FILTER (WHERE status = 'won') AS won_count,
        COALESCE(SUM(annual_value) FILTER (WHERE status = 'won'), 0) AS won_value,
        MAX(closed_date) FILTER (WHERE status = 'won') AS last_won_date,
        MAX(closed_date) AS last_closed_date
    FROM scoped_opportunities
    GROUP BY owner_id, owner_name, customer_id, customer_name
),

-- The last visit per manager x customer is kept per as_of (cache_book_visits,
-- build_book_visits.sql): a manager's few rows, not every activity.
visits AS (
    SELECT v.staff_id, v.customer_id, v.last_activity_date
    FROM cache_book_visits AS v
    WHERE v.as_of = CAST(:as_of AS DATE)
        AND v.staff_id IN (SELECT b.owner_id FROM book AS b WHERE b.open_count = 0)
),

final AS (
    SELECT
        b.owner_id,
        b.owner_name,
        b.customer_id,
        b.customer_name,
        b.industry,
        b.opportunities,
        b.won_count,
        b.won_value,
        b.last_won_date,
        b.last_closed_date,
        v.last_activity_date
    FROM book AS b
    LEFT JOIN visits AS v ON v.staff_id = b.owner_id AND v.customer_id = b.customer_id
    WHERE b.open_count = 0
)

SELECT *
FROM final
ORDER BY owner_id, won_value DESC, last_closed_date DESC NULLS LAST, customer_name
