-- warn_budget_without_revenue: a budget year this batch loaded for which no revenue
-- period has been loaded yet.  One row per load × year.
SELECT b.load_id, CAST(b.year AS VARCHAR(8)) AS subject, count(*) AS n
FROM budget AS b
WHERE b.load_id BETWEEN :first_load AND :last_load
  AND NOT EXISTS (SELECT 1 FROM revenue AS r WHERE r.period BETWEEN b.year * 100 + 1 AND b.year * 100 + 12)
GROUP BY b.load_id, b.year
ORDER BY b.load_id, b.year
