-- stg_snapshots: one row per opportunity snapshot held (its export date).
SELECT snapshot_date, row_count
FROM snapshots
