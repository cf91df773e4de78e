-- build_past_win_rates (metrics.md, Why the forecast moved): fills cache_past_win_rates
-- for one earlier snapshot date (analytics/derived.py) with the rows build_win_rates
-- lays out, the win_rates fragment's rate tables, but over the backtest states the load
-- keeps per date (past_state) instead of that date's full opportunity facts: 周例会's
-- bridge reads A's p(o) through win_rates_past_cached, so the first view after a load
-- builds a few hundred rows at A (2.5 s at 1,000,000 opportunities) rather than A's
-- facts (24 s).  The same counts as the live pages' rates at that date (tests).
WITH
{{ include past_state }},
{{ include win_rates }}
SELECT
    CAST(:as_of AS DATE) AS as_of,
    'stage' AS kind,
    stage,
    CAST(NULL AS INTEGER) AS age_bin,
    CAST(NULL AS VARCHAR) AS opportunity_class,
    CAST(NULL AS VARCHAR) AS product,
    stage_closed AS closed,
    stage_won AS won
FROM stage_rates
UNION ALL
SELECT
    CAST(:as_of AS DATE),
    'segment',
    stage,
    CAST(NULL AS INTEGER),
    opportunity_class,
    product,
    segment_closed,
    segment_won
FROM segment_rates
UNION ALL
SELECT
    CAST(:as_of AS DATE),
    'cohort',
    stage,
    age_bin,
    CAST(NULL AS VARCHAR),
    CAST(NULL AS VARCHAR),
    cohort_closed,
    cohort_won
FROM cohort_rates
UNION ALL
SELECT
    CAST(:as_of AS DATE),
    'cohort_stage',
    stage,
    CAST(NULL AS INTEGER),
    CAST(NULL AS VARCHAR),
    CAST(NULL AS VARCHAR),
    cohort_stage_closed,
    cohort_stage_won
FROM cohort_stage_rates
