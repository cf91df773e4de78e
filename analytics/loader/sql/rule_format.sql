-- rule_format: a non-blank cell that none of the accepted forms of its type parses
-- (dates, periods, amounts, flags, stages, codes: see macros.sql).  raw: the trimmed cell,
-- computed only for the rows whose value did not parse.
SELECT line_no, $field AS field, {{ raw }} AS raw_value, replace($template, '{value}', {{ raw }}) AS reason
FROM {{ typed }}
WHERE {{ parsed }} IS NULL AND {{ raw }} IS NOT NULL
