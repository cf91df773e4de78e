-- workload_ranking_live (metrics.md, Workload and capability per account manager:
-- ranking): workload_ranking from the events themselves (workload_facts), for the
-- filters the per-manager facts cannot answer. Grain: owner_id x team.
WITH
{{ include workload_facts }},
{{ include workload_ranked }}

SELECT *
FROM workload_ranked
ORDER BY band = 'unranked', position
