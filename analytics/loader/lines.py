"""Line numbers for every record, so a quarantined row can be found in the file.

parse.py reads and parses a file in one pass into ``<schema>.parsed``, whose
``rowid`` is the record's place in the file (DuckDB keeps insertion order).
When the file has exactly one line per record (no blank lines, no line breaks
inside quoted cells: the newline count tells), record k is on line k + 2
unless ragged lines were set aside before it, which a small table of line
numbers corrects.  Otherwise a Python pass with the csv module finds each
record's first line; it is slower, and only needed for such files.
Spreadsheets carry their row numbers in a column written by read.py.  The
result is the view ``<schema>.typed``: ``line_no``, ``parsed_row`` (the rowid in
``parsed``) and every parsed column.
"""

from __future__ import annotations

import csv

import pyarrow as pa

from analytics.loader.messages import say
from analytics.loader.read import Reading


def number_rows(con, schema: str, reading: Reading) -> int:
    """Create ``<schema>.ragged`` and the ``<schema>.typed`` view; returns the ragged count."""
    _ragged_from_rejects(con, schema)
    rejected = con.execute(f"SELECT count(*) FROM {schema}.ragged").fetchone()[0]
    if reading.line_column:
        _view(con, schema, "sheet_line", "")
        return rejected
    decoded = reading.decoded
    assert decoded is not None  # a text file (a sheet has line_column)
    physical = decoded.newlines + (0 if decoded.ends_with_newline else 1)
    if reading.records + rejected + 1 == physical:
        if rejected == 0:
            _view(con, schema, "p.rowid + 2", "")
            return rejected
        con.execute(
            f"""CREATE TABLE {schema}.lines AS
            SELECT row_number() OVER (ORDER BY line) - 1 AS k, line
            FROM range(2, $last + 1) AS t(line)
            WHERE line NOT IN (SELECT line_no FROM {schema}.ragged)""",
            {"last": physical},
        )
    else:
        try:
            starts, ragged = _scan_lines(reading)
        except csv.Error:  # a cell past the csv module's field limit (DuckDB read it): no line map
            starts, ragged = None, []
        if starts is None or len(starts) != reading.records:
            reading.notes.append(say("lines_unplaced"))
            _view(con, schema, "p.rowid + 2", "")
            return rejected
        if len(ragged) == rejected and rejected:
            _renumber_ragged(con, schema, ragged)
        con.complete()  # DuckDB 2.0: no registering while an earlier result is open
        con.register(f"{schema}_lines_src", pa.table({"k": list(range(len(starts))), "line": starts}))
        con.execute(f"CREATE TABLE {schema}.lines AS SELECT * FROM {schema}_lines_src")
    _view(con, schema, "l.line", f"JOIN {schema}.lines AS l ON l.k = p.rowid")
    return rejected


def _view(con, schema: str, line: str, join: str) -> None:
    exclude = " EXCLUDE (sheet_line)" if line == "sheet_line" else ""
    con.execute(
        f"CREATE VIEW {schema}.typed AS "
        f"SELECT {line} AS line_no, p.rowid AS parsed_row, p.*{exclude} FROM {schema}.parsed AS p {join}"
    )


def _ragged_from_rejects(con, schema: str) -> None:
    con.execute(
        f"""CREATE TABLE {schema}.ragged AS
        SELECT line AS line_no,
               try_cast(regexp_extract(error_message, 'Found: ([0-9]+)', 1) AS INTEGER) AS found,
               trim(csv_line, chr(10) || chr(13)) AS raw_line,
               error_type
        FROM {schema}_errors
        QUALIFY row_number() OVER (PARTITION BY line ORDER BY column_idx) = 1"""
    )


def _renumber_ragged(con, schema: str, lines: list[int]) -> None:
    """Ragged lines numbered by the csv-module pass, matched to DuckDB's in order."""
    con.complete()
    con.register(f"{schema}_ragged_src", pa.table({"k": list(range(len(lines))), "line": lines}))
    con.execute(
        f"""CREATE TABLE {schema}.ragged_renumbered AS
        SELECT s.line AS line_no, r.found, r.raw_line, r.error_type
        FROM (SELECT *, row_number() OVER (ORDER BY line_no) - 1 AS k FROM {schema}.ragged) AS r
        JOIN {schema}_ragged_src AS s ON s.k = r.k"""
    )
    con.execute(f"DROP TABLE {schema}.ragged")
    con.execute(f"ALTER TABLE {schema}.ragged_renumbered RENAME TO ragged")


def _scan_lines(reading: Reading) -> tuple[list[int], list[int]]:
    """First lines of well-formed records and of ragged ones, by a csv-module pass."""
    ncols, starts, ragged = len(reading.headers), list[int](), list[int]()
    assert reading.decoded is not None and reading.delimiter is not None  # a text file, read
    with open(reading.decoded.path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=reading.delimiter)
        next(reader, None)
        line = reader.line_num
        for row in reader:
            first, line = line + 1, reader.line_num
            if row:
                (starts if len(row) == ncols else ragged).append(first)
    return starts, ragged
