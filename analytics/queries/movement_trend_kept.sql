-- movement_trend_kept (metrics.md, Week-over-week movement, over time): the rows of
-- movement_trend.sql read from the derived table cache_movement_trend (the trend's
-- sums per pair x branch, team and account manager x waterfall part x is_new, one
-- set of rows per pair's later snapshot, as_of, built by build_movement_trend.sql
-- and kept while that pair's snapshots are unchanged): the viewer's scope picks its
-- rows and they are summed to the movement_counts columns, then rolled up per pair by
-- the movement_waterfall fragment like the trend from scratch. For a scope with no
-- other filter (analytics.metrics.movement.movement_trend chooses).
-- Grain: one row per snapshot held after the first (snapshot_b), with its
-- predecessor snapshot_a.
WITH
held AS (
    SELECT
        snapshot_date,
        ROW_NUMBER() OVER (ORDER BY snapshot_date) AS snapshot_index
    FROM stg_snapshots
),

fine AS (
    SELECT
        h.snapshot_index AS pair_index,
        k.waterfall_part,
        k.is_new,
        SUM(k.deals) AS deals,
        SUM(k.value_a_fen) AS value_a_fen,
        SUM(k.value_b_fen) AS value_b_fen,
        SUM(k.advanced) AS advanced,
        SUM(k.regressed) AS regressed,
        SUM(k.slipped) AS slipped,
        SUM(k.pulled_in) AS pulled_in,
        SUM(k.labelled) AS labelled
    FROM cache_movement_trend AS k
    INNER JOIN held AS h ON h.snapshot_date = k.as_of
    WHERE {{ scope k opportunity }}
    GROUP BY h.snapshot_index, k.waterfall_part, k.is_new
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
