-- snapshot_dates: one row per opportunity snapshot held, newest first.
SELECT snapshot_date
FROM stg_snapshots
ORDER BY snapshot_date DESC
