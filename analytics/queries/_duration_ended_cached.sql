-- fragment duration_ended_cached (metrics.md, Stage duration): the rows of the
-- duration_ended fragment for the whole company with no filter, read for as_of
-- from cache_duration_histogram (build_duration_histogram.sql, built once per
-- data version, as_of and stale window by analytics/derived.py, at load for the
-- newest snapshot) instead of every stint of the window joined to the
-- opportunities on every view (issue 19): a few thousand rows.
-- binds: as_of
duration_ended AS (
    SELECT period, stage, days, stints
    FROM cache_duration_histogram
    WHERE as_of = CAST(:as_of AS DATE)
)
