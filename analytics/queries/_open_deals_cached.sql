-- fragment open_deals_cached (metrics.md, Problem opportunities): the open_deals fragment's
-- rows and columns, read for as_of from cache_open_deals (build_open_deals.sql:
-- the company's open deals with their problem reasons, p(o) and open support
-- requests, built once per data version, as_of and settings by
-- analytics/derived.py, at load for the newest snapshot) instead of computed
-- from the opportunity facts, the stage thresholds and p(o)'s rates on each
-- view: the viewer's scope and every sidebar filter are a filter over these
-- rows, which carry each column a filter names (scope.ENTITY_COLUMNS).
-- binds: as_of
open_deals AS NOT MATERIALIZED (
    SELECT
        d.opportunity_id,
        d.name,
        d.customer_name,
        d.owner_id,
        d.owner_name,
        d.team,
        d.branch,
        d.product,
        d.industry,
        d.business_type,
        d.origin,
        d.campaign,
        d.opportunity_class,
        d.created_date,
        d.stage,
        d.annual_value,
        d.expected_close_date,
        d.is_key,
        d.is_competitive,
        d.overdue,
        d.stint_age_days,
        d.stale_threshold_days,
        d.stale,
        d.idle,
        d.last_activity_date,
        d.abnormal,
        d.is_problem,
        d.slip_count,
        d.p_win,
        d.expected_value,
        d.support_open,
        d.value_order
    FROM cache_open_deals AS d
    WHERE d.as_of = CAST(:as_of AS DATE) AND {{ scope d opportunity }}
)
