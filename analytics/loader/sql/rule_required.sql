-- rule_required: a required field whose cell is blank (data-contract.md, fields marked R).
-- Cells are trimmed when read, so blank is NULL.
SELECT line_no, $field AS field, CAST(NULL AS VARCHAR) AS raw_value, $template AS reason
FROM {{ typed }}
WHERE {{ raw }} IS NULL
