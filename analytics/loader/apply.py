"""Putting one parsed file into the warehouse, with its kind's replacement rule.

All of it runs inside the batch's one transaction (batch.py).  The rules
(data-contract.md):

* ``replace`` — opportunities replace their snapshot dates, revenue its
  periods, budget and targets their years, contracts and support requests
  the ids they carry;
* ``hierarchy`` — org replaces every org row and keeps ``org_history``;
* ``append`` — stage history and activities add only rows not yet held.

Replaced rows are never deleted outright: they move to ``<table>_replaced``
stamped with the replacing load, which is what makes undo exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection

from analytics import schema as warehouse_schema
from analytics.loader import replacement
from analytics.loader.kinds import Kind
from analytics.loader.messages import say
from analytics.loader.parse import Parsed, target_columns
from analytics.loader.replacement import key_equal
from analytics.loader.sqlfiles import Fragment, column_list, ident, read, render, statements
from analytics.loader.transfer import copy_rows, create_incoming, drop_incoming, scratch_select


@dataclass
class Applied:
    written: int = 0
    replaced: int = 0


def run(conn: Connection, sql: str, params: dict) -> None:
    """Run each statement of ``sql`` with the parameters it names."""
    for statement in statements(sql):
        used = set(re.findall(r"(?<!:):([a-z_]+)", statement))
        conn.execute(text(statement), {k: v for k, v in params.items() if k in used})


def _replace(conn: Connection, table: str, matches: Fragment, load_id: int) -> None:
    """Shadow and delete the rows ``matches`` selects (replacement.stage: the preview's predicate)."""
    columns = list(warehouse_schema.metadata.tables[table].columns.keys())
    slots = {
        "shadow": ident(f"{table}_replaced"),
        "target": ident(table),
        "columns": column_list(columns),
        "matches": matches,
    }
    run(conn, render("apply_replace", **slots), {"load_id": load_id})
    run(conn, render("apply_dependencies", shadow=slots["shadow"]), {"load_id": load_id})


def _append(conn: Connection, kind: Kind, incoming: str, load_id: int) -> None:
    columns = target_columns(kind)
    equal = key_equal(kind.key)
    slots = {
        "target": ident(kind.table),
        "incoming": ident(incoming),
        "incoming_columns": column_list(columns),
        "matches": Fragment(f"EXISTS (SELECT 1 FROM {ident(incoming)} AS i WHERE {equal})"),
        "key_equal": equal,
    }
    run(conn, render("apply_append", **slots), {"load_id": load_id})


def apply_file(conn, scratch, parsed: Parsed, load_id: int, workdir: Path, valid_from: date) -> Applied:
    """Apply the file's kind's rule and copy its clean rows in; returns what changed."""
    kind, clean = parsed.known_kind, f"{parsed.schema}.clean"
    columns = target_columns(kind)
    if kind.mode == "append":
        incoming = create_incoming(conn, kind.table, kind.table, columns)
        copy_rows(conn, scratch, scratch_select(clean, columns), incoming, columns, workdir)
        _append(conn, kind, incoming, load_id)
        drop_incoming(conn, incoming)
        return _counts(conn, kind.table, load_id)
    staged = replacement.stage(conn, scratch, parsed, workdir)
    _replace(conn, kind.table, staged.matches, load_id)
    copy_rows(
        conn, scratch, scratch_select(clean, columns, load_id), kind.table, [*columns, "load_id"], workdir
    )
    if kind.table in warehouse_schema.LOADER_KEYS:
        check_unique(conn, kind, staged.keyed)
    if kind.name == "opportunities":
        assert staged.keyed is not None  # opportunities have a key (only org has none)
        _snapshots(conn, staged.keyed, load_id)
    replacement.drop(conn, staged)
    if kind.name == "org":
        incoming = create_incoming(conn, "org", "org", columns)
        copy_rows(conn, scratch, scratch_select(clean, columns), incoming, columns, workdir)
        params = {"load_id": load_id, "valid_from": valid_from, "closed_on": valid_from - timedelta(days=1)}
        run(conn, read("apply_org_history"), params)
        run(conn, render("apply_dependencies", shadow=ident("org_history_replaced")), {"load_id": load_id})
        drop_incoming(conn, incoming)
    return _counts(conn, kind.table, load_id)


class DuplicateKeys(Exception):
    """A load would leave a key held twice; raised inside the batch's transaction, so it rolls back."""


def check_unique(conn: Connection, kind: Kind, keyed: Fragment | None) -> None:
    """Refuse the batch if the rows of the replaced key values hold a unique key twice.

    Why the loader and not the database: on DuckDB, opportunity_snapshot's key has no
    PRIMARY KEY (schema.py): its index cost about 1.5 s of every million-row load, a
    sixth of it, and no query reads through it.  The rules already keep the key unique
    (rule_duplicate within the file, apply_replace against what is held); this check
    makes a slip in them fail the batch instead of doubling rows.  It runs on both
    backends so that both behave alike (PostgreSQL's PRIMARY KEY would refuse first).
    """
    unique = warehouse_schema.LOADER_KEYS[kind.table]
    matches = keyed or Fragment("1 = 1")  # every row held under the file's key values
    sql = render("check_unique", target=ident(kind.table), matches=matches, unique=column_list(unique))
    repeated = conn.execute(text(sql)).scalar_one()
    if repeated:
        raise DuplicateKeys(say("duplicate_keys", kind=kind.label, count=repeated, keys="、".join(unique)))


def _snapshots(conn: Connection, keyed: Fragment, load_id: int) -> None:
    """One ``snapshots`` row per snapshot date the file brought, replacing the held one.

    Its row count is the date's rows as held after the load, counted in the warehouse:
    a partial export (replacement.py) keeps the other branches' rows of the date.
    """
    _replace(conn, "snapshots", keyed, load_id)
    run(conn, read("apply_snapshots"), {"load_id": load_id})


def _counts(conn: Connection, table: str, load_id: int) -> Applied:
    written = conn.execute(
        text(f"SELECT count(*) FROM {ident(table)} WHERE load_id = :load_id"), {"load_id": load_id}
    ).scalar_one()
    replaced = conn.execute(
        text(f"SELECT count(*) FROM {ident(table + '_replaced')} WHERE replaced_by = :load_id"),
        {"load_id": load_id},
    ).scalar_one()
    return Applied(int(written), int(replaced))


def copy_side_outputs(conn, scratch, parsed: Parsed, load_id: int, workdir: Path, has_extras: bool) -> None:
    """The file's quarantined problems and extra columns, stamped with its load."""
    columns = ["line_no", "field", "raw_value", "reason", "raw_row"]
    incoming = create_incoming(conn, "quarantine", "quarantine", columns)
    copy_rows(
        conn, scratch, scratch_select(f"{parsed.schema}.quarantine", columns), incoming, columns, workdir
    )
    names = column_list(columns)
    conn.execute(
        text(
            f"INSERT INTO quarantine (load_id, file_name, {names}) "
            f"SELECT :load_id, :file_name, {names} FROM {ident(incoming)}"
        ),
        {"load_id": load_id, "file_name": parsed.source.name[:255]},
    )
    drop_incoming(conn, incoming)
    if has_extras:
        incoming = create_incoming(conn, "raw_rows", "raw_rows", ["line_no", "extra"])
        extras = scratch_select(f"{parsed.schema}.extras", ["line_no", "extra"])
        copy_rows(conn, scratch, extras, incoming, ["line_no", "extra"], workdir)
        conn.execute(
            text(
                "INSERT INTO raw_rows (load_id, line_no, extra) "
                f"SELECT :load_id, line_no, extra FROM {ident(incoming)}"
            ),
            {"load_id": load_id},
        )
        drop_incoming(conn, incoming)
