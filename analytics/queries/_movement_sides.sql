-- fragment movement_sides (metrics.md, Week-over-week movement): the two
-- snapshots compared, A (:snapshot_a) and B (:snapshot_b), one row per
-- opportunity and snapshot from cache_opportunity_facts (built for both dates),
-- classified and key-labelled by the rules every page uses; then movement_pairs,
-- one row per opportunity held in A or B, A beside B.
--
-- Money is carried in integer fen (value_*_fen = annual_value × 100, rounded),
-- so every sum of the waterfall is exact on both backends.
--
-- Scope attribution: an opportunity is attributed to the scope of its row in B
-- (owner, team, branch, product, class ... as B holds them), or of its row in A
-- when B no longer holds it (removed). A deal whose owner changed between A and
-- B therefore moves whole into the new owner's scope: it is not 'removed' from
-- the old owner's pipeline nor 'new' in the new one; the waterfall's start is
-- A's open value of the deals attributed to the scope, which differs from A's
-- own open-pipeline figure by the open deals that changed hands.
-- binds: snapshot_a, snapshot_b
movement_classified AS NOT MATERIALIZED (
    SELECT
        o.as_of,
        {{ include snapshot_side_columns alias=o }},
        o.key_flag,
        o.known_open_value_rank,
        o.known_open_total,
        o.known_slip_count,
        o.known_last_activity_date,
        CAST(ROUND(COALESCE(o.annual_value, 0) * 100) AS BIGINT) AS value_fen,
        {{ include opportunity_class }} AS opportunity_class
    FROM cache_opportunity_facts AS o
    WHERE o.as_of IN (CAST(:snapshot_a AS DATE), CAST(:snapshot_b AS DATE))
),

movement_sides AS NOT MATERIALIZED (
    SELECT
        c.*,
        {{ include opportunity_is_key }} AS is_key
    FROM movement_classified AS c
),

movement_pairs AS NOT MATERIALIZED (
    SELECT
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
        a.opportunity_class AS class_a,
        b.opportunity_class AS class_b,
        a.owner_id AS owner_a,
        b.owner_id AS owner_b,
        a.owner_name AS owner_name_a,
        b.owner_name AS owner_name_b,
        COALESCE(a.is_key, FALSE) AS key_a,
        COALESCE(b.is_key, FALSE) AS key_b,
        COALESCE(b.known_slip_count, a.known_slip_count) AS slip_count,
        COALESCE(b.known_last_activity_date, a.known_last_activity_date) AS last_activity_date,
        {{ include movement_attribution }},
        CASE
            WHEN b.opportunity_id IS NULL THEN a.opportunity_class ELSE b.opportunity_class
        END AS opportunity_class
    FROM (SELECT * FROM movement_sides WHERE as_of = CAST(:snapshot_a AS DATE)) AS a
    FULL OUTER JOIN (SELECT * FROM movement_sides WHERE as_of = CAST(:snapshot_b AS DATE)) AS b
        ON b.opportunity_id = a.opportunity_id
)
