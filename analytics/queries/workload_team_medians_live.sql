-- workload_team_medians_live (metrics.md, Workload and capability per account
-- manager): workload_team_medians from the events themselves (workload_facts),
-- for the filters the per-manager facts cannot answer. Grain: branch x team.
WITH
{{ include workload_facts }},
{{ include workload_medians }}

SELECT *
FROM workload_medians
ORDER BY branch, team
