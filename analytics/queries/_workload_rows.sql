-- fragment workload_rows (metrics.md, Workload and capability): the scorecard,
-- one row per account manager x team (level 'member': what they did while in
-- that team) and one per account manager (level 'person': all of it, under the
-- team they are in now), summed from scoped_workload_facts: the per-manager
-- sums of the workload_facts fragment (live, from the events) or of
-- workload_facts_cached (the derived table); a query includes one of the two
-- first. Every figure is a sum or a ratio of sums; median_cycle_days is the
-- row's own median where one fact row holds all its wins, else (a manager
-- who won under several teams: their wins split by cycle_days) the median of
-- those wins, each cycle_days row counted won_count times.
-- expected_attainment = (won_value_ytd + pipeline_expected) / target: where
-- the targets chart's bar ends against the target (coverage is of the
-- remaining target only, so it cannot label that bar).
-- win_rate_adjusted = (won + w x team_rate) / (closed + w), w the setting
-- win_rate_prior_weight; team_rate (and the team's hidden-order share and
-- average won value) come from every closed deal of the team in T, before the
-- viewer's scope and filters (workload_facts' closed sums), so the prior does
-- not change with who is looking.
-- A team is its branch and name together (金融一组 exists in several branches).
-- The interval around win_rate_adjusted is a Wilson interval on closed + w
-- deals (z bound as interval_z); managers with fewer than win_rate_min_closed
-- closed deals are marked too_few_deals and get no capability_rank.
-- late_registered_flag: at least late_registered_min_count late wins and the
-- Wilson lower bound of the manager's hidden-order share above the team's
-- share (far above, not one unlucky deal).
-- binds: interval_z, late_registered_min_count, win_rate_min_closed, win_rate_prior_weight, workload_window_weeks
team_benchmarks AS (
    SELECT
        branch,
        team,
        CAST(SUM(won_count) AS DOUBLE PRECISION) / SUM(closed_count) AS team_rate,
        CAST(SUM(late_registered_count) AS DOUBLE PRECISION) / NULLIF(SUM(won_count), 0)
            AS team_late_registered_share,
        SUM(won_value) / NULLIF(SUM(won_count), 0) AS team_avg_won_value
    FROM workload_facts
    GROUP BY branch, team
    HAVING SUM(closed_count) > 0
),

company_benchmark AS (
    SELECT CAST(SUM(won_count) AS DOUBLE PRECISION) / NULLIF(SUM(closed_count), 0) AS company_rate
    FROM workload_facts
),

workload_totals AS (
    SELECT
        CASE WHEN GROUPING(team) = 1 THEN 'person' ELSE 'member' END AS level,
        owner_id,
        team,
        branch,
        CAST(SUM(open_count) AS BIGINT) AS open_count,
        SUM(open_value) AS open_value,
        CAST(SUM(key_open) AS BIGINT) AS key_open,
        CAST(SUM(new_mined) AS BIGINT) AS new_mined,
        CAST(SUM(new_dispatched) AS BIGINT) AS new_dispatched,
        CAST(SUM(activities) AS BIGINT) AS activities,
        CAST(SUM(won_count) AS BIGINT) AS won_count,
        SUM(won_value) AS won_value,
        CAST(SUM(lost_count) AS BIGINT) AS lost_count,
        CAST(SUM(closed_count) AS BIGINT) AS closed_count,
        CAST(SUM(late_registered_count) AS BIGINT) AS late_registered_count,
        CAST(SUM(stale) AS BIGINT) AS stale,
        CAST(SUM(overdue) AS BIGINT) AS overdue,
        CAST(SUM(support_open) AS BIGINT) AS support_open,
        SUM(target) AS target,
        SUM(won_value_ytd) AS won_value_ytd,
        SUM(open_expected_value) AS open_expected_value,
        SUM(pipeline_expected) AS pipeline_expected,
        MAX(median_cycle_days) FILTER (WHERE cycle_days IS NULL) AS own_median_cycle_days
    FROM scoped_workload_facts
    GROUP BY GROUPING SETS ((owner_id, team, branch), (owner_id))
),

spread_medians AS (
    SELECT
        CASE WHEN GROUPING(f.team) = 1 THEN 'person' ELSE 'member' END AS level,
        f.owner_id,
        f.team,
        f.branch,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY f.cycle_days) AS median_cycle_days
    FROM scoped_workload_facts AS f
    CROSS JOIN LATERAL generate_series(1, f.won_count) AS each_win (position)
    WHERE f.cycle_days IS NOT NULL
    GROUP BY GROUPING SETS ((f.owner_id, f.team, f.branch), (f.owner_id))
),

placed AS (
    SELECT
        t.*,
        CASE WHEN t.team IS NULL THEN s.team ELSE t.team END AS benchmark_team,
        CASE WHEN t.team IS NULL THEN s.branch ELSE t.branch END AS benchmark_branch,
        s.name AS owner_name,
        COALESCE(m.median_cycle_days, t.own_median_cycle_days) AS median_cycle_days,
        NULLIF(CAST(t.closed_count AS DOUBLE PRECISION) + :win_rate_prior_weight, 0) AS prior_closed,
        CAST(NULLIF(t.won_count, 0) AS DOUBLE PRECISION) AS won_n,
        CASE WHEN t.target IS NULL THEN NULL ELSE GREATEST(t.target - t.won_value_ytd, 0) END
            AS remaining_target
    FROM workload_totals AS t
    LEFT JOIN spread_medians AS m
        ON m.level = t.level
        AND m.owner_id = t.owner_id
        AND m.team IS NOT DISTINCT FROM t.team
        AND m.branch IS NOT DISTINCT FROM t.branch
    LEFT JOIN stg_org AS s ON s.staff_id = t.owner_id
),

rated AS (
    SELECT
        p.*,
        COALESCE(b.team_rate, c.company_rate) AS team_rate,
        b.team_late_registered_share,
        b.team_avg_won_value,
        CAST(p.won_count AS DOUBLE PRECISION) / NULLIF(p.closed_count, 0) AS win_rate,
        (p.won_count + :win_rate_prior_weight * COALESCE(b.team_rate, c.company_rate))
            / p.prior_closed AS win_rate_adjusted,
        p.late_registered_count / p.won_n AS late_registered_share,
        :interval_z * :interval_z / p.prior_closed AS z2n_rate,
        :interval_z * :interval_z / p.won_n AS z2n_late
    FROM placed AS p
    CROSS JOIN company_benchmark AS c
    LEFT JOIN team_benchmarks AS b ON b.branch = p.benchmark_branch AND b.team = p.benchmark_team
),

bounded AS (
    SELECT
        r.*,
        (
            r.win_rate_adjusted + 0.5 * r.z2n_rate
            - :interval_z * SQRT(
                r.win_rate_adjusted * (1 - r.win_rate_adjusted) / r.prior_closed
                + (0.5 * :interval_z / r.prior_closed) * (0.5 * :interval_z / r.prior_closed)
            )
        ) / (1 + r.z2n_rate) AS win_rate_low,
        (
            r.win_rate_adjusted + 0.5 * r.z2n_rate
            + :interval_z * SQRT(
                r.win_rate_adjusted * (1 - r.win_rate_adjusted) / r.prior_closed
                + (0.5 * :interval_z / r.prior_closed) * (0.5 * :interval_z / r.prior_closed)
            )
        ) / (1 + r.z2n_rate) AS win_rate_high,
        (
            r.late_registered_share + 0.5 * r.z2n_late
            - :interval_z * SQRT(
                r.late_registered_share * (1 - r.late_registered_share) / r.won_n
                + (0.5 * :interval_z / r.won_n) * (0.5 * :interval_z / r.won_n)
            )
        ) / (1 + r.z2n_late) AS late_registered_low,
        r.closed_count < :win_rate_min_closed AS too_few_deals
    FROM rated AS r
),

workload_rows AS (
    SELECT
        level,
        owner_id,
        owner_name,
        team,
        branch,
        open_count,
        open_value,
        key_open,
        new_mined,
        new_dispatched,
        activities,
        CAST(activities AS DOUBLE PRECISION) / :workload_window_weeks AS activities_per_week,
        won_count,
        won_value,
        lost_count,
        closed_count,
        win_rate,
        team_rate,
        win_rate_adjusted,
        win_rate_low,
        win_rate_high,
        too_few_deals,
        CASE
            WHEN too_few_deals OR win_rate_adjusted IS NULL THEN NULL
            ELSE RANK() OVER (
                PARTITION BY level, too_few_deals OR win_rate_adjusted IS NULL
                ORDER BY win_rate_adjusted DESC
            )
        END AS capability_rank,
        CASE
            WHEN closed_count = 0 OR team_rate IS NULL THEN NULL
            WHEN win_rate_low > team_rate THEN 'above'
            WHEN win_rate_high < team_rate THEN 'below'
            ELSE 'within'
        END AS vs_team,
        median_cycle_days,
        stale,
        overdue,
        support_open,
        target,
        won_value_ytd,
        won_value_ytd / NULLIF(target, 0) AS target_attainment,
        open_expected_value,
        pipeline_expected,
        remaining_target,
        pipeline_expected / NULLIF(remaining_target, 0) AS coverage,
        (won_value_ytd + pipeline_expected) / NULLIF(target, 0) AS expected_attainment,
        late_registered_count,
        late_registered_share,
        team_late_registered_share,
        COALESCE(
            late_registered_count >= :late_registered_min_count
                AND late_registered_low > team_late_registered_share,
            FALSE
        ) AS late_registered_flag,
        won_value / NULLIF(won_count, 0) AS avg_won_value,
        team_avg_won_value
    FROM bounded
)
