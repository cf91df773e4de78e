-- fragment forecast_deals (metrics.md, Year-end forecast, pipeline_expected): one
-- row per open opportunity in scope at as_of with every column of
-- forecast_deal_rows (the deal's columns, p_win and stage_rate) and
--   effective_close_date: the expected close date, or as_of when it is missing
--     or overdue,
--   close_month: months from January of year Y to it (1..12 in Y, 13 and up later),
--   months_this_year = m(o): the months of Y after the close month (revenue
--     starts the month after signing, so a December close adds nothing),
--   expected_revenue = p(o) x annual_value x m(o) / 12.
-- The only place these are written: forecast_pipeline.sql (one row per deal),
-- forecast_pipeline_lines.sql (the forecast model's per-deal numbers, over the
-- load's open deals: forecast_deal_rows_cached) and forecast_freeze_pipeline.sql
-- (sums, the frozen forecast) read them.
-- needs: forecast_deal_rows
-- binds: as_of, year
forecast_close_dates AS (
    SELECT
        o.*,
        CASE
            WHEN o.expected_close_date IS NULL OR o.expected_close_date < CAST(:as_of AS DATE)
                THEN CAST(:as_of AS DATE)
            ELSE o.expected_close_date
        END AS effective_close_date
    FROM forecast_deal_rows AS o
),

forecast_close_months AS (
    SELECT
        d.*,
        CAST(
            (EXTRACT(YEAR FROM d.effective_close_date) - :year) * 12 + EXTRACT(MONTH FROM d.effective_close_date)
            AS INTEGER
        ) AS close_month
    FROM forecast_close_dates AS d
),

forecast_deals AS (
    SELECT
        m.*,
        GREATEST(12 - m.close_month, 0) AS months_this_year,
        m.p_win * m.annual_value * GREATEST(12 - m.close_month, 0) / 12.0 AS expected_revenue
    FROM forecast_close_months AS m
)
