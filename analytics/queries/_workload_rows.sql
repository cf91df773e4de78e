-- fragment workload_rows (metrics.md, Workload and capability): the scorecard,
-- one row per account manager x team (level 'member': what they did while in
-- that team) and one per account manager (level 'person': all of it, under the
-- team they are in now), from the scoped workload_events.
-- expected_attainment = (won_value_ytd + pipeline_expected) / target: where
-- the targets chart's bar ends against the target (coverage is of the
-- remaining target only, so it cannot label that bar).
-- win_rate_adjusted = (won + w x team_rate) / (closed + w), w the setting
-- win_rate_prior_weight; team_rate (and the team's hidden-order share and
-- average won value) come from every closed deal of the team in T, before the
-- viewer's scope and filters, so the prior does not change with who is looking.
-- A team is its branch and name together (金融一组 exists in several branches).
-- The interval around win_rate_adjusted is a Wilson interval on closed + w
-- deals (z bound as interval_z); managers with fewer than win_rate_min_closed
-- closed deals are marked too_few_deals and get no capability_rank.
-- late_registered_flag: at least late_registered_min_count late wins and the
-- Wilson lower bound of the manager's hidden-order share above the team's
-- share (far above, not one unlucky deal). Needs workload_events before it.
-- needs: workload_events
-- binds: interval_z, late_registered_min_count, win_rate_min_closed, win_rate_prior_weight, workload_window_weeks
team_benchmarks AS (
    SELECT
        branch,
        team,
        CAST(SUM(CASE WHEN is_won THEN 1 ELSE 0 END) AS DOUBLE PRECISION) / COUNT(*) AS team_rate,
        CAST(SUM(CASE WHEN late THEN 1 ELSE 0 END) AS DOUBLE PRECISION)
            / NULLIF(SUM(CASE WHEN is_won THEN 1 ELSE 0 END), 0) AS team_late_registered_share,
        SUM(CASE WHEN is_won THEN amount ELSE 0 END)
            / NULLIF(SUM(CASE WHEN is_won THEN 1 ELSE 0 END), 0) AS team_avg_won_value
    FROM workload_events
    WHERE kind = 'closed'
    GROUP BY branch, team
),

company_benchmark AS (
    SELECT CAST(SUM(CASE WHEN is_won THEN 1 ELSE 0 END) AS DOUBLE PRECISION) / NULLIF(COUNT(*), 0) AS company_rate
    FROM workload_events
    WHERE kind = 'closed'
),

workload_totals AS (
    SELECT
        CASE WHEN GROUPING(team) = 1 THEN 'person' ELSE 'member' END AS level,
        owner_id,
        team,
        branch,
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
        percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle_days) AS median_cycle_days,
        COUNT(*) FILTER (WHERE kind = 'open' AND stale) AS stale,
        COUNT(*) FILTER (WHERE kind = 'open' AND overdue) AS overdue,
        COUNT(*) FILTER (WHERE kind = 'support') AS support_open,
        SUM(amount) FILTER (WHERE kind = 'target') AS target,
        COALESCE(SUM(amount) FILTER (WHERE kind = 'won_ytd'), 0) AS won_value_ytd,
        COALESCE(SUM(expected_value) FILTER (WHERE kind = 'open'), 0) AS open_expected_value,
        COALESCE(SUM(expected_value_year) FILTER (WHERE kind = 'open'), 0) AS pipeline_expected
    FROM scoped_workload_events
    GROUP BY GROUPING SETS ((owner_id, team, branch), (owner_id))
),

placed AS (
    SELECT
        t.*,
        CASE WHEN t.team IS NULL THEN s.team ELSE t.team END AS benchmark_team,
        CASE WHEN t.team IS NULL THEN s.branch ELSE t.branch END AS benchmark_branch,
        s.name AS owner_name,
        NULLIF(CAST(t.closed_count AS DOUBLE PRECISION) + :win_rate_prior_weight, 0) AS prior_closed,
        CAST(NULLIF(t.won_count, 0) AS DOUBLE PRECISION) AS won_n,
        CASE WHEN t.target IS NULL THEN NULL ELSE GREATEST(t.target - t.won_value_ytd, 0) END
            AS remaining_target
    FROM workload_totals AS t
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
