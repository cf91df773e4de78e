-- problem_opportunities (metrics.md, Problem opportunities): one row per open
-- opportunity in scope that is overdue, stale, idle or abnormal, with the
-- reasons as booleans and how often its expected close date slipped before;
-- key ones first, then by value at risk (larger first, then id); the first
-- row_limit of them (all when row_limit is NULL). The reasons are defined once, in the
-- problem_flags fragment (also behind the explorer's labels), read here from
-- the open deals built at load (open_deals_cached: the open_deals fragment's
-- rows); value_order is the order by value, larger first, then id.
WITH
{{ include open_deals_cached }}

SELECT
    p.opportunity_id,
    p.name,
    p.customer_name,
    p.owner_id,
    p.owner_name,
    p.team,
    p.branch,
    p.product,
    p.stage,
    p.annual_value,
    p.expected_close_date,
    p.opportunity_class,
    p.is_key,
    p.overdue,
    p.stint_age_days,
    p.stale_threshold_days,
    p.stale,
    p.idle,
    p.last_activity_date,
    p.abnormal,
    p.slip_count,
    p.industry,
    p.is_competitive
FROM open_deals AS p
WHERE p.is_problem
ORDER BY p.is_key DESC, p.value_order
LIMIT :row_limit
