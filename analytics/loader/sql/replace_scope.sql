-- replace_scope: which rows of each snapshot date an opportunities file replaces (issue 17).
-- A file whose owners all belong to branches (org) and that leaves out a branch the
-- snapshot holds is a partial export: it replaces only its own branches' rows of that
-- date (and any opportunity it carries, wherever the snapshot held it); otherwise it
-- replaces the whole date.  One row per date and file branch; whole = the whole date.
-- {{ owners }}: the file's distinct (snapshot_date, owner_id).  Runs in the warehouse
-- (both backends): for the preview in a transaction rolled back, for the load inside
-- the batch's one transaction (so org loaded earlier in the batch counts).
CREATE TEMPORARY TABLE {{ scope }} AS
WITH file_branches AS (
    SELECT DISTINCT f.snapshot_date, NULLIF(s.branch, '') AS branch
    FROM {{ owners }} AS f
    LEFT JOIN org AS s ON s.staff_id = f.owner_id
),
held_branches AS (
    SELECT DISTINCT o.snapshot_date, s.branch
    FROM opportunity_snapshot AS o
    JOIN org AS s ON s.staff_id = o.owner_id
    WHERE NULLIF(s.branch, '') IS NOT NULL
      AND o.snapshot_date IN (SELECT snapshot_date FROM file_branches)
),
partial_dates AS (
    SELECT DISTINCT h.snapshot_date
    FROM held_branches AS h
    WHERE NOT EXISTS (
        SELECT 1 FROM file_branches AS f
        WHERE f.snapshot_date = h.snapshot_date AND f.branch = h.branch
    )
    AND NOT EXISTS (
        SELECT 1 FROM file_branches AS u
        WHERE u.snapshot_date = h.snapshot_date AND u.branch IS NULL
    )
)
SELECT f.snapshot_date, f.branch, p.snapshot_date IS NULL AS whole
FROM file_branches AS f
LEFT JOIN partial_dates AS p ON p.snapshot_date = f.snapshot_date;
