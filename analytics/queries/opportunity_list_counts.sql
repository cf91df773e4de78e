-- opportunity_list_counts: how many opportunities the explorer has in scope
-- (in_scope) and how many of them match its search (matched), whatever part
-- of them opportunity_list returns.
WITH
{{ include opportunity_listing }},

totals AS (
    SELECT
        COUNT(*) AS in_scope,
        COUNT(*) FILTER (WHERE matches_search) AS matched
    FROM listing_matches
)

SELECT CAST(in_scope AS BIGINT) AS in_scope, CAST(matched AS BIGINT) AS matched
FROM totals
