-- forecast_frozen_history (metrics.md, Year-end forecast, calibration): one row
-- per snapshot frozen on or before as_of for year Y: what the year-end forecast
-- (month 12) said then for the lines in scope, summed (expected values add; the
-- band of a sum is not the sum of bands, so only the expected is summed here),
-- and the last revenue period it knew.
WITH
frozen AS (
    SELECT f.snapshot_date, f.data_through, f.expected
    FROM forecast_snapshots AS f
    WHERE f.snapshot_date <= CAST(:as_of AS DATE)
        AND f.year = :year
        AND f.month = 12
        AND f.horizon = 'year_end'
        AND {{ scope f budget }}
),

final AS (
    SELECT
        snapshot_date,
        MAX(data_through) AS data_through,
        SUM(expected) AS expected,
        COUNT(*) AS lines
    FROM frozen
    GROUP BY snapshot_date
)

SELECT *
FROM final
ORDER BY snapshot_date
