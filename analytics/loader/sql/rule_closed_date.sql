-- rule_closed_date: an opportunity that is won, lost or terminated needs its closed date
-- (data-contract.md, opportunities: "required when status is not open").
SELECT line_no, $field AS field, r_status AS raw_value, replace($template, '{value}', r_status) AS reason
FROM {{ typed }}
WHERE status <> 'open' AND r_closed_date IS NULL
