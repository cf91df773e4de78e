-- stg_revenue_periods: the period (and its year) of every revenue line, and
-- nothing else: what asks only which months are loaded (data_freshness, the
-- attainment's data_through) reads this rather than stg_revenue, whose join to
-- the org for the owner's team would be made for every line (~35 ms at 3.4 M
-- lines) to answer a MAX.
SELECT
    r.period,
    CAST((r.period - r.period % 100) / 100 AS INTEGER) AS year
FROM revenue AS r
