-- rule_required: a required text field whose cell is blank (data-contract.md, fields
-- marked R).  Text cells are trimmed when read, so blank is NULL.
SELECT line_no, $field AS field, CAST(NULL AS VARCHAR) AS raw_value, $template AS reason
FROM {{ typed }}
WHERE {{ raw }} IS NULL
