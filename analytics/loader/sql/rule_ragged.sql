-- rule_ragged: a line with more or fewer cells than the header (or one the CSV reader
-- could not split); the whole line is quarantined as it stood in the file.  $cells and
-- $unreadable are the reasons' templates (analytics/loader/messages.py: ragged_cells,
-- ragged_unreadable) in the loader's language, {line}, {found}, {error} filled here.
SELECT line_no, CAST(NULL AS VARCHAR) AS field, raw_line AS raw_value,
       CASE WHEN found IS NOT NULL
            THEN replace(replace($cells, '{line}', CAST(line_no AS VARCHAR)), '{found}', CAST(found AS VARCHAR))
            ELSE replace(replace($unreadable, '{line}', CAST(line_no AS VARCHAR)), '{error}', error_type)
       END AS reason
FROM {{ ragged }}
