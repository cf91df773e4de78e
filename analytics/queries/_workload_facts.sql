-- fragment workload_facts (metrics.md, Workload and capability): the
-- scorecard's additive sums and median cycle (workload_fact_columns) per
-- account manager x the team and branch the events counted under. For a
-- manager who won under more than one team (workload_movers) the wins are
-- split further by cycle_days (their created -> won days; null on every other
-- row), so the median cycle of any set of that manager's rows can still be
-- read from them (each such row's median is its cycle_days); everyone else
-- has one row per team, whose median is theirs.  workload_facts groups every
-- event: its closed sums are company-wide and unfiltered (the team benchmarks
-- read them); built for the company it is the derived per-manager table
-- (build_workload_facts.sql).  scoped_workload_facts groups the viewer's
-- scoped and filtered events: the live source of the workload_rows fragment,
-- for the filters the per-manager table cannot answer (workload_facts_cached).
-- needs: workload_events
workload_movers AS (
    SELECT owner_id
    FROM (
        SELECT DISTINCT owner_id, team, branch
        FROM workload_events
        WHERE cycle_days IS NOT NULL
    ) AS won_teams
    GROUP BY owner_id
    HAVING COUNT(*) > 1
),

split_workload_events AS (
    SELECT
        e.*,
        CASE WHEN m.owner_id IS NULL THEN CAST(NULL AS INTEGER) ELSE e.cycle_days END AS split_cycle_days
    FROM workload_events AS e
    LEFT JOIN workload_movers AS m ON m.owner_id = e.owner_id
),

scoped_split_events AS (
    SELECT *
    FROM split_workload_events AS e
    WHERE {{ scope e opportunity }}
),

workload_facts AS (
    SELECT
        owner_id,
        team,
        branch,
        split_cycle_days AS cycle_days,
        {{ include workload_fact_columns }}
    FROM split_workload_events
    GROUP BY owner_id, team, branch, split_cycle_days
),

scoped_workload_facts AS (
    SELECT
        owner_id,
        team,
        branch,
        split_cycle_days AS cycle_days,
        {{ include workload_fact_columns }}
    FROM scoped_split_events
    GROUP BY owner_id, team, branch, split_cycle_days
)
