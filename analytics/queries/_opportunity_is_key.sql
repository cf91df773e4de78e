-- fragment opportunity_is_key (metrics.md, Classes: key): whether the classified
-- row aliased c is key, an expression (not a CTE); its rank among ALL open
-- opportunities of its state (known_open_value_rank of cache_opportunity_facts)
-- decides the top share, so the key set does not depend on who is looking.
-- kind: expression
-- binds: key_top_share
(
    c.key_flag
    OR c.opportunity_class = 'major'
    OR COALESCE(c.known_open_value_rank <= CEIL(c.known_open_total * :key_top_share), FALSE)
)
