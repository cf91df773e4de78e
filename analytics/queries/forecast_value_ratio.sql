-- forecast_value_ratio (metrics.md, Year-end forecast, value_ratio): deals won in
-- the look-back window by as_of (as forecast_slips.sql counts them, company-wide
-- like p(o)), each taken at the first snapshot held in which it was open: the
-- annual value it had then (pipeline_value, above 0) and the one it was won at
-- (won_value), summed.  won_value / pipeline_value scales the open pipeline's
-- values: deals do not win at the value the pipeline shows.  The sums are the
-- forecast_won_sums fragment's (kept per as_of at load: forecast_won_sums_cached,
-- swapped in by analytics/forecast/kept.py).
WITH
{{ include forecast_won_sums }}

SELECT
    COALESCE(SUM(valued_deals), 0) AS deals,
    COALESCE(SUM(won_value), 0) AS won_value,
    COALESCE(SUM(pipeline_value), 0) AS pipeline_value
FROM forecast_won_sums
