-- process_quality (metrics.md, Data quality of the process): per team and per
-- owner (level 'total' | 'team' | 'owner') of the funnel's cohort (opportunities
-- in scope created in [cohort_start, cohort_end]), their stage changes made on
-- or before as_of:
-- skipped_stages = changes that jump over one or more stages (a win counts as
-- entering the contract stage won_stage, so 3 -> won is no skip but 2 -> won
-- is), backward_moves = changes to a lower stage, and their shares of all
-- changes. Creations (no from_stage) are not changes; closing lost or
-- terminated moves to no stage and is neither (each opportunity's counts are
-- defined once, as known_stage_changes, known_skipped_stages and
-- known_backward_moves, in build_opportunity_facts.sql). Like funnel_cohort, it
-- reads the classified state under the scope predicate (no key ranking needed).
WITH
{{ include opportunity_state }},

classified_changes AS (
    SELECT
        o.team,
        o.branch,
        o.owner_id,
        o.owner_name,
        o.opportunity_id,
        o.known_stage_changes AS changes,
        o.known_skipped_stages AS skipped,
        o.known_backward_moves AS backward
    FROM classified AS o
    WHERE {{ scope o opportunity }}
        AND o.known_stage_changes > 0
        AND o.created_date >= CAST(:cohort_start AS DATE)
        AND o.created_date <= CAST(:cohort_end AS DATE)
),

grouped AS (
    SELECT
        CASE
            WHEN GROUPING(owner_id) = 0 THEN 'owner'
            WHEN GROUPING(team) = 0 THEN 'team'
            ELSE 'total'
        END AS level,
        team,
        branch,
        owner_id,
        owner_name,
        COUNT(*) AS opportunities,
        COALESCE(SUM(changes), 0) AS changes,
        COALESCE(SUM(skipped), 0) AS skipped_stages,
        COALESCE(SUM(backward), 0) AS backward_moves
    FROM classified_changes
    GROUP BY GROUPING SETS ((), (team, branch), (team, branch, owner_id, owner_name))
),

final AS (
    SELECT
        level,
        team,
        branch,
        owner_id,
        owner_name,
        CAST(opportunities AS BIGINT) AS opportunities,
        CAST(changes AS BIGINT) AS changes,
        CAST(skipped_stages AS BIGINT) AS skipped_stages,
        CAST(backward_moves AS BIGINT) AS backward_moves,
        CAST(skipped_stages AS DOUBLE PRECISION) / NULLIF(changes, 0) AS skipped_share,
        CAST(backward_moves AS DOUBLE PRECISION) / NULLIF(changes, 0) AS backward_share
    FROM grouped
)

SELECT *
FROM final
ORDER BY
    level = 'owner',
    level = 'total' DESC,
    skipped_stages + backward_moves DESC,
    changes DESC,
    team,
    branch,
    owner_id
