-- budget_attainment (metrics.md, Budget attainment): one row per level
-- (overall, product, branch, branch × product) for year Y, with actual_ytd
-- through the last period loaded for Y (data_through), the annual and
-- year-to-date budget (annual-only rows phased evenly) and the ratios.
-- The denominator follows what the viewer selected (:budget_basis, decided in
-- analytics/metrics/attainment.py): 'budget' = the budget lines, kept by branch
-- x product only; 'target' = the personal targets of the account managers in
-- the selection (a team or owner scope or filter the budget cannot follow),
-- phased evenly, at the overall and branch levels (targets carry no product);
-- 'none' = no denominator honours the selection (e.g. a team and a product):
-- budget, ratios and gap are null rather than measured against a wider budget.
WITH
period_bounds AS (
    SELECT MAX(period) AS data_through
    FROM stg_revenue_periods
    WHERE year = :year AND period <= :as_of_period
),

{{ include revenue_amounts }},

actual AS (
    SELECT r.branch, r.product, SUM(r.amount) AS actual_ytd
    FROM revenue_amounts AS r
    CROSS JOIN period_bounds AS p
    WHERE r.year = :year AND r.period <= p.data_through
    GROUP BY r.branch, r.product
),

budget_lines AS (
    SELECT
        b.branch,
        b.product,
        SUM(b.amount) AS budget_annual,
        SUM(
            CASE
                WHEN b.month IS NULL THEN b.amount * COALESCE(p.data_through % 100, 0) / 12.0
                WHEN b.month <= COALESCE(p.data_through % 100, 0) THEN b.amount
                ELSE 0
            END
        ) AS budget_ytd
    FROM stg_budget AS b
    CROSS JOIN period_bounds AS p
    WHERE :budget_basis = 'budget' AND b.year = :year AND {{ scope b budget }}
    GROUP BY b.branch, b.product
),

{{ include target_lines }},

targets AS (
    SELECT
        CASE WHEN GROUPING(t.branch) = 1 THEN 'overall' ELSE 'branch' END AS level,
        t.branch,
        SUM(t.amount) AS target_annual,
        SUM(t.amount * COALESCE(p.data_through % 100, 0) / 12.0) AS target_ytd
    FROM target_lines AS t
    CROSS JOIN period_bounds AS p
    WHERE :budget_basis = 'target' AND t.year = :year AND {{ scope t target }}
    GROUP BY GROUPING SETS ((), (t.branch))
),

combined AS (
    SELECT
        COALESCE(a.branch, b.branch) AS branch,
        COALESCE(a.product, b.product) AS product,
        COALESCE(a.actual_ytd, 0) AS actual_ytd,
        COALESCE(b.budget_annual, 0) AS budget_annual,
        COALESCE(b.budget_ytd, 0) AS budget_ytd
    FROM actual AS a
    FULL OUTER JOIN budget_lines AS b ON a.branch = b.branch AND a.product = b.product
),

grouped AS (
    SELECT
        CASE
            WHEN GROUPING(branch) = 1 AND GROUPING(product) = 1 THEN 'overall'
            WHEN GROUPING(branch) = 1 THEN 'product'
            WHEN GROUPING(product) = 1 THEN 'branch'
            ELSE 'branch_product'
        END AS level,
        branch,
        product,
        SUM(actual_ytd) AS actual_ytd,
        SUM(budget_annual) AS budget_annual,
        SUM(budget_ytd) AS budget_ytd
    FROM combined
    GROUP BY GROUPING SETS ((), (product), (branch), (branch, product))
),

denominators AS (
    SELECT
        g.level,
        g.branch,
        g.product,
        g.actual_ytd,
        CASE
            WHEN :budget_basis = 'budget' THEN g.budget_annual
            WHEN :budget_basis = 'target' AND g.level IN ('overall', 'branch') THEN COALESCE(t.target_annual, 0)
        END AS budget_annual,
        CASE
            WHEN :budget_basis = 'budget' THEN g.budget_ytd
            WHEN :budget_basis = 'target' AND g.level IN ('overall', 'branch') THEN COALESCE(t.target_ytd, 0)
        END AS budget_ytd
    FROM grouped AS g
    LEFT JOIN targets AS t
        ON t.level = g.level AND (g.level = 'overall' OR t.branch = g.branch)
),

final AS (
    SELECT
        d.level,
        d.branch,
        d.product,
        d.actual_ytd,
        d.budget_annual,
        d.budget_ytd,
        d.actual_ytd / NULLIF(d.budget_annual, 0) AS attainment,
        d.actual_ytd / NULLIF(d.budget_ytd, 0) AS ytd_attainment,
        CAST(:time_progress AS DOUBLE PRECISION) AS time_progress,
        d.actual_ytd / NULLIF(d.budget_annual, 0) - :time_progress AS progress_gap,
        p.data_through,
        CAST(:budget_basis AS VARCHAR) AS budget_basis
    FROM denominators AS d
    CROSS JOIN period_bounds AS p
)

SELECT *
FROM final
ORDER BY level, branch, product
