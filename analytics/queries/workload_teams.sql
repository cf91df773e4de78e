-- workload_teams (metrics.md, Workload and capability per account manager):
-- the teams (branch + team) that have a row in workload_managers for the
-- viewer's scope and filters: the team page's picker, which needs the teams,
-- not the scorecard of every manager (15,000 rows for a director at 1 M). The
-- member rows of workload_managers are the groups of scoped_workload_facts by
-- owner, team and branch, so these are its teams. Over the derived
-- per-manager facts (workload_facts_cached). Grain: branch x team.
WITH
{{ include workload_facts_cached }}

SELECT branch, team
FROM scoped_workload_facts
WHERE team IS NOT NULL
GROUP BY branch, team
ORDER BY branch, team
