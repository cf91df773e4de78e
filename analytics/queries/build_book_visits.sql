-- build_book_visits (metrics.md, Workload, 我的商机's book): the rows of the
-- derived table cache_book_visits for one as_of: per account manager x
-- customer, the day of the last activity on or before as_of (when the customer
-- was last visited). Company-wide, so a manager's book reads their few rows
-- instead of every activity (issue 19); kept in staff order, so DuckDB skips
-- the other managers' blocks.
-- binds: as_of
SELECT
    CAST(:as_of AS DATE) AS as_of,
    a.staff_id,
    a.customer_id,
    MAX(a.activity_date) AS last_activity_date
FROM stg_activities AS a
WHERE a.customer_id IS NOT NULL AND a.activity_date <= CAST(:as_of AS DATE)
GROUP BY a.staff_id, a.customer_id
ORDER BY a.staff_id, a.customer_id
