-- warn_unknown_staff: staff ids in this batch's activities that org does not hold.
SELECT a.load_id, a.staff_id AS subject, count(*) AS n
FROM activities AS a
WHERE a.load_id BETWEEN :first_load AND :last_load
  AND NOT EXISTS (SELECT 1 FROM org AS s WHERE s.staff_id = a.staff_id)
GROUP BY a.load_id, a.staff_id
ORDER BY a.load_id, n DESC, a.staff_id
