-- forecast_recent_wins (metrics.md, Year-end forecast, won_not_billed): deals in
-- scope won from the first day of the month through_period names up to as_of,
-- per branch x product and the month they closed (months from January of year Y,
-- as close_month in forecast_deals): their number and annual value.  Revenue
-- starts the month after signing, so none of them is in the revenue loaded
-- through through_period (nor in its run-rate), and none is open any more (nor
-- in the pipeline): without this part the forecast misses them.
WITH
{{ include opportunity_state }},

won AS (
    SELECT
        o.branch,
        o.product,
        (CAST(EXTRACT(YEAR FROM o.closed_date) AS INTEGER) - :year) * 12
            + CAST(EXTRACT(MONTH FROM o.closed_date) AS INTEGER) AS close_month,
        CAST(o.annual_value AS DOUBLE PRECISION) AS annual_value
    FROM scoped_opportunities AS o
    WHERE o.status = 'won'
        AND CAST(EXTRACT(YEAR FROM o.closed_date) AS INTEGER) * 100
            + CAST(EXTRACT(MONTH FROM o.closed_date) AS INTEGER) >= :through_period
        AND o.closed_date <= CAST(:as_of AS DATE)
)

SELECT branch, product, close_month, COUNT(*) AS deals, SUM(annual_value) AS annual_value
FROM won
GROUP BY branch, product, close_month
ORDER BY branch, product, close_month
