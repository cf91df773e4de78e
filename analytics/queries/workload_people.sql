-- workload_people (metrics.md, Workload and capability per account manager):
-- the workload_persons fragment (one row per account manager, all their teams)
-- over the derived per-manager facts (workload_facts_cached). Grain: owner_id.
WITH
{{ include workload_facts_cached }},
{{ include workload_persons }}

SELECT *
FROM workload_persons
ORDER BY owner_id
