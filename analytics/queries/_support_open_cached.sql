-- fragment support_open_cached (metrics.md, Team): the support_open fragment's
-- rows and columns, read for as_of from cache_support_open
-- (build_support_open.sql: the company's support requests open at as_of with
-- their deal's columns, built once per data version and as_of by
-- analytics/derived.py, at load for the newest snapshot) instead of joining the
-- requests to every opportunity's facts on each view: the viewer's scope and
-- every sidebar filter are a filter over these rows, which carry each column
-- a filter names (scope.ENTITY_COLUMNS).
-- binds: as_of
support_open AS NOT MATERIALIZED (
    SELECT
        s.request_id,
        s.type,
        s.requested_date,
        s.waited_days,
        s.opportunity_id,
        s.name,
        s.customer_name,
        s.owner_id,
        s.owner_name,
        s.team,
        s.branch,
        s.status,
        s.stage,
        s.annual_value,
        s.is_key,
        s.closed_date,
        s.on_closed_deal,
        s.product,
        s.industry,
        s.business_type,
        s.origin,
        s.campaign,
        s.opportunity_class,
        s.created_date
    FROM cache_support_open AS s
    WHERE s.as_of = CAST(:as_of AS DATE) AND {{ scope s opportunity }}
)
