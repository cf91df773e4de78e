-- fragment support_open (metrics.md, Team: support requests waiting): one row
-- per support request (支撑需求) open at as_of (requested by then, not resolved
-- by then) on an opportunity in the viewer's scope and filters, with how many
-- days it has waited and the opportunity's status: a request on an open deal
-- is waiting in the queue; one on a deal already won, lost or terminated waits
-- for nothing and is a data question (close it or correct the deal). The
-- deal's columns a scope or filter names are kept, so build_support_open.sql
-- can keep the company's rows in cache_support_open once per data version and
-- as_of, read by the pages through support_open_cached; this fragment is the
-- same rows from scratch. Needs opportunity_state before it.
-- needs: opportunity_state
-- binds: as_of
support_open AS NOT MATERIALIZED (
    SELECT
        s.request_id,
        s.type,
        s.requested_date,
        CAST(CAST(:as_of AS DATE) - s.requested_date AS INTEGER) AS waited_days,
        o.opportunity_id,
        o.name,
        o.customer_name,
        o.owner_id,
        o.owner_name,
        o.team,
        o.branch,
        o.status,
        o.stage,
        o.annual_value,
        o.is_key,
        o.closed_date,
        o.status <> 'open' AS on_closed_deal,
        o.product,
        o.industry,
        o.business_type,
        o.origin,
        o.campaign,
        o.opportunity_class,
        o.created_date
    FROM stg_support_requests AS s
    INNER JOIN scoped_opportunities AS o ON o.opportunity_id = s.opportunity_id
    WHERE s.requested_date <= CAST(:as_of AS DATE)
        AND (s.resolved_date IS NULL OR s.resolved_date > CAST(:as_of AS DATE))
)
