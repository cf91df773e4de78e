-- rule_ragged: a line with more or fewer cells than the header (or one the CSV reader
-- could not split); the whole line is quarantined as it stood in the file.
SELECT line_no, CAST(NULL AS VARCHAR) AS field, raw_line AS raw_value,
       CASE WHEN found IS NOT NULL
            THEN '第 ' || line_no || ' 行有 ' || found || ' 列，表头有 ' || $columns || ' 列（列数不齐）'
            ELSE '第 ' || line_no || ' 行无法按 CSV 读取（' || error_type || '）：请检查引号是否成对'
       END AS reason
FROM {{ ragged }}
