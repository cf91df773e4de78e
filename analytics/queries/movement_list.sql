-- movement_list (metrics.md, Week-over-week movement): one page of the movement
-- table, one row per opportunity in the viewer's scope and filters (attributed
-- to B's row, or A's when B no longer holds it; see _movement_sides.sql) with
-- its labels (comma-separated, in the order of metrics.md), its waterfall part
-- and its stage, value, expected close date, class and owner in A and in B.
-- Chosen rows: :label (one label; NULL: any label, or any row when a part is
-- chosen, so a bar of unchanged deals opens too), and :part (a waterfall
-- part; 'start' / 'end': open in A / in B; NULL: any). Ordered in the warehouse
-- by :sort_by ('value': the value in B, else in A; 'change': |its effect on the open value|),
-- largest first, ties by id; paged with :page_rows and :page_offset.
-- Grain: opportunity.
WITH
{{ include movement_sides }},
{{ include movement_labels }},

listed AS (
    SELECT *
    FROM scoped_movements
),

chosen AS (
    SELECT *
    FROM listed
    WHERE (CAST(:label AS VARCHAR) IS NULL AND (labels <> '' OR CAST(:part AS VARCHAR) IS NOT NULL))
        OR ',' || labels || ',' LIKE '%,' || CAST(:label AS VARCHAR) || ',%'
),

parted AS (
    SELECT *
    FROM chosen
    WHERE CAST(:part AS VARCHAR) IS NULL
        OR (CAST(:part AS VARCHAR) = 'start' AND open_a)
        OR (CAST(:part AS VARCHAR) = 'end' AND open_b)
        OR waterfall_part = CAST(:part AS VARCHAR)
)

SELECT
    opportunity_id,
    name,
    customer_name,
    labels,
    waterfall_part,
    pipeline_effect_fen,
    branch,
    team,
    owner_id,
    owner_name,
    owner_a,
    owner_b,
    product,
    opportunity_class,
    key_a,
    key_b,
    status_a,
    status_b,
    stage_a,
    stage_b,
    value_a_fen,
    value_b_fen,
    close_a,
    close_b,
    class_a,
    class_b,
    slip_count,
    last_activity_date
FROM parted
ORDER BY
    CASE
        WHEN CAST(:sort_by AS VARCHAR) = 'change'
            THEN ABS(pipeline_effect_fen)
        ELSE COALESCE(value_b_fen, value_a_fen)
    END DESC,
    opportunity_id
LIMIT :page_rows OFFSET :page_offset
