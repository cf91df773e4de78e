-- workload_team_medians (metrics.md, Workload and capability per account
-- manager): the workload_medians fragment (each team's median of every field)
-- over the derived per-manager facts (workload_facts_cached). Grain: branch x team.
WITH
{{ include workload_facts_cached }},
{{ include workload_medians }}

SELECT *
FROM workload_medians
ORDER BY branch, team
