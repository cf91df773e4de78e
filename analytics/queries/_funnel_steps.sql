-- fragment funnel_steps (metrics.md, Funnel): the funnel arithmetic, written
-- once for the whole cohort and for every segment of a breakdown. Needs two
-- CTEs before it:
--   funnel_segments   one row per (dimension, segment) to report, even if empty;
--   segment_histogram one row per (dimension, segment, max_stage) with counts
--                     and values (opportunities, value, won, lost, terminated).
-- Gives funnel_steps: one row per (dimension, segment, stage 0..won_stage) with
-- reached[k] = count with max_stage >= k (skipped stages count as passed),
-- conversion[k] = reached[k+1] / reached[k], and for the last stage won /
-- reached[k]; the segment's totals on every row. Zero denominators give NULL.
-- binds: won_stage
funnel_stages AS (
    SELECT stage
    FROM generate_series(0, CAST(:won_stage AS INTEGER)) AS g (stage)
),

segment_totals AS (
    SELECT
        s.dimension,
        s.segment,
        COALESCE(SUM(h.opportunities), 0) AS cohort,
        COALESCE(SUM(h.value), 0) AS cohort_value,
        COALESCE(SUM(h.won), 0) AS won,
        COALESCE(SUM(h.won_value), 0) AS won_value,
        COALESCE(SUM(h.lost), 0) AS lost,
        COALESCE(SUM(h.lost_value), 0) AS lost_value,
        COALESCE(SUM(h.terminated), 0) AS terminated,
        COALESCE(SUM(h.terminated_value), 0) AS terminated_value
    FROM funnel_segments AS s
    LEFT JOIN segment_histogram AS h
        ON h.dimension = s.dimension AND h.segment IS NOT DISTINCT FROM s.segment
    GROUP BY s.dimension, s.segment
),

segment_reached AS (
    SELECT
        s.dimension,
        s.segment,
        st.stage,
        SUM(COALESCE(h.opportunities, 0)) OVER reach AS reached,
        SUM(COALESCE(h.value, 0)) OVER reach AS reached_value
    FROM funnel_segments AS s
    CROSS JOIN funnel_stages AS st
    LEFT JOIN segment_histogram AS h
        ON h.dimension = s.dimension
        AND h.segment IS NOT DISTINCT FROM s.segment
        AND h.max_stage = st.stage
    WINDOW reach AS (PARTITION BY s.dimension, s.segment ORDER BY st.stage DESC)
),

segment_conversion AS (
    SELECT
        r.dimension,
        r.segment,
        r.stage,
        r.reached,
        r.reached_value,
        CASE
            WHEN r.stage = CAST(:won_stage AS INTEGER) THEN t.won
            ELSE LEAD(r.reached) OVER (PARTITION BY r.dimension, r.segment ORDER BY r.stage)
        END AS next_reached,
        t.cohort,
        t.cohort_value,
        t.won,
        t.won_value,
        t.lost,
        t.lost_value,
        t.terminated,
        t.terminated_value
    FROM segment_reached AS r
    INNER JOIN segment_totals AS t
        ON t.dimension = r.dimension AND t.segment IS NOT DISTINCT FROM r.segment
),

funnel_steps AS (
    SELECT
        dimension,
        segment,
        stage,
        CAST(reached AS BIGINT) AS reached,
        CAST(reached_value AS DOUBLE PRECISION) AS reached_value,
        CAST(next_reached AS DOUBLE PRECISION) / NULLIF(reached, 0) AS conversion,
        CAST(cohort AS BIGINT) AS cohort,
        CAST(cohort_value AS DOUBLE PRECISION) AS cohort_value,
        CAST(won AS BIGINT) AS won,
        CAST(won_value AS DOUBLE PRECISION) AS won_value,
        CAST(lost AS BIGINT) AS lost,
        CAST(lost_value AS DOUBLE PRECISION) AS lost_value,
        CAST(terminated AS BIGINT) AS terminated,
        CAST(terminated_value AS DOUBLE PRECISION) AS terminated_value,
        CAST(won + lost + terminated AS BIGINT) AS closed,
        CAST(won_value + lost_value + terminated_value AS DOUBLE PRECISION) AS closed_value,
        CAST(won AS DOUBLE PRECISION) / NULLIF(cohort, 0) AS win_rate_cohort,
        CAST(won AS DOUBLE PRECISION) / NULLIF(won + lost + terminated, 0) AS win_rate_closed
    FROM segment_conversion
)
