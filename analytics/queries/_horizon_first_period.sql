-- fragment horizon_first_period (metrics.md, Year-end forecast, calibration): the
-- first month (YYYYMM) a frozen forecast row of {{ alias }} counts its revenue from:
-- January for the year-end, the window's first month for next_quarter and
-- next_12_months (the earliest month frozen for that horizon at that snapshot).
-- Written once for the lines' scores (forecast_scores.sql) and the company total's
-- (forecast_scores_total.sql).
-- kind: expression
-- takes: alias
CASE
    WHEN {{ alias }}.horizon = 'year_end' THEN {{ alias }}.year * 100 + 1
    ELSE MIN({{ alias }}.year * 100 + {{ alias }}.month) OVER (
        PARTITION BY {{ alias }}.snapshot_date, {{ alias }}.horizon
    )
END
