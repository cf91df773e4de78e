-- fragment workload_facts_cached (metrics.md, Workload and capability):
-- workload_facts and scoped_workload_facts, with the workload_facts fragment's
-- columns, read for as_of from cache_workload_facts (build_workload_facts.sql:
-- the company's facts per account manager x team x branch (x cycle_days for
-- the wins of a manager who won under several teams), built
-- once per data version, as_of and settings by analytics/derived.py, at load
-- for the newest snapshot) instead of computed from ~6 M activities and every
-- deal on each view. The viewer's scope and a branch, team or owner filter are
-- a filter over these per-manager rows. The other filters (product, industry,
-- business type, origin, campaign, class, created period) need the events
-- themselves: analytics/metrics/workload.py sends those questions to the
-- *_live queries, and the scope tag here names the opportunity's columns, so a
-- question sent here by mistake fails rather than being answered unfiltered.
-- binds: as_of
workload_facts AS NOT MATERIALIZED (
    SELECT
        f.owner_id,
        f.team,
        f.branch,
        f.cycle_days,
        f.open_count,
        f.open_value,
        f.key_open,
        f.new_mined,
        f.new_dispatched,
        f.activities,
        f.won_count,
        f.won_value,
        f.lost_count,
        f.closed_count,
        f.late_registered_count,
        f.stale,
        f.overdue,
        f.support_open,
        f.target,
        f.won_value_ytd,
        f.open_expected_value,
        f.pipeline_expected,
        f.median_cycle_days
    FROM cache_workload_facts AS f
    WHERE f.as_of = CAST(:as_of AS DATE)
),

scoped_workload_facts AS NOT MATERIALIZED (
    SELECT *
    FROM workload_facts AS f
    WHERE {{ scope f opportunity }}
)
