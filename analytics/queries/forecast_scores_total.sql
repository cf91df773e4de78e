-- forecast_scores_total (metrics.md, Year-end forecast, calibration): one row per
-- frozen company total (forecast_snapshot_totals: snapshot_date x horizon x year
-- x month, frozen on or before as_of) whose month has since been loaded, with the
-- company's revenue from the horizon's first month (January for the year-end,
-- the window's first month otherwise, as forecast_scores.sql) through that month
-- and how it compares: error = actual - expected, inside_band = the actual fell
-- within P10..P90 of the total's own band (its lines summed run by run).
-- Company-wide: the caller asks only for the company with no filter
-- (analytics/forecast/frozen.py).
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
        t.*,
        t.year * 100 + t.month AS period,
        {{ include horizon_first_period alias=t }} AS first_period
    FROM forecast_snapshot_totals AS t
    CROSS JOIN period_bounds AS p
    WHERE t.snapshot_date <= CAST(:as_of AS DATE)
        AND t.year * 100 + t.month <= p.data_through
),

-- The company's revenue summed per month first: a frozen total then adds up at
-- most twelve monthly sums, not every revenue line of its year.
monthly AS (
    SELECT r.period, SUM(r.amount) AS amount
    FROM cache_forecast_revenue AS r
    WHERE r.period >= (SELECT MIN(first_period) FROM frozen)
        AND r.period <= (SELECT MAX(period) FROM frozen)
    GROUP BY r.period
),

arrived AS (
    SELECT
        f.snapshot_date,
        f.horizon,
        f.year,
        f.month,
        COALESCE(SUM(m.amount), 0) AS actual
    FROM frozen AS f
    LEFT JOIN monthly AS m ON m.period >= f.first_period AND m.period <= f.period
    GROUP BY f.snapshot_date, f.horizon, f.year, f.month
),

final AS (
    SELECT
        f.snapshot_date,
        f.horizon,
        f.year,
        f.month,
        f.lines,
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
)

SELECT *
FROM final
ORDER BY horizon, snapshot_date, year, month
