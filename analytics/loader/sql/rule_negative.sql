-- rule_negative: an amount or count below zero where the contract allows none
-- (data-contract.md: only a revenue amount may be negative, an adjustment 收入调整;
-- an opportunity's value, a contract, a budget, a target, a user count or a term
-- may not).  parsed: the typed value; raw: the trimmed cell, as the file wrote it.
SELECT line_no, $field AS field, {{ raw }} AS raw_value, replace($template, '{value}', {{ raw }}) AS reason
FROM {{ typed }}
WHERE {{ parsed }} < 0
