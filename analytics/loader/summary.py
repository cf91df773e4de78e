"""What a parsed file looks like from outside: preview rows, coverage, quarantine, extras.

These read the scratch tables parse.py made.  ``quarantine`` and ``extras``
are the two side outputs that travel to the warehouse with the clean rows:
every quarantined problem with the row's text, and the columns the contract
does not name (kept as JSON so that nothing in the file is lost).
"""

from __future__ import annotations

import pandas as pd

from analytics.loader.cells import raw_text
from analytics.loader.messages import say
from analytics.loader.parse import Parsed

PREVIEW_ROWS = 20
COVERAGE = {"opportunities": "snapshot_date", "revenue": "period", "budget": "year", "targets": "year"}
RANGES = {
    "stage_history": "changed_at",
    "activities": "activity_date",
    "support_requests": "requested_date",
    "contracts": "signed_date",
}
"""The column whose values (COVERAGE) or range (RANGES) a file covers;
its word is messages.py covers_<column>."""


def _cell_columns(parsed: Parsed) -> list[str]:
    """Each header's cell (trimmed; extra columns as read), in file order."""
    return [
        raw_text(parsed.known_kind, c.field, "t") if c.field else f"t.x{c.position}"
        for c in parsed.known_mapping.columns
    ]


def build_outputs(con, parsed: Parsed) -> None:
    """``quarantine`` (problems + row text) and ``extras`` (unnamed columns as JSON)."""
    schema, delimiter = parsed.schema, parsed.reading.delimiter or ","
    cells = ", ".join(_cell_columns(parsed))
    row = f"array_to_string(list_transform([{cells}], lambda x: coalesce(x, '')), $delim)"
    # The row's cells come from ``parsed`` by rowid: joining ``typed`` itself on line_no
    # would carry every cell of every row through the join (measured 5x slower).
    con.execute(
        f"""CREATE TABLE {schema}.quarantine AS
        SELECT p.line_no, left(p.field, 64) AS field,
               {_visible("p.raw_value")} AS raw_value, {_visible("p.reason")} AS reason,
               {_visible(f"coalesce(g.raw_line, {row})")} AS raw_row
        FROM {schema}.problems AS p
        LEFT JOIN (SELECT line_no, parsed_row FROM {schema}.typed) AS m ON m.line_no = p.line_no
        LEFT JOIN {schema}.parsed AS t ON t.rowid = m.parsed_row
        LEFT JOIN {schema}.ragged AS g ON g.line_no = p.line_no
        ORDER BY p.line_no, p.field""",
        {"delim": delimiter},
    )
    extras = parsed.known_mapping.extras
    if not extras:
        return
    pairs = ", ".join(f"$k{i}, t.x{c.position}" for i, c in enumerate(extras))
    con.execute(
        f"""CREATE TABLE {schema}.extras AS
        SELECT c.line_no, CAST(json_object({pairs}) AS VARCHAR) AS extra
        FROM {schema}.clean AS c JOIN {schema}.typed AS t ON t.line_no = c.line_no""",
        {f"k{i}": c.header for i, c in enumerate(extras)},
    )


def _visible(text: str) -> str:
    """``text`` with control characters as '?': the report shows them, PostgreSQL takes no NUL."""
    return f"regexp_replace({text}, '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]', '?', 'g')"


def has_extras(parsed: Parsed) -> bool:
    return bool(parsed.mapping and parsed.mapping.extras)


def clean_count(con, parsed: Parsed) -> int:
    return con.execute(f"SELECT count(*) FROM {parsed.schema}.clean").fetchone()[0]


def preview(con, parsed: Parsed, limit: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first rows as they will be stored (warehouse columns, parsed values)."""
    return con.execute(f"SELECT * FROM {parsed.schema}.clean ORDER BY line_no LIMIT {int(limit)}").df()


def quarantine_frame(con, parsed: Parsed, limit: int | None = None) -> pd.DataFrame:
    cap = f"LIMIT {int(limit)}" if limit else ""
    frame = con.execute(f"SELECT * FROM {parsed.schema}.quarantine ORDER BY line_no {cap}").df()
    frame.insert(0, "file_name", parsed.source.name)
    return frame


def coverage(con, parsed: Parsed) -> str:
    """What the file covers: snapshot dates, periods or years (what a load replaces)."""
    name = parsed.known_kind.name
    if name in COVERAGE:
        column = COVERAGE[name]
        values = con.execute(
            f"SELECT {column}, count(*) FROM {parsed.schema}.clean GROUP BY 1 ORDER BY 1"
        ).fetchall()
        shown = "、".join(say("rows_of", value=v, rows=n) for v, n in values[:24])
        return say("covers", what=say(f"covers_{column}"), values=shown + ("…" if len(values) > 24 else ""))
    if name in RANGES:
        column = RANGES[name]
        low, high = con.execute(f"SELECT min({column}), max({column}) FROM {parsed.schema}.clean").fetchone()
        what = say(f"covers_{column}")
        return (
            say("covers_range", what=what, low=str(low)[:10], high=str(high)[:10]) if low is not None else ""
        )
    if name == "org":
        return say("covers_org", people=clean_count(con, parsed))
    return ""


def covered_values(con, parsed: Parsed) -> list:
    """The snapshot dates / periods / years a file replaces (for the report and tests)."""
    if parsed.kind is None or parsed.kind.name not in COVERAGE:
        return []
    column = COVERAGE[parsed.kind.name]
    return [
        row[0]
        for row in con.execute(f"SELECT DISTINCT {column} FROM {parsed.schema}.clean ORDER BY 1").fetchall()
    ]
