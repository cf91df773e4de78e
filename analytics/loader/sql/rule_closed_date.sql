-- rule_closed_date: an opportunity that is won, lost or terminated needs its closed date
-- (data-contract.md, opportunities: "required when status is not open").
SELECT line_no, $field AS field, {{ status }} AS raw_value, replace($template, '{value}', {{ status }}) AS reason
FROM {{ typed }}
WHERE status <> 'open' AND {{ closed_blank }}
