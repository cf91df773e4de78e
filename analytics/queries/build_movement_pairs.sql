-- build_movement_pairs: the rows of the derived table cache_movement_pairs for one
-- snapshot B (:as_of, a snapshot held) and its A, the newest snapshot held at least
-- :week_compare_days before B (metrics.md, Week-over-week movement): one row per
-- opportunity held in A or B, A beside B, with its labels and waterfall part as the
-- movement_labels fragment decides them (defined there once), so the 周例会 page
-- reads one narrow table per pair instead of joining two snapshots per query.
--   B's side comes from cache_opportunity_facts at B (built at load for the newest
--   snapshot): its slips and latest activity known at B, its open-value rank.
--   A's side needs no derived table of A's: its row in the snapshot, its rank by
--   annual value among A's open deals (as build_opportunity_facts ranks them), and,
--   only for the deals B no longer holds, the slips and latest activity known at A.
--   Attribution (scope, names) is B's row, or A's for a deal B no longer holds.
--   The class and key are not decided here: their inputs are kept per side and
--   the settings applied when read (_movement_cached.sql).
-- No A held (a single snapshot): no rows. Needs cache_opportunity_facts at B.
WITH
pair_dates AS (
    SELECT
        b.snapshot_b,
        (
            SELECT MAX(s.snapshot_date)
            FROM stg_snapshots AS s
            WHERE s.snapshot_date <= b.snapshot_b - CAST(:week_compare_days AS INTEGER)
        ) AS snapshot_a
    FROM (
        SELECT MAX(snapshot_date) AS snapshot_b
        FROM stg_snapshots
        WHERE snapshot_date <= CAST(:as_of AS DATE)
    ) AS b
),

side_b AS (
    SELECT
        {{ include snapshot_side_columns alias=f }},
        f.annual_value,
        f.user_count,
        f.demonstration,
        f.influence,
        f.key_flag,
        f.known_open_value_rank AS open_value_rank,
        f.known_open_total AS open_total,
        f.known_slip_count AS slip_count,
        f.known_last_activity_date AS last_activity_date,
        CAST(ROUND(COALESCE(f.annual_value, 0) * 100) AS BIGINT) AS value_fen
    FROM cache_opportunity_facts AS f
    WHERE f.as_of = CAST(:as_of AS DATE)
),

a_rows AS (
    SELECT
        {{ include snapshot_side_columns alias=o }},
        CAST(o.annual_value AS DOUBLE PRECISION) AS annual_value,
        o.user_count,
        o.demonstration,
        o.influence,
        o.key_flag
    FROM stg_opportunity_snapshot AS o
    INNER JOIN pair_dates AS d ON o.snapshot_date = d.snapshot_a
),

open_rank_a AS (
    SELECT
        opportunity_id,
        ROW_NUMBER() OVER (ORDER BY annual_value DESC NULLS LAST, opportunity_id) AS open_value_rank,
        COUNT(*) OVER () AS open_total
    FROM a_rows
    WHERE status = 'open'
),

-- The deals B no longer holds: their slips and latest activity known at A.
gone AS (
    SELECT a.opportunity_id
    FROM a_rows AS a
    WHERE NOT EXISTS (SELECT 1 FROM side_b AS b WHERE b.opportunity_id = a.opportunity_id)
),

gone_close_dates AS (
    SELECT
        o.opportunity_id,
        o.expected_close_date,
        LAG(o.expected_close_date) OVER (
            PARTITION BY o.opportunity_id ORDER BY o.snapshot_date
        ) AS previous_close_date
    FROM stg_opportunity_snapshot AS o
    INNER JOIN gone AS g ON g.opportunity_id = o.opportunity_id
    INNER JOIN pair_dates AS d ON o.snapshot_date <= d.snapshot_a
),

gone_slips AS (
    SELECT
        opportunity_id,
        CAST(SUM(CASE WHEN expected_close_date > previous_close_date THEN 1 ELSE 0 END) AS INTEGER)
            AS slip_count
    FROM gone_close_dates
    GROUP BY opportunity_id
),

gone_activity AS (
    SELECT t.opportunity_id, MAX(t.activity_date) AS last_activity_date
    FROM stg_activities AS t
    INNER JOIN gone AS g ON g.opportunity_id = t.opportunity_id
    INNER JOIN pair_dates AS d ON t.activity_date <= d.snapshot_a
    GROUP BY t.opportunity_id
),

side_a AS (
    SELECT
        a.*,
        r.open_value_rank,
        r.open_total,
        CAST(ROUND(COALESCE(a.annual_value, 0) * 100) AS BIGINT) AS value_fen,
        COALESCE(s.slip_count, 0) AS slip_count,
        t.last_activity_date
    FROM a_rows AS a
    LEFT JOIN open_rank_a AS r ON r.opportunity_id = a.opportunity_id
    LEFT JOIN gone_slips AS s ON s.opportunity_id = a.opportunity_id
    LEFT JOIN gone_activity AS t ON t.opportunity_id = a.opportunity_id
),

movement_pairs AS (
    SELECT
        COALESCE(b.opportunity_id, a.opportunity_id) AS opportunity_id,
        a.opportunity_id IS NOT NULL AS in_a,
        b.opportunity_id IS NOT NULL AS in_b,
        a.status AS status_a,
        b.status AS status_b,
        a.stage AS stage_a,
        b.stage AS stage_b,
        a.value_fen AS value_a_fen,
        b.value_fen AS value_b_fen,
        a.expected_close_date AS close_a,
        b.expected_close_date AS close_b,
        a.owner_id AS owner_a,
        b.owner_id AS owner_b,
        a.annual_value AS annual_value_a,
        b.annual_value AS annual_value_b,
        a.business_type AS business_type_a,
        b.business_type AS business_type_b,
        a.user_count AS user_count_a,
        b.user_count AS user_count_b,
        a.demonstration AS demonstration_a,
        b.demonstration AS demonstration_b,
        a.influence AS influence_a,
        b.influence AS influence_b,
        a.key_flag AS key_flag_a,
        b.key_flag AS key_flag_b,
        a.open_value_rank AS open_value_rank_a,
        b.open_value_rank AS open_value_rank_b,
        a.open_total AS open_total_a,
        b.open_total AS open_total_b,
        CASE WHEN b.opportunity_id IS NULL THEN a.slip_count ELSE b.slip_count END AS slip_count,
        CASE
            WHEN b.opportunity_id IS NULL THEN a.last_activity_date ELSE b.last_activity_date
        END AS last_activity_date,
        {{ include movement_attribution }}
    FROM side_a AS a
    FULL OUTER JOIN side_b AS b ON b.opportunity_id = a.opportunity_id
),

{{ include movement_labels }}

SELECT
    CAST(:as_of AS DATE) AS as_of,
    d.snapshot_a,
    m.*
FROM scoped_movements AS m
CROSS JOIN pair_dates AS d
WHERE d.snapshot_a IS NOT NULL
