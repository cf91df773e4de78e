-- forecast_frozen_pair (metrics.md, Week-over-week movement: why the forecast
-- moved; Year-end forecast): the year-end forecast (month 12) of year Y frozen
-- at snapshot A (:snapshot_a) and at snapshot B (:snapshot_b), summed over the
-- branch x product lines in scope (frozen forecasts are kept per line, so a team
-- or owner scope has none). The expected value adds over lines; a band does not,
-- so p50 is given only when one line is in scope. Grain: one row per snapshot
-- (A, B) that has a frozen forecast for Y.
WITH
frozen AS (
    SELECT f.snapshot_date, f.data_through, f.expected, f.p50
    FROM forecast_snapshots AS f
    WHERE f.snapshot_date IN (CAST(:snapshot_a AS DATE), CAST(:snapshot_b AS DATE))
        AND f.year = :year
        AND f.month = 12
        AND f.horizon = 'year_end'
        AND {{ scope f budget }}
)

SELECT
    snapshot_date,
    MAX(data_through) AS data_through,
    SUM(expected) AS expected,
    CASE WHEN COUNT(*) = 1 THEN MAX(p50) END AS p50,
    COUNT(*) AS lines
FROM frozen
GROUP BY snapshot_date
ORDER BY snapshot_date
