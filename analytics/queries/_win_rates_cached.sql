-- fragment win_rates_cached (metrics.md, Year-end forecast, p(o)): the rate
-- tables of the win_rates fragment (stage_rates, segment_rates, cohort_rates,
-- cohort_stage_rates, with the same columns) read for as_of from
-- cache_win_rates (build_win_rates.sql, built once per data version, as_of and
-- settings by analytics/derived.py before the query runs) instead of computed
-- from the whole history on every query: they depend on as_of and settings,
-- never on the viewer's scope.  Each rate is the same ratio of the same counts.
-- What p(o) reads on the live pages (win_probability); the calibration
-- backtest, at past dates, computes win_rates itself.
-- binds: as_of
stage_rates AS (
    SELECT
        stage,
        closed AS stage_closed,
        won AS stage_won,
        CAST(won AS DOUBLE PRECISION) / closed AS stage_rate
    FROM cache_win_rates
    WHERE as_of = CAST(:as_of AS DATE) AND kind = 'stage'
),

segment_rates AS (
    SELECT stage, opportunity_class, product, closed AS segment_closed, won AS segment_won
    FROM cache_win_rates
    WHERE as_of = CAST(:as_of AS DATE) AND kind = 'segment'
),

cohort_rates AS (
    SELECT stage, age_bin, closed AS cohort_closed, won AS cohort_won
    FROM cache_win_rates
    WHERE as_of = CAST(:as_of AS DATE) AND kind = 'cohort'
),

cohort_stage_rates AS (
    SELECT
        stage,
        closed AS cohort_stage_closed,
        won AS cohort_stage_won,
        CAST(won AS DOUBLE PRECISION) / closed AS cohort_stage_rate
    FROM cache_win_rates
    WHERE as_of = CAST(:as_of AS DATE) AND kind = 'cohort_stage'
)
