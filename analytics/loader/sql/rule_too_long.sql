-- rule_too_long: text longer than its warehouse column holds (PostgreSQL would refuse the batch).
SELECT line_no, $field AS field, {{ raw }} AS raw_value, replace($template, '{value}', {{ raw }}) AS reason
FROM {{ typed }}
WHERE length({{ raw }}) > $max_length
