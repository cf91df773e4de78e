-- fragment forecast_timing (metrics.md, Year-end forecast, uncertainty): the
-- life table of "closes in slip month k, given still open then" (issue 16), over
-- every deal first seen open in the look-back window by as_of, closed or not:
-- its slip months are counted from the expected close month it had when first
-- seen (overdue or missing: that snapshot's month, as in m(o)); it is at risk
-- from the month it was first seen (entry_slip) through the month it closed or,
-- still open, as_of's month (exit_slip).  Per slip month: wins and losses
-- (lost or terminated) that month, and at_risk = the deals open in it, those
-- first seen or still open (censored) in that very month counting half (the
-- actuarial life table: they were watched about half of it).  A deal still open
-- adds exposure, never an event, so a slow close is not mistaken for none.
-- Rows only where something closed or was censored; analytics/forecast/
-- probabilities.py turns the hazards into the timing given a win.
-- forecast_timing_by_stage: the same life table per stage the deal had when first
-- seen (setting slip_stage_prior), one row per stage and slip month of
-- forecast_timing's, the at-risk counted from the stage's own deals (summed over the
-- stages they give forecast_timing's), so a quiet month keeps its exposure.
-- needs: forecast_won_sightings
-- binds: as_of, lookback_start
forecast_timing_deals AS (
    SELECT
        CAST(
            EXTRACT(YEAR FROM s.snapshot_date) * 12 + EXTRACT(MONTH FROM s.snapshot_date)
            AS INTEGER
        ) AS seen_month,
        CAST(
            EXTRACT(YEAR FROM s.effective_close_date) * 12 + EXTRACT(MONTH FROM s.effective_close_date)
            AS INTEGER
        ) AS due_month,
        CAST(
            CASE
                WHEN o.status = 'open' OR o.closed_date IS NULL
                    THEN EXTRACT(YEAR FROM CAST(:as_of AS DATE)) * 12 + EXTRACT(MONTH FROM CAST(:as_of AS DATE))
                ELSE EXTRACT(YEAR FROM o.closed_date) * 12 + EXTRACT(MONTH FROM o.closed_date)
            END AS INTEGER
        ) AS end_month,
        s.stage,
        CASE WHEN o.status = 'won' THEN 1 ELSE 0 END AS won,
        CASE WHEN o.status = 'open' OR o.closed_date IS NULL THEN 0 WHEN o.status = 'won' THEN 0 ELSE 1 END AS lost
    FROM forecast_first_sightings AS s
    INNER JOIN opportunity_state AS o ON o.opportunity_id = s.opportunity_id
    WHERE s.snapshot_date > CAST(:lookback_start AS DATE)
),

forecast_timing_steps AS (
    SELECT
        stage, seen_month - due_month AS slip_months, 1 AS entered, 0 AS ended, 0 AS wins, 0 AS losses, 0 AS censored
    FROM forecast_timing_deals
    UNION ALL
    SELECT
        stage,
        GREATEST(end_month, seen_month) - due_month AS slip_months,
        0 AS entered,
        1 AS ended,
        won AS wins,
        lost AS losses,
        1 - won - lost AS censored
    FROM forecast_timing_deals
),

forecast_timing_stage_steps AS (
    SELECT
        stage,
        slip_months,
        SUM(entered) AS entered,
        SUM(ended) AS ended,
        SUM(wins) AS wins,
        SUM(losses) AS losses,
        SUM(censored) AS censored
    FROM forecast_timing_steps
    GROUP BY stage, slip_months
),

forecast_timing_slips AS (  -- the pooled counts: the stages' summed (one pass over the steps)
    SELECT
        slip_months,
        SUM(entered) AS entered,
        SUM(ended) AS ended,
        SUM(wins) AS wins,
        SUM(losses) AS losses,
        SUM(censored) AS censored
    FROM forecast_timing_stage_steps
    GROUP BY slip_months
),

forecast_timing AS (
    SELECT
        slip_months,
        wins,
        losses,
        CAST(
            SUM(entered) OVER (ORDER BY slip_months) - SUM(ended) OVER (ORDER BY slip_months) + ended
            - 0.5 * entered - 0.5 * censored
            AS DOUBLE PRECISION
        ) AS at_risk
    FROM forecast_timing_slips
    WHERE ended > 0
),


forecast_timing_stage_grid AS (
    SELECT st.stage, sl.slip_months, sl.ended AS pooled_ended
    FROM (SELECT DISTINCT stage FROM forecast_timing_deals) AS st
    CROSS JOIN forecast_timing_slips AS sl
),

forecast_timing_stage_slips AS (
    SELECT
        g.stage,
        g.slip_months,
        g.pooled_ended,
        COALESCE(t.entered, 0) AS entered,
        COALESCE(t.ended, 0) AS ended,
        COALESCE(t.wins, 0) AS wins,
        COALESCE(t.losses, 0) AS losses,
        COALESCE(t.censored, 0) AS censored
    FROM forecast_timing_stage_grid AS g
    LEFT JOIN forecast_timing_stage_steps AS t ON t.stage = g.stage AND t.slip_months = g.slip_months
),

forecast_timing_by_stage AS (
    SELECT
        stage,
        slip_months,
        wins,
        losses,
        CAST(
            SUM(entered) OVER (PARTITION BY stage ORDER BY slip_months)
            - SUM(ended) OVER (PARTITION BY stage ORDER BY slip_months) + ended
            - 0.5 * entered - 0.5 * censored
            AS DOUBLE PRECISION
        ) AS at_risk
    FROM forecast_timing_stage_slips
    WHERE pooled_ended > 0
)
