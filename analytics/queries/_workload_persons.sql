-- fragment workload_persons (metrics.md, Workload and capability per account manager):
-- one row per account manager in the viewer's scope and filters with all of
-- their scorecard over every team they were in (as far as the scope shows
-- it), placed in and benchmarked against the team they are in now. Behind
-- 我的商机: a manager's own target, pipeline and win rate. Grain: owner_id.
-- Needs workload_rows (and its facts) before it.
-- needs: workload_rows
workload_persons AS (
    SELECT
        w.*,
        s.team AS current_team,
        s.branch AS current_branch
    FROM workload_rows AS w
    LEFT JOIN stg_org AS s ON s.staff_id = w.owner_id
    WHERE w.level = 'person'
)
