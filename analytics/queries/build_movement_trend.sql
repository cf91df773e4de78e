-- build_movement_trend (metrics.md, Week-over-week movement, over time): the rows
-- of the derived table cache_movement_trend for every snapshot held in
-- [:first_as_of, :as_of] after the first (as_of: that snapshot, B), compared with
-- the snapshot before it (A): the deals summed per branch, team and account
-- manager they are attributed to (the later snapshot's row, else the earlier
-- one's) x waterfall part x is_new (the movement_counts select-list). A scope is
-- a filter over these few rows (movement_trend_kept.sql) instead of joining every
-- snapshot with the one before; a filter on other columns (product, industry,
-- class, dates...) reads movement_trend.sql. The same CTEs as movement_trend.sql,
-- without the class (only a class filter needs it).
-- Each pair's rows depend only on the snapshots up to its B, so a load of a new
-- snapshot builds the new pair alone (:first_as_of = :as_of) and keeps the others
-- (analytics/derived.py: kept per date by their inputs, issue 19); a span reads
-- every snapshot once.
WITH
held AS (
    SELECT
        snapshot_date,
        LAG(snapshot_date) OVER (ORDER BY snapshot_date) AS previous_date
    FROM stg_snapshots
    WHERE snapshot_date <= CAST(:as_of AS DATE)
),

pairs AS (
    SELECT snapshot_date AS date_b, previous_date AS date_a
    FROM held
    WHERE snapshot_date >= CAST(:first_as_of AS DATE) AND previous_date IS NOT NULL
),

-- Each pair's two snapshots, A's as side 'a' and B's as side 'b', read by one list of columns.
pair_dates AS (
    SELECT date_b, date_a AS snapshot_date, 'a' AS side FROM pairs
    UNION ALL
    SELECT date_b, date_b AS snapshot_date, 'b' AS side FROM pairs
),

pair_rows AS NOT MATERIALIZED (
    SELECT
        d.date_b,
        d.side,
        {{ include snapshot_side_columns alias=o }},
        CAST(ROUND(COALESCE(o.annual_value, 0) * 100) AS BIGINT) AS value_fen
    FROM stg_opportunity_snapshot AS o
    INNER JOIN pair_dates AS d ON d.snapshot_date = o.snapshot_date
),

movement_pairs AS NOT MATERIALIZED (
    SELECT
        COALESCE(b.date_b, a.date_b) AS as_of,
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
        {{ include movement_attribution }}
    FROM (SELECT * FROM pair_rows WHERE side = 'a') AS a
    FULL OUTER JOIN (SELECT * FROM pair_rows WHERE side = 'b') AS b
        ON b.opportunity_id = a.opportunity_id AND b.date_b = a.date_b
),

{{ include movement_labels }},

fine AS (
    SELECT
        m.as_of,
        m.branch,
        m.team,
        m.owner_id,
        m.waterfall_part,
        m.is_new,
        {{ include movement_counts }}
    FROM scoped_movements AS m
    WHERE m.waterfall_part IS NOT NULL OR m.is_labelled  -- closed in both: adds to no sum
    GROUP BY m.as_of, m.branch, m.team, m.owner_id, m.waterfall_part, m.is_new
)

SELECT
    as_of,
    branch,
    team,
    owner_id,
    waterfall_part,
    is_new,
    deals,
    value_a_fen,
    value_b_fen,
    advanced,
    regressed,
    slipped,
    pulled_in,
    labelled
FROM fine
ORDER BY as_of, branch, team, owner_id
