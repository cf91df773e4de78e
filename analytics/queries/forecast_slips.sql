-- forecast_slips (metrics.md, Year-end forecast, uncertainty): the historical
-- slip distribution, one row per slip in months with the number of deals.
-- A deal counts once: won in the look-back window by as_of, taken at the
-- first snapshot held in which it was open; its slip is the close month minus
-- the expected close month it had then (an overdue date counting as that
-- snapshot's month, as in m(o)). Negative means it closed earlier than said.
-- Company-wide, like p(o). Deals still open are not in it (censored).
WITH
{{ include opportunity_state }},

won AS (
    SELECT opportunity_id, closed_date
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
),

sightings AS (
    SELECT
        w.opportunity_id,
        w.closed_date,
        CASE
            WHEN s.expected_close_date IS NULL OR s.expected_close_date < s.snapshot_date
                THEN s.snapshot_date
            ELSE s.expected_close_date
        END AS effective_close_date
    FROM won AS w
    INNER JOIN first_open AS f ON f.opportunity_id = w.opportunity_id
    INNER JOIN stg_opportunity_snapshot AS s
        ON s.opportunity_id = f.opportunity_id AND s.snapshot_date = f.snapshot_date
),

slips AS (
    SELECT
        CAST(
            (EXTRACT(YEAR FROM closed_date) - EXTRACT(YEAR FROM effective_close_date)) * 12
            + EXTRACT(MONTH FROM closed_date) - EXTRACT(MONTH FROM effective_close_date)
            AS INTEGER
        ) AS slip_months
    FROM sightings
)

SELECT slip_months, COUNT(*) AS deals
FROM slips
GROUP BY slip_months
ORDER BY slip_months
