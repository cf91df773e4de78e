-- build_open_deals (metrics.md, Problem opportunities): cache_open_deals for as_of, the
-- open_deals fragment over the whole company, in value order (a list by
-- value reads its first rows). Built by analytics/derived.py once per data
-- version, as_of and the settings it binds (its key), at load for the newest
-- snapshot.
WITH
{{ include open_deals }}

SELECT
    CAST(:as_of AS DATE) AS as_of,
    d.*
FROM open_deals AS d
ORDER BY d.value_order
