-- movement_trend (metrics.md, Week-over-week movement, over time): for every
-- snapshot held after the first, the movement from the snapshot before it: the
-- open pipeline at both (start, end), every waterfall part and every label's
-- count, for the viewer's scope and filters. Each consecutive pair is compared
-- like movement_summary compares A and B (labels and parts from
-- _movement_labels.sql, a deal attributed to the later snapshot's row, or the
-- earlier one's when the later snapshot no longer holds it), read from the
-- snapshots themselves rather than the per-date derived tables.
-- Grain: one row per snapshot held after the first (snapshot_b), with its
-- predecessor snapshot_a.
WITH
held AS (
    SELECT
        snapshot_date,
        ROW_NUMBER() OVER (ORDER BY snapshot_date) AS snapshot_index,
        COUNT(*) OVER () AS snapshots_held
    FROM stg_snapshots
),

trend_rows AS NOT MATERIALIZED (
    SELECT
        h.snapshot_index,
        h.snapshots_held,
        o.snapshot_date,
        {{ include snapshot_side_columns alias=o }},
        CAST(ROUND(COALESCE(o.annual_value, 0) * 100) AS BIGINT) AS value_fen,
        {{ include opportunity_class }} AS opportunity_class
    FROM stg_opportunity_snapshot AS o
    INNER JOIN held AS h ON h.snapshot_date = o.snapshot_date
),

joined AS (
    SELECT
        COALESCE(b.snapshot_index, a.snapshot_index + 1) AS pair_index,
        COALESCE(b.snapshots_held, a.snapshots_held) AS snapshots_held,
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
        {{ include movement_attribution }},
        CASE
            WHEN b.opportunity_id IS NULL THEN a.opportunity_class ELSE b.opportunity_class
        END AS opportunity_class
    FROM trend_rows AS a
    FULL OUTER JOIN trend_rows AS b
        ON b.opportunity_id = a.opportunity_id AND b.snapshot_index = a.snapshot_index + 1
),

movement_pairs AS NOT MATERIALIZED (
    SELECT *
    FROM joined
    WHERE pair_index > 1 AND pair_index <= snapshots_held
),

{{ include movement_labels }},

fine AS (
    SELECT
        m.pair_index,
        m.waterfall_part,
        m.is_new,
        {{ include movement_counts }}
    FROM scoped_movements AS m
    WHERE m.waterfall_part IS NOT NULL OR m.is_labelled  -- closed in both: adds to no sum
    GROUP BY m.pair_index, m.waterfall_part, m.is_new
),

per_pair AS (
    SELECT
        f.pair_index,
        {{ include movement_waterfall }}
    FROM fine AS f
    GROUP BY f.pair_index
)

SELECT
    a.snapshot_date AS snapshot_a,
    b.snapshot_date AS snapshot_b,
    p.*
FROM held AS b
INNER JOIN held AS a ON a.snapshot_index = b.snapshot_index - 1
LEFT JOIN per_pair AS p ON p.pair_index = b.snapshot_index
ORDER BY b.snapshot_date
