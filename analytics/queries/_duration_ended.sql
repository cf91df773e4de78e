-- fragment duration_ended (metrics.md, Stage duration): how many stints of
-- each whole-day length ended per month (period YYYYMM of the day the stint
-- ended) and stage, for the opportunities in scope that ended in the stale
-- window (stale_window_start, as_of]: the histogram the durations and their
-- trend take quantiles from (duration_quantiles). For the company with no
-- filter its rows are read from cache_duration_histogram instead
-- (duration_ended_cached). Needs stints and classified before it.
-- binds: as_of, stale_window_start
duration_ended AS (
    SELECT
        s.left_period AS period,
        s.stage,
        s.length_days AS days,
        COUNT(*) AS stints
    FROM stints AS s
    INNER JOIN classified AS o ON o.opportunity_key = s.opportunity_key
    WHERE {{ scope o opportunity }}
        AND s.left_date > CAST(:stale_window_start AS DATE)
        AND s.left_date <= CAST(:as_of AS DATE)
    GROUP BY s.left_period, s.stage, s.length_days
)
