-- workload_managers_live (metrics.md, Workload and capability per account manager):
-- one row per account manager x team in the viewer's scope and filters (a
-- manager who moved team has a row for each team, each with what happened
-- while they were in it), with every field of the section, the interval and
-- rank that keep small samples from being ranked by luck, and the hidden-order
-- flag. From the events themselves (workload_facts): for the filters the
-- per-manager facts cannot answer. Grain: owner_id x team.
WITH
{{ include workload_facts }},
{{ include workload_rows }},

final AS (
    SELECT *
    FROM workload_rows
    WHERE level = 'member'
)

SELECT *
FROM final
ORDER BY branch, team, capability_rank NULLS LAST, owner_id
