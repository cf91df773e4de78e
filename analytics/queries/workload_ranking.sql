-- workload_ranking (metrics.md, Workload and capability per account manager:
-- ranking): the workload_ranked fragment (its rules) over the derived per-manager
-- facts (workload_facts_cached). Grain: owner_id x team.
WITH
{{ include workload_facts_cached }},
{{ include workload_ranked }}

SELECT *
FROM workload_ranked
ORDER BY band = 'unranked', position
