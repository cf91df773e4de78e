-- forecast_value_ratio (metrics.md, Year-end forecast, value_ratio): deals won in
-- the look-back window by as_of (as forecast_slips.sql counts them, company-wide
-- like p(o)), each taken at the first snapshot held in which it was open: the
-- annual value it had then (pipeline_value) and the one it was won at
-- (won_value), summed.  won_value / pipeline_value scales the open pipeline's
-- values: deals do not win at the value the pipeline shows.
WITH
{{ include opportunity_state }},

won AS (
    SELECT opportunity_id, CAST(annual_value AS DOUBLE PRECISION) AS won_value
    FROM opportunity_state
    WHERE status = 'won'
        AND closed_date > CAST(:lookback_start AS DATE)
        AND closed_date <= CAST(:as_of AS DATE)
),

first_open AS (
    SELECT opportunity_id, MIN(snapshot_date) AS snapshot_date
    FROM stg_opportunity_snapshot
    WHERE status = 'open' AND snapshot_date <= CAST(:as_of AS DATE)
    GROUP BY opportunity_id
)

SELECT
    COUNT(*) AS deals,
    COALESCE(SUM(w.won_value), 0) AS won_value,
    COALESCE(SUM(CAST(s.annual_value AS DOUBLE PRECISION)), 0) AS pipeline_value
FROM won AS w
INNER JOIN first_open AS f ON f.opportunity_id = w.opportunity_id
INNER JOIN stg_opportunity_snapshot AS s
    ON s.opportunity_id = f.opportunity_id AND s.snapshot_date = f.snapshot_date
WHERE s.annual_value IS NOT NULL AND s.annual_value > 0
