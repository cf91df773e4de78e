-- rule_control: a cell holding a control character (a byte below 0x20 but tab, LF and
-- CR): binary junk or a wrong encoding, never text to load (PostgreSQL refuses NUL
-- outright).  Run only for files in which decode.py saw one; detection refuses a file
-- whose sample holds one.  The value is shown with each such character as '?'.
SELECT line_no, $field AS field,
       regexp_replace({{ cell }}, '[\x00-\x08\x0b\x0c\x0e-\x1f]', '?', 'g') AS raw_value,
       replace($template, '{value}', regexp_replace({{ cell }}, '[\x00-\x08\x0b\x0c\x0e-\x1f]', '?', 'g')) AS reason
FROM {{ typed }}
WHERE regexp_matches({{ cell }}, '[\x00-\x08\x0b\x0c\x0e-\x1f]')
