-- fragment workload_ranked (metrics.md, Workload and capability per account manager:
-- ranking): the top and bottom workload_ranking_size rows of the scorecard
-- (account manager x team in the viewer's scope and filters) by one measure,
-- bound as ranking_measure: win_rate_adjusted (with its interval),
-- activities_per_week (effort) or coverage (target coverage). Every figure is
-- the scorecard's own (the workload_rows fragment); only the order is added.
-- Not ranked, and returned after the ranked rows (at most
-- workload_ranking_size of them, with unranked_count): by win rate, managers
-- marked too_few_deals (fewer than win_rate_min_closed closed deals in T), so
-- a lucky small sample is never at the top; by coverage, managers with no
-- target. By coverage a manager whose target is already met (no remaining
-- target, so no coverage) ranks above every coverage. Ties are broken by
-- owner_id, branch and team, so the cut is stable. With at most twice
-- workload_ranking_size ranked, everyone is shown: the better half as top
-- (the middle one too when the count is odd), the rest as bottom.
-- Grain: owner_id x team. Needs workload_rows (and its facts) before it.
-- needs: workload_rows
-- binds: ranking_measure, workload_ranking_size
ranking_members AS (
    SELECT *
    FROM workload_rows
    WHERE level = 'member'
),

ranking_measured AS (
    SELECT
        m.*,
        CASE CAST(:ranking_measure AS VARCHAR)
            WHEN 'win_rate_adjusted' THEN m.win_rate_adjusted
            WHEN 'activities_per_week' THEN m.activities_per_week
            WHEN 'coverage' THEN m.coverage
        END AS ranking_value,
        CASE
            WHEN CAST(:ranking_measure AS VARCHAR) = 'win_rate_adjusted' AND m.too_few_deals
                THEN 'too_few_deals'
            WHEN CAST(:ranking_measure AS VARCHAR) = 'coverage' AND COALESCE(m.target, 0) <= 0
                THEN 'no_target'
            WHEN CAST(:ranking_measure AS VARCHAR) = 'coverage' AND m.remaining_target = 0
                THEN NULL
            WHEN CASE CAST(:ranking_measure AS VARCHAR)
                    WHEN 'win_rate_adjusted' THEN m.win_rate_adjusted
                    WHEN 'activities_per_week' THEN m.activities_per_week
                    WHEN 'coverage' THEN m.coverage
                END IS NULL
                THEN 'no_value'
        END AS unranked_reason,
        CASE WHEN CAST(:ranking_measure AS VARCHAR) = 'coverage' AND m.remaining_target = 0 THEN 1 ELSE 0 END
            AS target_met
    FROM ranking_members AS m
),

ranking_ordered AS (
    SELECT
        m.*,
        ROW_NUMBER() OVER (
            PARTITION BY m.unranked_reason IS NULL
            ORDER BY m.target_met DESC, m.ranking_value DESC NULLS LAST, m.owner_id, m.branch, m.team
        ) AS position,
        SUM(CASE WHEN m.unranked_reason IS NULL THEN 1 ELSE 0 END) OVER () AS ranked_count,
        SUM(CASE WHEN m.unranked_reason IS NULL THEN 0 ELSE 1 END) OVER () AS unranked_count
    FROM ranking_measured AS m
),

ranking_halved AS (
    SELECT o.*, CAST(FLOOR((o.ranked_count + 1) * 0.5) AS INTEGER) AS half
    FROM ranking_ordered AS o
),

ranking_banded AS (
    SELECT
        CASE WHEN unranked_reason IS NULL THEN position END AS ranking,
        CASE
            WHEN unranked_reason IS NOT NULL THEN 'unranked'
            WHEN position <= LEAST(:workload_ranking_size, half) THEN 'top'
            WHEN position > GREATEST(ranked_count - :workload_ranking_size, half) THEN 'bottom'
        END AS band,
        owner_id,
        owner_name,
        team,
        branch,
        ranking_value,
        win_rate_adjusted,
        win_rate_low,
        win_rate_high,
        closed_count,
        too_few_deals,
        activities,
        activities_per_week,
        coverage,
        target,
        won_value_ytd,
        pipeline_expected,
        remaining_target,
        target_attainment,
        open_count,
        key_open,
        stale,
        overdue,
        unranked_reason,
        ranked_count,
        unranked_count,
        position
    FROM ranking_halved
),

workload_ranked AS (
    SELECT *
    FROM ranking_banded
    WHERE band IN ('top', 'bottom') OR (band = 'unranked' AND position <= :workload_ranking_size)
)
