-- workload_managers (metrics.md, Workload and capability per account manager):
-- one row per account manager x team in the viewer's scope and filters (a
-- manager who moved team has a row for each team, each with what happened
-- while they were in it), with every field of the section, the interval and
-- rank that keep small samples from being ranked by luck, and the hidden-order
-- flag. Over the derived per-manager facts (workload_facts_cached).
-- Grain: owner_id x team.
WITH
{{ include workload_facts_cached }},
{{ include workload_rows }},

final AS (
    SELECT *
    FROM workload_rows
    WHERE level = 'member'
)

SELECT *
FROM final
ORDER BY branch, team, capability_rank NULLS LAST, owner_id
