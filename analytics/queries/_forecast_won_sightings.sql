-- fragment forecast_won_sightings (metrics.md, Year-end forecast, uncertainty and
-- value_ratio): one row per deal won in the look-back window by as_of
-- (closed_date in (lookback_start, as_of]), company-wide like p(o), taken at the
-- first snapshot held in which it was open: the close date it was won at, the
-- close date it had then (effective_close_date: an overdue or missing date
-- counts as that snapshot's date, as in m(o)), the annual value it was won at
-- (won_value) and the one it had then (pipeline_value).  The slips and the won
-- value / pipeline value ratio are read from these rows (forecast_won_sums).
-- needs: opportunity_state
-- binds: as_of, lookback_start
forecast_won AS (
    SELECT opportunity_id, closed_date, CAST(annual_value AS DOUBLE PRECISION) AS won_value
    FROM opportunity_state
    WHERE status = 'won'
        AND closed_date > CAST(:lookback_start AS DATE)
        AND closed_date <= CAST(:as_of AS DATE)
),

forecast_first_open AS (
    SELECT opportunity_id, MIN(snapshot_date) AS snapshot_date
    FROM stg_opportunity_snapshot
    WHERE status = 'open' AND snapshot_date <= CAST(:as_of AS DATE)
    GROUP BY opportunity_id
),

forecast_first_sightings AS (
    SELECT
        s.opportunity_id,
        s.snapshot_date,
        CASE
            WHEN s.expected_close_date IS NULL OR s.expected_close_date < s.snapshot_date
                THEN s.snapshot_date
            ELSE s.expected_close_date
        END AS effective_close_date,
        CAST(s.annual_value AS DOUBLE PRECISION) AS pipeline_value,
        s.stage
    FROM forecast_first_open AS f
    INNER JOIN stg_opportunity_snapshot AS s
        ON s.opportunity_id = f.opportunity_id AND s.snapshot_date = f.snapshot_date
),

forecast_won_sightings AS (
    SELECT
        w.opportunity_id,
        w.closed_date,
        f.effective_close_date,
        w.won_value,
        f.pipeline_value
    FROM forecast_won AS w
    INNER JOIN forecast_first_sightings AS f ON f.opportunity_id = w.opportunity_id
)
