-- rule_format: a non-blank cell that none of the accepted forms of its type parses
-- (dates, periods, amounts, flags, stages, codes: see macros.sql).
SELECT line_no, $field AS field, {{ raw }} AS raw_value, replace($template, '{value}', {{ raw }}) AS reason
FROM {{ typed }}
WHERE {{ raw }} IS NOT NULL AND {{ parsed }} IS NULL
