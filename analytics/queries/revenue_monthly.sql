-- revenue_monthly (metrics.md, Budget attainment, by month): one row per month
-- of year Y with the actual revenue in scope (adjustments included; null after
-- data_through, the last period loaded for Y up to through_period, so a month
-- not loaded yet is never shown as zero) and the phased budget (monthly rows
-- as given, annual-only rows spread evenly), each also cumulative from January.
-- :budget_basis as in budget_attainment.sql: 'target' spreads the selected
-- account managers' targets evenly over the months, 'none' leaves it null.
WITH
period_bounds AS (
    SELECT MAX(period) AS data_through
    FROM stg_revenue_periods
    WHERE year = :year AND period <= :through_period
),

{{ include revenue_amounts }},

{{ include target_lines }},

months AS (
    SELECT CAST(g AS INTEGER) AS month
    FROM generate_series(1, 12) AS months_of_year (g)
),

actual AS (
    SELECT r.month, SUM(r.amount) AS actual
    FROM revenue_amounts AS r
    CROSS JOIN period_bounds AS p
    WHERE r.year = :year AND r.period <= p.data_through
    GROUP BY r.month
),

budget_months AS (
    SELECT
        m.month,
        SUM(CASE WHEN b.month IS NULL THEN b.amount / 12.0 ELSE b.amount END) AS budget
    FROM stg_budget AS b
    INNER JOIN months AS m ON b.month IS NULL OR b.month = m.month
    WHERE :budget_basis = 'budget' AND b.year = :year AND {{ scope b budget }}
    GROUP BY m.month
    UNION ALL
    SELECT m.month, SUM(t.amount / 12.0) AS budget
    FROM target_lines AS t
    CROSS JOIN months AS m
    WHERE :budget_basis = 'target' AND t.year = :year AND {{ scope t target }}
    GROUP BY m.month
),

joined AS (
    SELECT
        m.month,
        :year * 100 + m.month AS period,
        CASE WHEN :year * 100 + m.month <= p.data_through THEN COALESCE(a.actual, 0) END AS actual,
        CASE WHEN :budget_basis <> 'none' THEN COALESCE(b.budget, 0) END AS budget,
        p.data_through
    FROM months AS m
    CROSS JOIN period_bounds AS p
    LEFT JOIN actual AS a ON a.month = m.month
    LEFT JOIN budget_months AS b ON b.month = m.month
),

final AS (
    SELECT
        month,
        period,
        actual,
        budget,
        CASE
            WHEN actual IS NOT NULL THEN SUM(COALESCE(actual, 0)) OVER (ORDER BY month)
        END AS actual_cumulative,
        SUM(budget) OVER (ORDER BY month) AS budget_cumulative,
        data_through,
        CAST(:budget_basis AS VARCHAR) AS budget_basis
    FROM joined
)

SELECT *
FROM final
ORDER BY month
