-- build_movement_trend (metrics.md, Week-over-week movement, over time): the rows
-- of the derived table cache_movement_trend, the trend's sums kept once per data
-- version: for every snapshot held after the first (pair_index, as in
-- movement_trend.sql) compared with the one before it, the deals summed per
-- branch, team and account manager they are attributed to (the later snapshot's
-- row, else the earlier one's) x waterfall part x is_new (the movement_counts
-- select-list). A scope is a filter over these few rows (movement_trend_kept.sql)
-- instead of joining every snapshot with the one before; a filter on other columns (product,
-- industry, class, dates...) reads movement_trend.sql. The same CTEs as
-- movement_trend.sql, without the class (only a class filter needs it).
-- Built by analytics/derived.py (not per as_of: the trend is over every snapshot held).
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
        CAST(ROUND(COALESCE(o.annual_value, 0) * 100) AS BIGINT) AS value_fen
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
        {{ include movement_attribution }}
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
        m.branch,
        m.team,
        m.owner_id,
        m.waterfall_part,
        m.is_new,
        {{ include movement_counts }}
    FROM scoped_movements AS m
    GROUP BY m.pair_index, m.branch, m.team, m.owner_id, m.waterfall_part, m.is_new
)

SELECT
    pair_index,
    branch,
    team,
    owner_id,
    waterfall_part,
    is_new,
    deals,
    value_a_fen,
    value_b_fen,
    advanced,
    regressed,
    slipped,
    pulled_in,
    labelled
FROM fine
ORDER BY pair_index, branch, team, owner_id
