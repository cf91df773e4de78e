-- forecast_new_business (metrics.md, Year-end forecast, new_business): deals in
-- scope created in the look-back window (from lookback_start, up to as_of) and
-- won, per branch x product, month created (months from January of year Y, as
-- close_month) and lag (months from the month created to the month won): their
-- number, annual value and Σ annual value².  With the deals created per month
-- (forecast_creations.sql) this is the history of creation x win x cycle time
-- the not-yet-created business is forecast from (analytics/forecast/growth.py).
WITH
{{ include opportunity_state }},

won AS (
    SELECT
        o.branch,
        o.product,
        (CAST(EXTRACT(YEAR FROM o.created_date) AS INTEGER) - :year) * 12
            + CAST(EXTRACT(MONTH FROM o.created_date) AS INTEGER) AS created_month,
        (CAST(EXTRACT(YEAR FROM o.closed_date) AS INTEGER)
            - CAST(EXTRACT(YEAR FROM o.created_date) AS INTEGER)) * 12
            + CAST(EXTRACT(MONTH FROM o.closed_date) AS INTEGER)
            - CAST(EXTRACT(MONTH FROM o.created_date) AS INTEGER) AS lag,
        CAST(o.annual_value AS DOUBLE PRECISION) AS annual_value
    FROM scoped_opportunities AS o
    WHERE o.status = 'won'
        AND o.created_date >= CAST(:lookback_start AS DATE)
        AND o.closed_date <= CAST(:as_of AS DATE)
)

SELECT
    branch, product, created_month, lag,
    COUNT(*) AS deals,
    SUM(annual_value) AS annual_value,
    SUM(annual_value * annual_value) AS annual_value_sq
FROM won
GROUP BY branch, product, created_month, lag
ORDER BY branch, product, created_month, lag
