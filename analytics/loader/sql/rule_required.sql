-- rule_required: a required field whose cell is blank (data-contract.md, fields marked R).
-- blank: the trimmed cell is NULL (a field with a parsed value is not blank).
SELECT line_no, $field AS field, CAST(NULL AS VARCHAR) AS raw_value, $template AS reason
FROM {{ typed }}
WHERE {{ blank }}
