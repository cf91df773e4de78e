-- fragment snapshot_side_columns (metrics.md, Week-over-week movement): what one
-- side of a movement reads from an opportunity's row in a snapshot (the row aliased
-- {{ alias }}: a snapshot row or its cache_opportunity_facts row): identity,
-- attribution, stage, status and close date; an expression, so the side is written
-- once for the movement from scratch (_movement_sides.sql), the derived pair table
-- (build_movement_pairs.sql) and the trend (movement_trend.sql).
-- kind: expression
-- takes: alias
{{ alias }}.opportunity_id,
{{ alias }}.name,
{{ alias }}.customer_name,
{{ alias }}.owner_id,
{{ alias }}.owner_name,
{{ alias }}.team,
{{ alias }}.branch,
{{ alias }}.product,
{{ alias }}.industry,
{{ alias }}.business_type,
{{ alias }}.origin,
{{ alias }}.campaign,
{{ alias }}.created_date,
{{ alias }}.stage,
{{ alias }}.status,
{{ alias }}.expected_close_date
