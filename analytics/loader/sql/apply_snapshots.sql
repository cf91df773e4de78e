-- apply_snapshots: one snapshots row per date the load brought, counting the date's rows
-- as held after it (a partial export keeps other branches' rows: replacement.py).
-- Runs in the warehouse (both backends), inside the batch's one transaction, after
-- apply_replace moved the dates' old snapshots rows to the shadow table.
INSERT INTO snapshots (snapshot_date, row_count, load_id)
SELECT o.snapshot_date, CAST(count(*) AS INTEGER), :load_id
FROM opportunity_snapshot AS o
WHERE o.snapshot_date IN (SELECT DISTINCT n.snapshot_date FROM opportunity_snapshot AS n WHERE n.load_id = :load_id)
GROUP BY o.snapshot_date;
