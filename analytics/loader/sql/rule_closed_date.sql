-- rule_closed_date: an opportunity that is won, lost or terminated needs its closed date
-- (data-contract.md, opportunities: "required when status is not open").  A closed
-- date that is there but no date is rule_format's.
SELECT line_no, $field AS field, r_status AS raw_value, replace($template, '{value}', r_status) AS reason
FROM {{ typed }}
WHERE status <> 'open' AND closed_date IS NULL AND clean_text(r_closed_date) IS NULL
