-- movement_pairs_cached (metrics.md, Week-over-week movement): the columns of
-- movement_pairs_scratch, read from the derived table cache_movement_pairs as the
-- 周例会 queries read it (the movement_cached fragment), for the check that the two
-- agree row for row. Grain: opportunity.
WITH
{{ include movement_cached }}

SELECT
    {{ include movement_pair_columns alias=m }},
    m.business_type,
    m.class_a,
    m.class_b,
    m.key_a,
    m.key_b,
    m.opportunity_class
FROM scoped_movements AS m
ORDER BY m.opportunity_id
