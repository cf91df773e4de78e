-- movement_pairs_scratch (metrics.md, Week-over-week movement): every opportunity
-- held in snapshot A or B, A beside B, with its labels, waterfall part, class and key
-- on each side and the scope of the snapshot it is attributed to, computed from
-- scratch (the movement_sides and movement_labels fragments over
-- cache_opportunity_facts at both dates). The definition the derived table
-- cache_movement_pairs is checked against (movement_pairs_cached returns the same
-- columns from it; tests/test_metrics_movement_cache.py). Grain: opportunity.
WITH
{{ include movement_sides }},
{{ include movement_labels }}

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
