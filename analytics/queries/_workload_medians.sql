-- fragment workload_medians (metrics.md, Workload and capability per account
-- manager): one row per team (branch x team: names repeat across branches)
-- with the median over its members' rows of every
-- scorecard field: the benchmark shown beside each manager's figure. Run by
-- analytics/metrics/workload.py for the whole company under the viewer's
-- filters and cut to the viewer's teams there, so a viewer sees aggregates of
-- their teams, never other people's rows. Grain: branch x team.
-- Needs workload_rows (and its facts) before it.
-- needs: workload_rows
workload_medians AS (
    SELECT
        branch,
        team,
        COUNT(*) AS members,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY open_count) AS open_count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY open_value) AS open_value,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY key_open) AS key_open,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY new_mined) AS new_mined,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY new_dispatched) AS new_dispatched,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY activities) AS activities,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY activities_per_week) AS activities_per_week,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY won_count) AS won_count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY won_value) AS won_value,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY lost_count) AS lost_count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_count) AS closed_count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY win_rate) AS win_rate,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY win_rate_adjusted) AS win_rate_adjusted,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY median_cycle_days) AS median_cycle_days,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY stale) AS stale,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY overdue) AS overdue,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY support_open) AS support_open,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY target) AS target,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY won_value_ytd) AS won_value_ytd,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY target_attainment) AS target_attainment,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY pipeline_expected) AS pipeline_expected,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY coverage) AS coverage,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY late_registered_share) AS late_registered_share
    FROM workload_rows
    WHERE level = 'member'
    GROUP BY branch, team
)
