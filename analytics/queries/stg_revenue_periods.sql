-- stg_revenue_periods: the period of every revenue line, and nothing else: what
-- asks only which months are loaded (data_freshness) reads this rather than
-- stg_revenue, whose join to the org for the owner's team would be made for
-- every line (~35 ms at 3.4 M lines) to answer a MAX the table's own
-- statistics answer at once.
SELECT r.period
FROM revenue AS r
