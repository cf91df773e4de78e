-- build_win_rates (metrics.md, Year-end forecast, p(o)): fills cache_win_rates
-- for one as_of (analytics/derived.py) with the company-wide rate tables the
-- win_rates fragment defines, one row per kind and key: 'stage' (stage_rates),
-- 'segment' (segment_rates), 'cohort' (cohort_rates), 'cohort_stage'
-- (cohort_stage_rates), as closed deals and wins; the rates are their ratios
-- (win_rates_cached).  The definitions stay in _win_rates.sql; this file only
-- lays them out as rows.  Built per data version, as_of and the settings it binds.
WITH
{{ include opportunity_state }},
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
