-- fragment forecast_won_sums (metrics.md, Year-end forecast, uncertainty and
-- value_ratio): the won deals of forecast_won_sightings summed per slip in months
-- (the close month minus the expected close month the deal had when first seen
-- open; negative: it closed earlier than said): deals, and of those first seen
-- with an annual value above 0 (valued_deals) their won_value and pipeline_value.
-- forecast_slips.sql reads the deals per slip, forecast_value_ratio.sql the
-- valued sums.  Company-wide, like p(o), so build_forecast_won_sums.sql keeps
-- these rows per as_of at load (read through forecast_won_sums_cached, the
-- stand-in analytics/forecast/kept.py swaps in; a derived table's name written
-- here would have every reader of this fragment build it).
-- The life table of forecast_timing (every deal first seen open in the window,
-- closed or still open) joins on the slip: wins, losses and at_risk per slip,
-- those rows with stage null; forecast_timing_by_stage's rows follow with their
-- stage (first seen) and no won deals or values, so sums over the slips stay the
-- pooled ones'.
-- needs: forecast_won_sightings, forecast_timing
forecast_won_slips AS (
    SELECT
        CAST(
            (EXTRACT(YEAR FROM closed_date) - EXTRACT(YEAR FROM effective_close_date)) * 12
            + EXTRACT(MONTH FROM closed_date) - EXTRACT(MONTH FROM effective_close_date)
            AS INTEGER
        ) AS slip_months,
        CASE WHEN pipeline_value > 0 THEN 1 ELSE 0 END AS valued,
        won_value,
        pipeline_value
    FROM forecast_won_sightings
),

forecast_won_by_slip AS (
    SELECT
        slip_months,
        COUNT(*) AS deals,
        SUM(valued) AS valued_deals,
        COALESCE(SUM(CASE WHEN valued = 1 THEN won_value END), 0) AS won_value,
        COALESCE(SUM(CASE WHEN valued = 1 THEN pipeline_value END), 0) AS pipeline_value
    FROM forecast_won_slips
    GROUP BY slip_months
),

forecast_won_sums AS (
    SELECT
        CAST(NULL AS SMALLINT) AS stage,
        COALESCE(w.slip_months, t.slip_months) AS slip_months,
        COALESCE(w.deals, 0) AS deals,
        COALESCE(w.valued_deals, 0) AS valued_deals,
        COALESCE(w.won_value, 0) AS won_value,
        COALESCE(w.pipeline_value, 0) AS pipeline_value,
        COALESCE(t.wins, 0) AS timing_wins,
        COALESCE(t.losses, 0) AS timing_losses,
        COALESCE(t.at_risk, 0) AS timing_at_risk
    FROM forecast_won_by_slip AS w
    FULL OUTER JOIN forecast_timing AS t ON t.slip_months = w.slip_months
    UNION ALL
    SELECT
        CAST(stage AS SMALLINT) AS stage,
        slip_months,
        0 AS deals,
        0 AS valued_deals,
        0 AS won_value,
        0 AS pipeline_value,
        wins AS timing_wins,
        losses AS timing_losses,
        at_risk AS timing_at_risk
    FROM forecast_timing_by_stage
)
