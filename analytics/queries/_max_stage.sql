-- fragment max_stage (metrics.md, Stage reached): one row per opportunity of the
-- state at as_of with max_stage, the highest stage 0-4 it is known to have
-- reached (defined once, as known_max_stage, in build_opportunity_facts.sql:
-- every stage change and every snapshot held on or before as_of; a won
-- opportunity has reached won_stage; skipped stages count as passed).
-- Needs a classified CTE before it: opportunity_state's, or the query's own (the
-- calibration backtest classifies every backtest date), so it declares no needs.
max_stage AS (
    SELECT opportunity_id, known_max_stage AS max_stage
    FROM classified
)
