"""One file, parsed in the scratch DuckDB: kind, mapping, typed values, problems, clean rows.

After :func:`parse_file` the file's schema holds ``typed`` (every row: each
field's cell and parsed value, see cells.py, and its line), ``problems`` (what the
rules returned), ``clean`` (rows no rule objected to, shaped like the
warehouse table, plus ``line_no``), ``quarantine`` (problems with the row's
text) and ``extras`` (columns the contract does not name, as JSON per row).
The SQL is generated from the kind's declaration; identifiers are our field
names, and the only values spliced are the integer unit scales.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from analytics import schema as warehouse_schema
from analytics.loader import headers as header_rules
from analytics.loader import lines
from analytics.loader.cells import Retry, field_columns, retry_counts, retry_trimmed
from analytics.loader.headers import Mapping
from analytics.loader.kinds import KINDS, Kind
from analytics.loader.messages import say
from analytics.loader.read import Reading, csv_scan, read_source
from analytics.loader.rules import run_rules
from analytics.loader.sources import Source
from analytics.loader.sqlfiles import ident

SNAPSHOT = "effective_snapshot_date"
FAILED = "failed_as_read"  # a cell of the row did not parse as read (cells.Retry)


@dataclass(frozen=True)
class Overrides:
    """What the analyst said about a file when detection was wrong."""

    kind: str | None = None
    encoding: str | None = None
    snapshot_date: date | None = None
    sheet: str | None = None
    mapping: tuple[tuple[str, str | None], ...] = ()  # (header, field or None to ignore)


@dataclass
class Parsed:
    source: Source
    schema: str
    reading: Reading
    kind: Kind | None = None
    mapping: Mapping | None = None
    refusal: str | None = None
    rows_in: int = 0
    quarantined: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return self.rows_in - self.quarantined

    @property
    def choices(self) -> tuple[str, ...]:
        return self.reading.choices

    @property
    def known_kind(self) -> Kind:
        """The kind, once told: every step after the kind is known (a file not refused) reads this."""
        if self.kind is None:
            raise ValueError(f"{self.source.name}: the kind of file is not known")
        return self.kind

    @property
    def known_mapping(self) -> Mapping:
        """The header mapping, once matched (a file not refused has one)."""
        if self.mapping is None:
            raise ValueError(f"{self.source.name}: the headers are not matched")
        return self.mapping


def parse_file(con, source: Source, index: int, overrides: Overrides, workdir: Path, today: date) -> Parsed:
    schema = f"f{index}"
    con.execute(f"CREATE SCHEMA {schema}")
    if source.refusal:
        return Parsed(source, schema, Reading(), refusal=source.refusal)
    reading = read_source(con, source, schema, overrides.encoding, overrides.sheet, workdir)
    parsed = Parsed(source, schema, reading, refusal=reading.refusal, notes=list(reading.notes))
    if parsed.refusal:
        return parsed
    kind, parsed.refusal = _kind(reading.headers, source.name, overrides.kind)
    if parsed.refusal or kind is None:
        return parsed
    parsed.kind = kind
    parsed.mapping = mapping = header_rules.match(kind, reading.headers, dict(overrides.mapping))
    if mapping.missing:
        parsed.refusal = missing_message(kind, mapping)
        return parsed
    parsed.refusal = _typed(con, parsed, overrides.snapshot_date, today)
    if parsed.refusal:
        return parsed
    ragged = lines.number_rows(con, schema, reading)
    if reading.records == 0 and ragged == 0:
        parsed.refusal = say("refused_header_only")
        return parsed
    parsed.notes = list(reading.notes)
    control = reading.decoded is not None and reading.decoded.control
    run_rules(
        con, schema, kind, mapping, len(reading.headers), typed_keys(kind), control,
        _bad_lines(con, schema, reading),
    )  # fmt: skip
    _clean(con, parsed)
    parsed.rows_in = reading.records + ragged
    parsed.quarantined = con.execute(f"SELECT count(DISTINCT line_no) FROM {schema}.problems").fetchone()[0]
    return parsed


def _bad_lines(con, schema: str, reading: Reading) -> bool:
    """``<schema>.bad_lines`` (line, reason): lines decoding set apart (decode.py); False when none."""
    bad = reading.decoded.bad_lines if reading.decoded is not None else ()
    if not bad:
        return False
    con.complete()  # DuckDB 2.0: no registering while an earlier result is open
    lines, reasons = zip(*bad, strict=True)
    con.register(f"{schema}_bad_src", pa.table({"line": list(lines), "reason": list(reasons)}))
    con.execute(
        f"CREATE TABLE {schema}.bad_lines AS SELECT CAST(line AS BIGINT) AS line, reason "
        f"FROM {schema}_bad_src"
    )
    con.unregister(f"{schema}_bad_src")
    return True


def typed_keys(kind: Kind) -> dict[str, str]:
    """The typed column holding each field: text fields keep only their trimmed text."""
    keys = {f.name: (f"r_{f.name}" if f.type == "text" else f.name) for f in kind.fields}
    keys["snapshot_date"] = SNAPSHOT
    return keys


def _kind(headers: list[str], name: str, chosen: str | None) -> tuple[Kind | None, str | None]:
    if chosen:
        if chosen not in KINDS:
            return None, say("refused_unknown_kind", kind=chosen, kinds="、".join(KINDS))
        return KINDS[chosen], None
    kind, _scores = header_rules.best_kind(headers, name)
    if kind is None:
        listed = "、".join(f"{k.label}（{k.name}）" for k in KINDS.values())
        return None, say("refused_kind_not_found", headers="、".join(headers[:12]), kinds=listed)
    return kind, None


def missing_message(kind: Kind, mapping: Mapping) -> str:
    parts = []
    for name in mapping.missing:
        accepted = "、".join(header_rules.accepted_headers(kind, name))
        parts.append(say("missing_column", header=kind.field(name).headers[0], field=name, accepted=accepted))
    return say("refused_missing_columns", kind=kind.label, columns="；".join(parts))


def _typed(con, parsed: Parsed, snapshot: date | None, today: date) -> str | None:
    """Read and parse in one pass into ``parsed`` (columns: cells.field_columns).

    Cells that did not parse as read are parsed again trimmed, in place: a few rows.
    """
    offset = 1 if parsed.reading.line_column else 0
    cells, values, retries = field_columns(parsed.known_kind, parsed.known_mapping, offset)
    if offset:
        cells, values = ["CAST(c0 AS BIGINT) AS sheet_line", *cells], ["sheet_line", *values]
    select, params = ["*", f"({' OR '.join(r.failed for r in retries) or 'FALSE'}) AS {FAILED}"], {}
    if parsed.known_kind.name == "opportunities":
        select.append(f"coalesce(CAST($snapshot AS DATE), snapshot_date, CAST($today AS DATE)) AS {SNAPSHOT}")
        params = {"snapshot": snapshot, "today": today}
    scan, scan_params = csv_scan(parsed.schema, parsed.reading)
    table = f"{parsed.schema}.parsed"
    try:
        read = f"SELECT {', '.join(values)} FROM (SELECT {', '.join(cells)} FROM {scan}) AS cells"
        con.execute(
            f"CREATE TABLE {table} AS SELECT {', '.join(select)} FROM ({read}) AS cleaned",
            {**params, **scan_params},
        )
    except duckdb.Error as error:
        return say("refused_csv", error=str(error).splitlines()[0])
    _retry(con, table, retries, params)
    parsed.reading.records = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return None


def _retry(con, table: str, retries: list[Retry], params: dict) -> None:
    """Parse again, trimmed, the cells that did not parse as read (and the snapshot date they give).

    ``failed_as_read`` (one boolean per row, written by the read) says whether a row has any:
    usually none, and then this costs one scan of one column.
    """
    if not retries or not con.execute(f"SELECT count(*) FROM {table} WHERE {FAILED}").fetchone()[0]:
        return
    counts = con.execute(retry_counts(table, retries, FAILED)).fetchone()
    todo = [r for r, n in zip(retries, counts, strict=True) if n]
    if not todo:
        return
    also = {}
    snapshot = next((i for i, r in enumerate(todo) if r.target == ident("snapshot_date")), None)
    if params and snapshot is not None:
        also[SNAPSHOT] = (
            f"coalesce(CAST($snapshot AS DATE), p.snapshot_date, f.v{snapshot}, CAST($today AS DATE))"
        )
    con.execute(retry_trimmed(table, todo, also), params if also else {})


def target_columns(kind: Kind) -> list[str]:
    return [c for c in warehouse_schema.metadata.tables[kind.table].columns.keys() if c != "load_id"]


def _target_expression(kind: Kind, column: str) -> str:
    if column == "snapshot_date":
        return SNAPSHOT
    if column == "to_status":
        return "to_status"
    f = next(f for f in kind.fields if f.target == column)
    if f.default is not None:
        return f"coalesce({ident(f.name)}, {str(f.default).upper()})"
    if kind.name == "org" and f.name == "role":
        return "coalesce(role, 'account_manager')"
    return str(ident(typed_keys(kind)[f.name]))


def _clean(con, parsed: Parsed) -> None:
    """``clean``: rows no rule objected to, in warehouse shape (a view; append kinds, whose
    repeats within the file are dropped, a table)."""
    kind, schema = parsed.known_kind, parsed.schema
    select = ", ".join(f"{_target_expression(kind, c)} AS {ident(c)}" for c in target_columns(kind))
    body = (
        f"SELECT line_no, {select} FROM {schema}.typed AS t "
        f"WHERE NOT EXISTS (SELECT 1 FROM {schema}.problems AS p WHERE p.line_no = t.line_no)"
    )
    if kind.mode == "append":
        keys = typed_keys(kind)
        key = ", ".join(str(ident(keys.get(k, k))) for k in kind.key)
        con.execute(
            f"CREATE TABLE {schema}.clean AS {body} "
            f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY line_no) = 1 ORDER BY line_no"
        )
    else:
        con.execute(f"CREATE VIEW {schema}.clean AS {body}")
