-- fragment duration_quantiles (metrics.md, Stage duration): the median and p90
-- of stint lengths per (period, stage), computed from duration_histogram
-- (period, stage, days, stints: how many stints of each whole-day length) with
-- exactly percentile_cont's rule: for n stints sorted by length, the quantile q
-- lies at position q * (n - 1) (from 0) and is interpolated between the lengths
-- at the floor and the ceiling of that position. Lengths are whole days, so a
-- histogram of a few thousand rows replaces sorting millions of stints.
-- Needs duration_histogram before it.
duration_ranks AS (
    SELECT
        period,
        stage,
        days,
        CAST(SUM(stints) OVER (PARTITION BY period, stage ORDER BY days) AS BIGINT) - 1 AS last_rank,
        CAST(SUM(stints) OVER (PARTITION BY period, stage) AS BIGINT) AS ended_stints
    FROM duration_histogram
),

duration_positions AS (
    SELECT
        *,
        CAST(ended_stints - 1 AS DOUBLE PRECISION) * 0.5 AS median_position,
        CAST(ended_stints - 1 AS DOUBLE PRECISION) * 0.9 AS p90_position
    FROM duration_ranks
),

-- Read once (a second reference would run the histogram twice): the lengths
-- at the floor and ceiling of each position are the shortest whose last rank
-- reaches it.
duration_bounds AS (
    SELECT
        period,
        stage,
        ended_stints,
        median_position,
        p90_position,
        MIN(days) FILTER (WHERE last_rank >= FLOOR(median_position)) AS median_low,
        MIN(days) FILTER (WHERE last_rank >= CEIL(median_position)) AS median_high,
        MIN(days) FILTER (WHERE last_rank >= FLOOR(p90_position)) AS p90_low,
        MIN(days) FILTER (WHERE last_rank >= CEIL(p90_position)) AS p90_high
    FROM duration_positions
    GROUP BY period, stage, ended_stints, median_position, p90_position
),

duration_quantiles AS (
    SELECT
        period,
        stage,
        ended_stints,
        CAST(median_low AS DOUBLE PRECISION)
            + (median_position - FLOOR(median_position)) * (median_high - median_low) AS median_days,
        CAST(p90_low AS DOUBLE PRECISION)
            + (p90_position - FLOOR(p90_position)) * (p90_high - p90_low) AS p90_days
    FROM duration_bounds
)
