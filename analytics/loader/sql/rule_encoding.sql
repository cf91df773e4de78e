-- rule_encoding: a line the file's encoding does not decode, or one saved in another
-- encoding (valid UTF-8 in a GBK file: GBK would read it as mojibake), found while
-- decoding (decode.py, mixed.py; bad: line, reason).  The record holding the line is
-- quarantined, never loaded as mojibake: the nearest record (or ragged line) starting
-- on or before it.
SELECT r.line_no, CAST(NULL AS VARCHAR) AS field, CAST(NULL AS VARCHAR) AS raw_value, b.reason
FROM {{ bad }} AS b
ASOF JOIN (
    SELECT line_no FROM {{ typed }}
    UNION ALL
    SELECT line_no FROM {{ ragged }}
) AS r ON b.line >= r.line_no
