-- replace_held: the rows a load would replace (or hold under its keys), counted and summed
-- per key value (snapshot date, period, year) or in one line (ids, the whole org), for
-- the replacement preview (issue 17).  {{ matches }} is the very predicate apply_replace
-- uses, so the preview counts exactly what the load moves to the shadow table.
-- Runs in the warehouse (both backends), in a transaction rolled back or the load's own.
SELECT {{ key }} AS key, count(*) AS row_count, {{ value }} AS value
FROM {{ target }} AS t
WHERE {{ matches }}
{{ group }}
