-- forecast_win_dispersion (metrics.md, Year-end forecast, uncertainty): the
-- company's closed deals in the look-back window (as win_rates counts them),
-- per month they closed in: closed and won.  How far the monthly win share
-- strays beyond what chance over that many deals explains is the common factor
-- of the forecast band: a good or a bad quarter moves every deal together
-- (analytics/forecast/uncertainty.py).  Company-wide, like p(o).
WITH
{{ include opportunity_state }},

closed AS (
    SELECT
        CAST(EXTRACT(YEAR FROM closed_date) AS INTEGER) * 100
            + CAST(EXTRACT(MONTH FROM closed_date) AS INTEGER) AS period,
        CASE WHEN status = 'won' THEN 1 ELSE 0 END AS won
    FROM opportunity_state
    WHERE status IN ('won', 'lost', 'terminated')
        AND closed_date > CAST(:lookback_start AS DATE)
        AND closed_date <= CAST(:as_of AS DATE)
)

SELECT period, COUNT(*) AS closed, SUM(won) AS won
FROM closed
GROUP BY period
ORDER BY period
