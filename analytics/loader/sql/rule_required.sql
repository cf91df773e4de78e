-- rule_required: a required field whose cell is blank (data-contract.md, fields marked R).
-- One row per offending line: line_no, field (the file's header), raw value, reason.
SELECT line_no, $field AS field, CAST(NULL AS VARCHAR) AS raw_value, $template AS reason
FROM {{ typed }}
WHERE {{ raw }} IS NULL
