-- forecast_scores (metrics.md, Year-end forecast, calibration): one row per
-- frozen forecast (snapshot_date x horizon x year x month x branch x product,
-- frozen on or before as_of) whose month has since been loaded, with the
-- revenue that actually arrived for that line from the horizon's first month
-- (January for the year-end; the window's first month for next_quarter and
-- next_12_months, the earliest month frozen for it at that snapshot) through
-- that month and how it compares: error = actual - expected, inside_band = the
-- actual fell within P10..P90. Frozen forecasts are kept per branch x product,
-- so a team or account-manager scope sees none of them.
-- naive_pipeline / naive_last_year: the naive baselines frozen beside the P50
-- (analytics/forecast/naive.py), NULL in rows frozen before them and in the windows'.
WITH
-- The revenue read from its sums per branch x product x period that the load keeps
-- (cache_forecast_revenue, build_forecast_revenue.sql: every revenue line of the
-- company summed, as revenue_line_periods sums them), not from the ~3 M revenue lines
-- (two scans of them were half of this query at a million opportunities).
period_bounds AS (
    SELECT MAX(period) AS data_through
    FROM cache_forecast_revenue
    WHERE period <= :through_period
),

frozen AS (
    SELECT
        f.*,
        f.year * 100 + f.month AS period,
        {{ include horizon_first_period alias=f }} AS first_period
    FROM forecast_snapshots AS f
    CROSS JOIN period_bounds AS p
    WHERE f.snapshot_date <= CAST(:as_of AS DATE)
        AND f.year * 100 + f.month <= p.data_through
        AND {{ scope f budget }}
),

-- Revenue per line and month: a frozen row adds up at most twelve monthly sums,
-- not every revenue line of its year.
monthly AS (
    SELECT r.branch, r.product, r.period, r.amount
    FROM cache_forecast_revenue AS r
    WHERE r.period >= (SELECT MIN(first_period) FROM frozen)
        AND r.period <= (SELECT MAX(period) FROM frozen)
),

arrived AS (
    SELECT
        f.snapshot_date,
        f.horizon,
        f.year,
        f.month,
        f.branch,
        f.product,
        COALESCE(SUM(m.amount), 0) AS actual
    FROM frozen AS f
    LEFT JOIN monthly AS m
        ON m.branch = f.branch
        AND m.product = f.product
        AND m.period >= f.first_period
        AND m.period <= f.period
    GROUP BY f.snapshot_date, f.horizon, f.year, f.month, f.branch, f.product
),

final AS (
    SELECT
        f.snapshot_date,
        f.horizon,
        f.year,
        f.month,
        f.branch,
        f.product,
        f.data_through AS frozen_data_through,
        f.expected,
        f.p10,
        f.p50,
        f.p90,
        f.naive_pipeline,
        f.naive_last_year,
        a.actual,
        a.actual - f.expected AS error,
        a.actual >= f.p10 AND a.actual <= f.p90 AS inside_band
    FROM frozen AS f
    INNER JOIN arrived AS a
        ON a.snapshot_date = f.snapshot_date
        AND a.horizon = f.horizon
        AND a.year = f.year
        AND a.month = f.month
        AND a.branch = f.branch
        AND a.product = f.product
)

SELECT *
FROM final
ORDER BY horizon, snapshot_date, year, month, branch, product
