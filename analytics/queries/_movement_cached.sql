-- fragment movement_cached (metrics.md, Week-over-week movement): scoped_movements
-- for the pair :snapshot_a, :snapshot_b read from the derived table
-- cache_movement_pairs (build_movement_pairs.sql, built at B for this A), one row
-- per opportunity held in A or B with the columns the movement_sides and
-- movement_labels fragments give it: labels, waterfall part, A beside B, and the
-- scope of the snapshot it is attributed to (B's row, A's when B lacks it).
-- The class and key of each side are decided here, from the inputs the table keeps,
-- by the opportunity_class and opportunity_is_key fragments (the thresholds and key
-- share are settings): each side's inputs are given the fragments' column names in
-- turn (A, then B: the movement_side_inputs fragment), and B's class is the deal's
-- class when B holds it. Each step carries the pair's columns (movement_pair_columns).
-- binds: snapshot_a, snapshot_b
movement_cached_a_inputs AS NOT MATERIALIZED (
    SELECT
        {{ include movement_pair_columns alias=p }},
        p.business_type AS attributed_business_type,
        p.annual_value_b,
        p.business_type_b,
        p.user_count_b,
        p.demonstration_b,
        p.influence_b,
        p.key_flag_b,
        p.open_value_rank_b,
        p.open_total_b,
        {{ include movement_side_inputs alias=p side=a }}
    FROM cache_movement_pairs AS p
    WHERE p.as_of = CAST(:snapshot_b AS DATE) AND p.snapshot_a = CAST(:snapshot_a AS DATE)
),

movement_cached_a_class AS NOT MATERIALIZED (
    SELECT
        o.*,
        {{ include opportunity_class }} AS opportunity_class
    FROM movement_cached_a_inputs AS o
),

movement_cached_b_inputs AS NOT MATERIALIZED (
    SELECT
        {{ include movement_pair_columns alias=c }},
        c.attributed_business_type,
        CASE WHEN c.in_a THEN c.opportunity_class END AS class_a,
        COALESCE(c.in_a AND {{ include opportunity_is_key }}, FALSE) AS key_a,
        {{ include movement_side_inputs alias=c side=b }}
    FROM movement_cached_a_class AS c
),

movement_cached_b_class AS NOT MATERIALIZED (
    SELECT
        o.*,
        {{ include opportunity_class }} AS opportunity_class
    FROM movement_cached_b_inputs AS o
),

movement_cached AS NOT MATERIALIZED (
    SELECT
        {{ include movement_pair_columns alias=c }},
        c.attributed_business_type AS business_type,
        c.class_a,
        c.key_a,
        CASE WHEN c.in_b THEN c.opportunity_class END AS class_b,
        COALESCE(c.in_b AND {{ include opportunity_is_key }}, FALSE) AS key_b,
        CASE WHEN c.in_b THEN c.opportunity_class ELSE c.class_a END AS opportunity_class
    FROM movement_cached_b_class AS c
),

scoped_movements AS NOT MATERIALIZED (
    SELECT *
    FROM movement_cached AS m
    WHERE {{ scope m opportunity }}
)
