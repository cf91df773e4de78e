-- fragment calibration_predictions (metrics.md, Year-end forecast, calibration):
-- for ONE backtest date bound as as_of, so that p(o) is exactly what the
-- forecast computed then (win_probability at that date: only history known
-- then), one row per deal open then in scope that closed within
-- probability_horizon_days after it (the outcome p(o)'s cohorts count:
-- win_rates), as known at :outcome_as_of (closed by then, and in scope then
-- too; the caller picks dates at least the horizon before it, so every such
-- outcome is known): its p_win, stage_rate (the stage-only baseline), won, and
-- its branch, team and account manager at the date and at :outcome_as_of (the
-- keys the derived rows are kept by: build_calibration_deals.sql).  Both sides
-- read cache_backtest_states (calibration_states).  calibration_scored buckets
-- these rows per model.
-- needs: calibration_states, max_stage, win_rates, win_probability, calibration_outcome_state
-- binds: as_of, outcome_as_of, probability_horizon_days
calibration_outcomes AS (
    SELECT
        s.opportunity_id,
        s.branch,
        s.team,
        s.owner_id,
        CASE WHEN s.status = 'won' THEN 1 ELSE 0 END AS won
    FROM calibration_outcome_state AS s
    WHERE s.status IN ('won', 'lost', 'terminated')
        AND s.closed_date <= CAST(:as_of AS DATE) + CAST(:probability_horizon_days AS INTEGER)
        AND {{ scope s opportunity }}
),

calibration_open AS (
    SELECT
        p.opportunity_id,
        p.p_win,
        p.stage_rate,
        o.branch,
        o.team,
        o.owner_id
    FROM open_probability AS p
    INNER JOIN scoped_opportunities AS o ON o.opportunity_id = p.opportunity_id
),

calibration_predictions AS (
    SELECT
        CAST(:as_of AS DATE) AS backtest_date,
        p.opportunity_id,
        p.p_win,
        p.stage_rate,
        w.won,
        p.branch,
        p.team,
        p.owner_id,
        w.branch AS outcome_branch,
        w.team AS outcome_team,
        w.owner_id AS outcome_owner_id
    FROM calibration_open AS p
    INNER JOIN calibration_outcomes AS w ON w.opportunity_id = p.opportunity_id
)
