-- fragment movement_labels (metrics.md, Week-over-week movement): the labels of
-- every row of movement_pairs (which the including query defines: one row per
-- opportunity held in A or B, with in_a/in_b, status_*, stage_*, close_*,
-- value_*_fen and the scope columns of the snapshot it is attributed to), and
-- its part of the open-pipeline waterfall, restricted to the viewer's scope and
-- filters as scoped_movements (is_labelled: any label; the fragment
-- movement_label_text writes them comma-separated, in this order):
--   new: not in A (a new deal already closed in B is labelled but has no part);
--   won / lost / terminated: open in A, closed so in B; removed: open in A, not
--   in B; reopened: closed in A, open in B; advanced / regressed, slipped /
--   pulled_in, value_changed: open in both, stage up / down, expected close
--   later / earlier (a close date missing on either side is neither), value
--   differs. Closed in both: no label, no part.
--   waterfall_part: new / reopened (value in B), increase / decrease / unchanged
--   (open in both, by the sign of value_b - value_a), won / lost / terminated /
--   removed (value in A); the parts partition the open deals of A and of B;
--   pipeline_effect_fen is what the deal adds to (or takes from) the open value.
movement_flags AS NOT MATERIALIZED (
    SELECT
        p.*,
        COALESCE(p.status_a = 'open', FALSE) AS open_a,
        COALESCE(p.status_b = 'open', FALSE) AS open_b
    FROM movement_pairs AS p
),

movement_labels AS NOT MATERIALIZED (
    SELECT
        f.*,
        (NOT f.in_a) AS is_new,
        (f.open_a AND f.status_b = 'won') AS is_won,
        (f.open_a AND f.status_b = 'lost') AS is_lost,
        (f.open_a AND f.status_b = 'terminated') AS is_terminated,
        (f.open_a AND NOT f.in_b) AS is_removed,
        (f.in_a AND NOT f.open_a AND f.open_b) AS is_reopened,
        (f.open_a AND f.open_b AND f.stage_b > f.stage_a) AS is_advanced,
        (f.open_a AND f.open_b AND f.stage_b < f.stage_a) AS is_regressed,
        COALESCE(f.open_a AND f.open_b AND f.close_b > f.close_a, FALSE) AS is_slipped,
        COALESCE(f.open_a AND f.open_b AND f.close_b < f.close_a, FALSE) AS is_pulled_in,
        (f.open_a AND f.open_b AND f.value_b_fen <> f.value_a_fen) AS is_value_changed,
        CASE
            WHEN NOT f.in_a AND f.open_b THEN 'new'
            WHEN f.in_a AND NOT f.open_a AND f.open_b THEN 'reopened'
            WHEN f.open_a AND f.open_b AND f.value_b_fen > f.value_a_fen THEN 'increase'
            WHEN f.open_a AND f.open_b AND f.value_b_fen < f.value_a_fen THEN 'decrease'
            WHEN f.open_a AND f.open_b THEN 'unchanged'
            WHEN f.open_a AND NOT f.in_b THEN 'removed'
            WHEN f.open_a THEN f.status_b
        END AS waterfall_part
    FROM movement_flags AS f
),

movement_named AS NOT MATERIALIZED (
    SELECT
        l.*,
        CASE
            WHEN l.waterfall_part IN ('new', 'reopened') THEN l.value_b_fen
            WHEN l.waterfall_part IN ('increase', 'decrease', 'unchanged') THEN l.value_b_fen - l.value_a_fen
            WHEN l.waterfall_part IS NOT NULL THEN -l.value_a_fen
            ELSE 0
        END AS pipeline_effect_fen,
        (
            l.is_new OR l.is_advanced OR l.is_regressed OR l.is_slipped OR l.is_pulled_in
            OR l.is_value_changed OR l.is_won OR l.is_lost OR l.is_terminated OR l.is_removed
            OR l.is_reopened
        ) AS is_labelled
    FROM movement_labels AS l
),

scoped_movements AS NOT MATERIALIZED (
    SELECT *
    FROM movement_named AS m
    WHERE {{ scope m opportunity }}
)
