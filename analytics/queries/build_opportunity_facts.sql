-- build_opportunity_facts: the rows of the derived table cache_opportunity_facts
-- for one as_of, one per opportunity in the newest snapshot on or before as_of
-- (its stg_opportunity_snapshot row), with the facts that need the whole history
-- up to as_of. Each fact is defined here once:
--   known_max_stage (metrics.md, Stage reached): the highest stage 0-4 it is known
--     to have reached, from every stage change and every snapshot held on or
--     before as_of. A move's from_stage and to_stage both count; a won
--     opportunity (in any record) has reached the contract stage won_stage; stage
--     5 (implementation) counts as won_stage. A skipped stage needs no row.
--   known_stint_entered_date (metrics.md, Stage duration): the day its current
--     stint began, i.e. the stint of cache_stage_stints not left by as_of; its
--     creation date when the history has no such stint.
--   known_slip_count (metrics.md, Problem opportunities): how often the expected
--     close date moved later from one snapshot held to the next.
--   known_last_activity_date: its latest activity on or before as_of.
--   opportunity_key: its number in cache_stage_stints (NULL when it has no stint),
--     the fast join between the two.
--   known_open_value_rank, known_open_total (metrics.md, Classes, key): an open
--     opportunity's rank by annual value (largest first, no value last, ties by
--     id) among ALL open opportunities of the state, and how many they are; the
--     key share (a setting) is applied to them when the state is read.
--   value_order: its place by annual value among ALL opportunities of the state
--     (largest first, no value last, ties by id); the rows are stored in this
--     order, so the explorer's list by value reads only the first blocks.
--   known_stage_changes, known_skipped_stages, known_backward_moves (metrics.md,
--     Data quality of the process): its changes made on or before as_of that
--     have a from_stage (creations are not changes); a skip jumps over one or
--     more stages (a win counts as entering won_stage, so 3 -> won is no skip
--     but 2 -> won is), a backward move goes to a lower stage; closing lost or
--     terminated moves to no stage and is neither.
-- Binds won_stage (analytics/blocks/stages.py). Needs cache_stage_stints.
WITH
asof_snapshot AS (
    SELECT MAX(snapshot_date) AS snapshot_date
    FROM stg_snapshots
    WHERE snapshot_date <= CAST(:as_of AS DATE)
),

state AS (
    SELECT o.*
    FROM stg_opportunity_snapshot AS o
    INNER JOIN asof_snapshot AS a ON o.snapshot_date = a.snapshot_date
),

-- The state's keys alone: the ranks below sort these three columns, not the state's
-- every column (sorting the wide rows took 2 s more at a million opportunities).
state_keys AS MATERIALIZED (
    SELECT opportunity_id, annual_value, status
    FROM state
),

-- Every snapshot row read once: per opportunity, the highest stage its snapshots show
-- and whether it was held with two different close dates (only such a one can have
-- slipped: the others, nearly all, are left out before the close dates are put in
-- order, a sort over every snapshot row that took 3.4 s at a million opportunities).
snapshot_history AS (
    SELECT
        opportunity_id,
        MAX(CASE WHEN status = 'won' THEN CAST(:won_stage AS INTEGER) ELSE stage END) AS stage,
        MIN(expected_close_date) < MAX(expected_close_date) AS close_moved
    FROM stg_opportunity_snapshot
    WHERE snapshot_date <= CAST(:as_of AS DATE)
    GROUP BY opportunity_id
),

stage_evidence AS (
    SELECT
        opportunity_id,
        CASE
            WHEN to_status = 'won' THEN CAST(:won_stage AS INTEGER)
            ELSE COALESCE(GREATEST(from_stage, to_stage), from_stage, to_stage)
        END AS stage
    FROM stg_stage_history
    WHERE changed_date <= CAST(:as_of AS DATE)
    UNION ALL
    SELECT opportunity_id, stage
    FROM snapshot_history
),

open_value_rank AS (
    SELECT
        opportunity_id,
        ROW_NUMBER() OVER (ORDER BY annual_value DESC NULLS LAST, opportunity_id) AS value_rank,
        COUNT(*) OVER () AS open_total
    FROM state_keys
    WHERE status = 'open'
),

value_order AS (
    SELECT
        opportunity_id,
        ROW_NUMBER() OVER (ORDER BY annual_value DESC NULLS LAST, opportunity_id) AS value_order
    FROM state_keys
),

max_stage AS (
    SELECT
        opportunity_id,
        CAST(LEAST(MAX(stage), CAST(:won_stage AS INTEGER)) AS INTEGER) AS max_stage
    FROM stage_evidence
    GROUP BY opportunity_id
),

stint_keys AS (
    SELECT DISTINCT opportunity_id, opportunity_key
    FROM cache_stage_stints
),

current_stints AS (
    SELECT opportunity_id, MAX(entered_date) AS entered_date
    FROM cache_stage_stints
    WHERE entered_date <= CAST(:as_of AS DATE)
        AND (left_date IS NULL OR left_date > CAST(:as_of AS DATE))
    GROUP BY opportunity_id
),

close_date_changes AS (
    SELECT
        o.opportunity_id,
        o.expected_close_date,
        LAG(o.expected_close_date) OVER (
            PARTITION BY o.opportunity_id ORDER BY o.snapshot_date
        ) AS previous_close_date
    FROM stg_opportunity_snapshot AS o
    INNER JOIN snapshot_history AS m ON m.opportunity_id = o.opportunity_id AND m.close_moved
    WHERE o.snapshot_date <= CAST(:as_of AS DATE)
),

slips AS (
    SELECT
        opportunity_id,
        SUM(CASE WHEN expected_close_date > previous_close_date THEN 1 ELSE 0 END) AS slip_count
    FROM close_date_changes
    GROUP BY opportunity_id
),

last_activity AS (
    SELECT opportunity_id, MAX(activity_date) AS last_activity_date
    FROM stg_activities
    WHERE opportunity_id IS NOT NULL AND activity_date <= CAST(:as_of AS DATE)
    GROUP BY opportunity_id
),

changes AS (
    SELECT
        opportunity_id,
        from_stage,
        CASE
            WHEN to_stage IS NOT NULL THEN to_stage
            WHEN to_status = 'won' THEN CAST(:won_stage AS INTEGER)
        END AS target_stage
    FROM stg_stage_history
    WHERE from_stage IS NOT NULL AND changed_date <= CAST(:as_of AS DATE)
),

change_counts AS (
    SELECT
        opportunity_id,
        COUNT(*) AS stage_changes,
        SUM(CASE WHEN target_stage > from_stage + 1 THEN 1 ELSE 0 END) AS skipped_stages,
        SUM(CASE WHEN target_stage < from_stage THEN 1 ELSE 0 END) AS backward_moves
    FROM changes
    GROUP BY opportunity_id
),

-- The facts are joined on narrow rows first, computed whole, and joined to the
-- wide state once: joining each fact to the state's every column held a hash
-- table of the state per fact (3.2 GB at a million opportunities; 1.9 GB now).
known AS MATERIALIZED (
    SELECT
        v.opportunity_id,
        v.value_order,
        r.value_rank,
        r.open_total,
        k.opportunity_key,
        m.max_stage,
        cs.entered_date,
        sl.slip_count,
        la.last_activity_date,
        cc.stage_changes,
        cc.skipped_stages,
        cc.backward_moves
    FROM value_order AS v
    LEFT JOIN open_value_rank AS r ON r.opportunity_id = v.opportunity_id
    LEFT JOIN stint_keys AS k ON k.opportunity_id = v.opportunity_id
    LEFT JOIN max_stage AS m ON m.opportunity_id = v.opportunity_id
    LEFT JOIN current_stints AS cs ON cs.opportunity_id = v.opportunity_id
    LEFT JOIN slips AS sl ON sl.opportunity_id = v.opportunity_id
    LEFT JOIN last_activity AS la ON la.opportunity_id = v.opportunity_id
    LEFT JOIN change_counts AS cc ON cc.opportunity_id = v.opportunity_id
)

SELECT
    CAST(:as_of AS DATE) AS as_of,
    s.*,
    f.opportunity_key,
    f.max_stage AS known_max_stage,
    COALESCE(f.entered_date, s.created_date) AS known_stint_entered_date,
    CAST(COALESCE(f.slip_count, 0) AS INTEGER) AS known_slip_count,
    f.last_activity_date AS known_last_activity_date,
    CAST(COALESCE(f.stage_changes, 0) AS INTEGER) AS known_stage_changes,
    CAST(COALESCE(f.skipped_stages, 0) AS INTEGER) AS known_skipped_stages,
    CAST(COALESCE(f.backward_moves, 0) AS INTEGER) AS known_backward_moves,
    CAST(f.value_rank AS BIGINT) AS known_open_value_rank,
    CAST(f.open_total AS BIGINT) AS known_open_total,
    CAST(f.value_order AS BIGINT) AS value_order
FROM state AS s
INNER JOIN known AS f ON f.opportunity_id = s.opportunity_id
ORDER BY f.value_order
