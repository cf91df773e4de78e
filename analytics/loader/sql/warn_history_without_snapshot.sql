-- warn_history_without_snapshot: opportunities in this batch's stage history that no
-- opportunity snapshot holds.  One row per load × opportunity.
SELECT h.load_id, h.opportunity_id AS subject, count(*) AS n
FROM stage_history AS h
WHERE h.load_id BETWEEN :first_load AND :last_load
  AND NOT EXISTS (SELECT 1 FROM opportunity_snapshot AS o WHERE o.opportunity_id = h.opportunity_id)
GROUP BY h.load_id, h.opportunity_id
ORDER BY h.load_id, h.opportunity_id
