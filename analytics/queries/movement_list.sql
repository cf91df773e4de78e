-- movement_list (metrics.md, Week-over-week movement): one page of the movement
-- table, one row per opportunity in the viewer's scope and filters (attributed
-- to B's row, or A's when B no longer holds it; see _movement_sides.sql) with
-- its labels (comma-separated, in the order of metrics.md), its waterfall part
-- and its stage, value, expected close date, class and owner in A and in B.
-- Chosen rows: :label (one label; NULL: any label, or any row when a part is
-- chosen, so a bar of unchanged deals opens too), and :part (a waterfall
-- part; 'start' / 'end': open in A / in B; NULL: any). Ordered in the warehouse
-- by :sort_by ('value': the value in B, else in A; 'change': |its effect on the open value|),
-- largest first, ties by id; paged with :page_rows and :page_offset. The deals
-- are chosen and ordered on narrow columns; the page's rows alone get their
-- labels written and their names read (kept in cache_movement_pairs from the
-- snapshot they are attributed to).
-- Grain: opportunity.
WITH
{{ include movement_cached }},

chosen AS (
    SELECT
        m.opportunity_id,
        m.in_b,
        m.is_new,
        m.is_advanced,
        m.is_regressed,
        m.is_slipped,
        m.is_pulled_in,
        m.is_value_changed,
        m.is_won,
        m.is_lost,
        m.is_terminated,
        m.is_removed,
        m.is_reopened,
        m.waterfall_part,
        m.pipeline_effect_fen,
        m.owner_a,
        m.owner_b,
        m.key_a,
        m.key_b,
        m.status_a,
        m.status_b,
        m.stage_a,
        m.stage_b,
        m.value_a_fen,
        m.value_b_fen,
        m.close_a,
        m.close_b,
        m.class_a,
        m.class_b,
        m.opportunity_class,
        m.slip_count,
        m.last_activity_date,
        CASE
            WHEN CAST(:sort_by AS VARCHAR) = 'change' THEN ABS(m.pipeline_effect_fen)
            ELSE COALESCE(m.value_b_fen, m.value_a_fen)
        END AS sort_value
    FROM scoped_movements AS m
    WHERE (
        (CAST(:label AS VARCHAR) IS NULL AND (m.is_labelled OR CAST(:part AS VARCHAR) IS NOT NULL))
        OR (CAST(:label AS VARCHAR) = 'new' AND m.is_new)
        OR (CAST(:label AS VARCHAR) = 'advanced' AND m.is_advanced)
        OR (CAST(:label AS VARCHAR) = 'regressed' AND m.is_regressed)
        OR (CAST(:label AS VARCHAR) = 'slipped' AND m.is_slipped)
        OR (CAST(:label AS VARCHAR) = 'pulled_in' AND m.is_pulled_in)
        OR (CAST(:label AS VARCHAR) = 'value_changed' AND m.is_value_changed)
        OR (CAST(:label AS VARCHAR) = 'won' AND m.is_won)
        OR (CAST(:label AS VARCHAR) = 'lost' AND m.is_lost)
        OR (CAST(:label AS VARCHAR) = 'terminated' AND m.is_terminated)
        OR (CAST(:label AS VARCHAR) = 'removed' AND m.is_removed)
        OR (CAST(:label AS VARCHAR) = 'reopened' AND m.is_reopened)
    )
    AND (
        CAST(:part AS VARCHAR) IS NULL
        OR (CAST(:part AS VARCHAR) = 'start' AND m.open_a)
        OR (CAST(:part AS VARCHAR) = 'end' AND m.open_b)
        OR m.waterfall_part = CAST(:part AS VARCHAR)
    )
),

page AS (
    SELECT *
    FROM chosen
    ORDER BY sort_value DESC, opportunity_id
    LIMIT :page_rows OFFSET :page_offset
)

SELECT
    m.opportunity_id,
    o.name,
    o.customer_name,
    {{ include movement_label_text }} AS labels,
    m.waterfall_part,
    m.pipeline_effect_fen,
    o.branch,
    o.team,
    o.owner_id,
    o.owner_name,
    m.owner_a,
    m.owner_b,
    o.product,
    m.opportunity_class,
    m.key_a,
    m.key_b,
    m.status_a,
    m.status_b,
    m.stage_a,
    m.stage_b,
    m.value_a_fen,
    m.value_b_fen,
    m.close_a,
    m.close_b,
    m.class_a,
    m.class_b,
    m.slip_count,
    m.last_activity_date
FROM page AS m
INNER JOIN cache_movement_pairs AS o
    ON o.opportunity_id = m.opportunity_id
    AND o.as_of = CAST(:snapshot_b AS DATE)
    AND o.snapshot_a = CAST(:snapshot_a AS DATE)
ORDER BY m.sort_value DESC, m.opportunity_id
