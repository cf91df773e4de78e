-- forecast_creations (metrics.md, Year-end forecast, new_business): deals in
-- scope created in the look-back window (from lookback_start, up to as_of), per
-- month created (months from January of year Y): how many.  Their pattern by
-- month of year is the seasonality of not-yet-created business
-- (analytics/forecast/growth.py).
WITH
{{ include opportunity_state }}

SELECT
    (CAST(EXTRACT(YEAR FROM o.created_date) AS INTEGER) - :year) * 12
        + CAST(EXTRACT(MONTH FROM o.created_date) AS INTEGER) AS created_month,
    COUNT(*) AS deals
FROM scoped_opportunities AS o
WHERE o.created_date >= CAST(:lookback_start AS DATE)
    AND o.created_date <= CAST(:as_of AS DATE)
GROUP BY 1
ORDER BY 1
