-- rule_required_value: a required date, amount, code or flag whose cell is blank
-- (nothing parsed, and nothing left once trimmed).
SELECT line_no, $field AS field, CAST(NULL AS VARCHAR) AS raw_value, $template AS reason
FROM {{ typed }}
WHERE {{ parsed }} IS NULL AND clean_text({{ raw }}) IS NULL
