-- rule_duplicate: a key that repeats within the file.  The first row that passed every
-- other rule keeps the key; each later row is an error naming the line that holds it.
SELECT line_no, $field AS field, raw_value,
       replace(replace($template, '{value}', raw_value), '{first}', CAST(first_line AS VARCHAR)) AS reason
FROM (
    SELECT t.line_no, {{ raw }} AS raw_value,
           row_number() OVER (PARTITION BY {{ key }} ORDER BY t.line_no) AS n,
           min(t.line_no) OVER (PARTITION BY {{ key }}) AS first_line
    FROM {{ typed }} AS t
    WHERE NOT EXISTS (SELECT 1 FROM {{ problems }} AS p WHERE p.line_no = t.line_no)
) AS keyed
WHERE n > 1
