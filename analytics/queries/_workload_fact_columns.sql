-- fragment workload_fact_columns (metrics.md, Workload and capability): the
-- scorecard's additive sums over a group of workload_events, written once for
-- the workload_facts fragment's two groupings. Every figure of a manager's
-- row is a sum of these (or a ratio of such sums), so per-manager rows add up
-- to any scope's rows; median_cycle_days (the wins' created -> won days) is
-- the group's own, and the workload_facts fragment splits the wins of a
-- manager who won under several teams by cycle_days so it can be recomputed.
-- kind: expression
COUNT(*) FILTER (WHERE kind = 'open') AS open_count,
COALESCE(SUM(amount) FILTER (WHERE kind = 'open'), 0) AS open_value,
COUNT(*) FILTER (WHERE kind = 'open' AND is_key) AS key_open,
COUNT(*) FILTER (WHERE kind = 'created' AND origin = 'mined') AS new_mined,
COUNT(*) FILTER (WHERE kind = 'created' AND origin = 'dispatched') AS new_dispatched,
COUNT(*) FILTER (WHERE kind = 'activity') AS activities,
COUNT(*) FILTER (WHERE kind = 'closed' AND is_won) AS won_count,
COALESCE(SUM(amount) FILTER (WHERE kind = 'closed' AND is_won), 0) AS won_value,
COUNT(*) FILTER (WHERE kind = 'closed' AND is_lost) AS lost_count,
COUNT(*) FILTER (WHERE kind = 'closed') AS closed_count,
COUNT(*) FILTER (WHERE kind = 'closed' AND late) AS late_registered_count,
COUNT(*) FILTER (WHERE kind = 'open' AND stale) AS stale,
COUNT(*) FILTER (WHERE kind = 'open' AND overdue) AS overdue,
COUNT(*) FILTER (WHERE kind = 'support') AS support_open,
SUM(amount) FILTER (WHERE kind = 'target') AS target,
COALESCE(SUM(amount) FILTER (WHERE kind = 'won_ytd'), 0) AS won_value_ytd,
COALESCE(SUM(expected_value) FILTER (WHERE kind = 'open'), 0) AS open_expected_value,
COALESCE(SUM(expected_value_year) FILTER (WHERE kind = 'open'), 0) AS pipeline_expected,
percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle_days) AS median_cycle_days
