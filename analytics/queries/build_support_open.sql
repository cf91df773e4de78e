-- build_support_open (metrics.md, Team): cache_support_open for as_of, the
-- support_open fragment over the whole company (the requests open at as_of,
-- with their deal's columns). Built by analytics/derived.py once per data
-- version, as_of and the settings it binds (its key), at load for the newest
-- snapshot.
WITH
{{ include support_open }}

SELECT
    CAST(:as_of AS DATE) AS as_of,
    s.*
FROM support_open AS s
ORDER BY s.request_id
