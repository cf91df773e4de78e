-- fragment opportunity_state (metrics.md, Classes): the state of every opportunity
-- in the newest snapshot on or before as_of, with its class and management
-- labels, then restricted to the viewer's scope and filters as scoped_opportunities.
-- The key label is decided over ALL open opportunities before scoping (by the
-- rank known_open_value_rank among them), so the key set does not depend on who
-- is looking. The state rows come from the
-- derived table cache_opportunity_facts (build_opportunity_facts.sql, built for
-- this as_of by analytics/derived.py before the query runs), which also carries
-- the known_* facts that would otherwise need the whole history.
-- binds: as_of
classified AS NOT MATERIALIZED (
    SELECT
        o.*,
        {{ include opportunity_class }} AS opportunity_class
    FROM cache_opportunity_facts AS o
    WHERE o.as_of = CAST(:as_of AS DATE)
),

opportunity_state AS NOT MATERIALIZED (
    SELECT
        c.*,
        {{ include opportunity_is_key }} AS is_key,
        COALESCE(c.competitor, '') <> '' AS is_competitive,
        c.status = 'terminated' AS is_terminated,
        c.abnormal AS is_abnormal
    FROM classified AS c
),

scoped_opportunities AS NOT MATERIALIZED (
    SELECT *
    FROM opportunity_state AS o
    WHERE {{ scope o opportunity }}
)
