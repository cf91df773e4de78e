-- fragment win_rates_past_cached (metrics.md, Why the forecast moved): the rate tables
-- of win_rates_cached (stage_rates, segment_rates, cohort_rates, cohort_stage_rates,
-- the same columns) read for an earlier snapshot date from cache_past_win_rates
-- (build_past_win_rates.sql: the same counts, from the backtest states the load keeps
-- per date) instead of the live pages' rate table, which needs that date's full facts.
-- 周例会's bridge includes it with past_state at A (analytics/forecast/bridge.py).
-- binds: as_of
stage_rates AS (
    SELECT
        stage,
        closed AS stage_closed,
        won AS stage_won,
        CAST(won AS DOUBLE PRECISION) / closed AS stage_rate
    FROM cache_past_win_rates
    WHERE as_of = CAST(:as_of AS DATE) AND kind = 'stage'
),

segment_rates AS (
    SELECT stage, opportunity_class, product, closed AS segment_closed, won AS segment_won
    FROM cache_past_win_rates
    WHERE as_of = CAST(:as_of AS DATE) AND kind = 'segment'
),

cohort_rates AS (
    SELECT stage, age_bin, closed AS cohort_closed, won AS cohort_won
    FROM cache_past_win_rates
    WHERE as_of = CAST(:as_of AS DATE) AND kind = 'cohort'
),

cohort_stage_rates AS (
    SELECT
        stage,
        closed AS cohort_stage_closed,
        won AS cohort_stage_won,
        CAST(won AS DOUBLE PRECISION) / closed AS cohort_stage_rate
    FROM cache_past_win_rates
    WHERE as_of = CAST(:as_of AS DATE) AND kind = 'cohort_stage'
)
