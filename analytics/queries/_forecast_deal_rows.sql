-- fragment forecast_deal_rows (metrics.md, Year-end forecast, pipeline_expected): one
-- row per open opportunity in scope at as_of with every column of
-- scoped_opportunities and its p_win and stage_rate (open_probability), computed
-- from the opportunity state and p(o)'s rate tables: what the forecast_deals
-- fragment reads.  The frozen forecast (forecast_freeze_pipeline.sql) and the
-- bridge read these; the pages' per-deal rows read the load's open deals instead
-- (forecast_deal_rows_cached, swapped in by analytics/forecast/kept.py).
-- needs: opportunity_state, win_rates_cached, win_probability
forecast_deal_rows AS (
    SELECT
        o.*,
        p.p_win,
        p.stage_rate
    FROM scoped_opportunities AS o
    INNER JOIN open_probability AS p ON p.opportunity_id = o.opportunity_id
    -- open_probability holds open deals only: said here too, so the scope's closed
    -- deals are not joined first (over a past snapshot's kept states, past_state, the
    -- join with that snapshot's close dates: 0.72 -> 0.52 s at 1,000,000 opportunities)
    WHERE o.status = 'open'
)
