-- build_workload_facts (metrics.md, Workload and capability per account
-- manager): fills cache_workload_facts for one as_of (analytics/derived.py)
-- with the workload_facts fragment over the whole company: one row per
-- account manager x team x branch (and cycle_days, for a manager who won under
-- several teams) with the scorecard's additive sums and median cycle, so a
-- scorecard is a filter and a sum over some thousands of rows. The
-- definitions stay in _workload_events.sql and _workload_fact_columns.sql;
-- this file only lays them out. Built per data version, as_of and the
-- settings it binds (windows, stale and class thresholds, p(o), hidden orders).
WITH
{{ include workload_facts }}

SELECT
    CAST(:as_of AS DATE) AS as_of,
    owner_id,
    team,
    branch,
    cycle_days,
    open_count,
    open_value,
    key_open,
    new_mined,
    new_dispatched,
    activities,
    won_count,
    won_value,
    lost_count,
    closed_count,
    late_registered_count,
    stale,
    overdue,
    support_open,
    target,
    won_value_ytd,
    open_expected_value,
    pipeline_expected,
    median_cycle_days
FROM workload_facts
