-- workload_teams_live (metrics.md, Workload and capability per account
-- manager): workload_teams from the events themselves (workload_facts), for
-- the filters the per-manager facts cannot answer. Grain: branch x team.
WITH
{{ include workload_facts }}

SELECT branch, team
FROM scoped_workload_facts
WHERE team IS NOT NULL
GROUP BY branch, team
ORDER BY branch, team
