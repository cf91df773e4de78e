-- warn_unknown_owner: account-manager ids in this batch's opportunities that org does not
-- hold (loaded anyway, data-contract.md).  One row per load × id, with its row count.
SELECT o.load_id, o.owner_id AS subject, count(*) AS n
FROM opportunity_snapshot AS o
WHERE o.load_id BETWEEN :first_load AND :last_load
  AND NOT EXISTS (SELECT 1 FROM org AS s WHERE s.staff_id = o.owner_id)
GROUP BY o.load_id, o.owner_id
ORDER BY o.load_id, n DESC, o.owner_id
