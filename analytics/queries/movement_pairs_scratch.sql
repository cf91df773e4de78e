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
    m.opportunity_id,
    m.in_a,
    m.in_b,
    m.open_a,
    m.open_b,
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
    m.owner_a,
    m.owner_b,
    m.key_a,
    m.key_b,
    m.slip_count,
    m.last_activity_date,
    m.name,
    m.customer_name,
    m.owner_id,
    m.owner_name,
    m.team,
    m.branch,
    m.product,
    m.industry,
    m.business_type,
    m.origin,
    m.campaign,
    m.created_date,
    m.opportunity_class,
    m.is_new,
    m.is_won,
    m.is_lost,
    m.is_terminated,
    m.is_removed,
    m.is_reopened,
    m.is_advanced,
    m.is_regressed,
    m.is_slipped,
    m.is_pulled_in,
    m.is_value_changed,
    m.is_labelled,
    m.waterfall_part,
    m.pipeline_effect_fen
FROM scoped_movements AS m
ORDER BY m.opportunity_id
