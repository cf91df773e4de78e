-- workload_people_live (metrics.md, Workload and capability per account manager):
-- workload_people from the events themselves (workload_facts), for the filters
-- the per-manager facts cannot answer. Grain: owner_id.
WITH
{{ include workload_facts }},
{{ include workload_persons }}

SELECT *
FROM workload_persons
ORDER BY owner_id
