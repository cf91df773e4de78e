"""Load history: who loaded what and when, what each load depends on, and undo.

Every file of a batch gets a ``load_history`` row (its ``load_id`` stamps every
row it wrote), its header mapping in ``load_columns`` and its warnings in
``load_notes``.  Undo takes a load out of every table and puts back what it
replaced (apply.py keeps replaced rows in ``<table>_replaced``); later loads
that replaced or re-used its rows depend on it and are undone first, newest
first, so the warehouse returns exactly to its state before the load.  Undo
writes a history row of its own, which is also what changes the data version.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from analytics import audit, schema
from analytics.loader.apply import run
from analytics.loader.messages import say
from analytics.loader.sqlfiles import column_list, ident, render
from analytics.warehouse import next_load_id, set_meta

H = schema.load_history
UNDOABLE = "loaded"


class UndoRefused(Exception):
    """An undo that cannot be done as asked; ``dependents`` names the loads in the way."""

    def __init__(self, message: str, dependents: list[dict] | None = None):
        super().__init__(message)
        self.dependents = dependents or []


def insert_history(conn: Connection, **values) -> None:
    values["file_name"] = str(values.get("file_name", ""))[:255]
    conn.execute(insert(H).values(loaded_at=datetime.now(), **values))


def column_rows(mapping) -> list[tuple]:
    """(col_index, header, field, unit) per header, as ``load_columns`` keeps them."""
    return [(c.position, c.header, c.field, c.unit[:16] if c.unit else None) for c in mapping.columns]


def insert_columns(conn: Connection, load_id: int, mapping) -> None:
    names = ("col_index", "header", "field", "unit")
    rows = [{"load_id": load_id, **dict(zip(names, row, strict=True))} for row in column_rows(mapping)]
    if rows:
        conn.execute(insert(schema.load_columns), rows)


def record_refusal(engine: Engine, report, username: str, outcome: str = "refused") -> None:
    """A refused (or failed) batch writes no data, only one history row per file saying why."""
    with engine.begin() as conn:
        first = next_load_id(conn)
        for offset, result in enumerate(report.files):
            insert_history(
                conn, load_id=first + offset, batch_id=report.batch_id, loaded_by=username,
                file_name=result.name, file_size=result.size, sha256=result.sha256 or None,
                kind=result.kind or "unknown", encoding=(result.encoding or "")[:16] or None,
                rows_in=0, rows_loaded=0, rows_quarantined=0, outcome=outcome,
                message=result.message,
            )  # fmt: skip


def identical_load(
    conn: Connection, sha256: str, kind: str, encoding: str | None, mapping, covered: list
) -> int | None:
    """The load not undone that read a byte-identical file the same way, or None.

    Same bytes read the same way change nothing, whatever was loaded after them:
    a later load that replaced their rows (the ODS re-sending corrected revenue
    periods, say) is a correction, and loading the old file again must not
    silently revert it (undo of the later load is the way back, and says so).
    Same bytes are not enough: the earlier load must have read them with the
    same kind, encoding and header mapping (and, for opportunities, into the
    same snapshot dates), and come after the newest whole-warehouse rebuild
    (demo, fixture), which wiped its rows.
    """
    candidates = conn.execute(
        select(H.c.load_id, H.c.encoding)
        .where(H.c.sha256 == sha256, H.c.kind == kind, H.c.outcome == UNDOABLE, H.c.load_id > _floor(conn))
        .order_by(H.c.load_id.desc())
    ).fetchall()
    wanted = column_rows(mapping)
    for load_id, held_encoding in candidates:
        if (held_encoding or "") != (encoding or "")[:16] or _columns_of(conn, load_id) != wanted:
            continue
        if kind == "opportunities" and _snapshots_of(conn, load_id) != sorted(covered):
            continue
        return load_id
    return None


def unchanged_message(conn: Connection, load_id: int) -> str:
    """Why a file was skipped: the earlier load (when, by whom), what superseded it, the way back."""
    earlier = describe(conn, [load_id])[0]
    message = say("unchanged_same", load_id=load_id, when=_when(earlier), by=earlier["loaded_by"])
    later = describe(conn, superseding(conn, load_id))
    if later:
        names = "、".join(f"#{d['load_id']} {d['file_name']}（{_when(d)}）" for d in reversed(later))
        command = f"python -m analytics undo {later[-1]['load_id']}"  # the earliest of them
        message += say("unchanged_superseded", names=names, command=command)
    return message


def _when(row: dict) -> str:
    return str(row["loaded_at"])[:16]


def superseding(conn: Connection, load_id: int) -> list[int]:
    """The loads in effect that replaced rows ``load_id`` brought, and those that replaced theirs."""
    found: set[int] = set()
    frontier = {load_id}
    while frontier:
        replacers: set[int] = set()
        for shadow in schema.SHADOW_TABLES.values():
            replacers |= set(
                conn.execute(
                    select(shadow.c.replaced_by).distinct().where(shadow.c.load_id.in_(frontier))
                ).scalars()
            )
        in_effect = set(
            conn.execute(
                select(H.c.load_id).where(H.c.load_id.in_(replacers), H.c.outcome == UNDOABLE)
            ).scalars()
        ) if replacers else set()  # fmt: skip
        frontier = in_effect - found - {load_id}
        found |= frontier
    return sorted(found)


def _columns_of(conn: Connection, load_id: int) -> list[tuple]:
    c = schema.load_columns
    found = conn.execute(
        select(c.c.col_index, c.c.header, c.c.field, c.c.unit)
        .where(c.c.load_id == load_id)
        .order_by(c.c.col_index)
    )
    return [tuple(r) for r in found]


def _snapshots_of(conn: Connection, load_id: int) -> list:
    """The snapshot dates ``load_id`` brought: held now, or set aside by a later load."""
    found = set()
    for table in (schema.snapshots, schema.SHADOW_TABLES["snapshots"]):
        found |= set(conn.execute(select(table.c.snapshot_date).where(table.c.load_id == load_id)).scalars())
    return sorted(found)


def loads(engine: Engine, limit: int = 500) -> pd.DataFrame:
    """The newest loads first, as the history page lists them."""
    with engine.connect() as conn:
        result = conn.execute(select(H).order_by(H.c.load_id.desc()).limit(int(limit)))
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def quarantine_rows(engine: Engine, load_id: int) -> pd.DataFrame:
    q = schema.quarantine
    with engine.connect() as conn:
        result = conn.execute(
            select(q.c.file_name, q.c.line_no, q.c.field, q.c.raw_value, q.c.reason, q.c.raw_row)
            .where(q.c.load_id == load_id)
            .order_by(q.c.line_no)
        )
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def notes(engine: Engine, load_id: int) -> list[str]:
    n = schema.load_notes
    with engine.connect() as conn:
        return list(conn.execute(select(n.c.message).where(n.c.load_id == load_id)).scalars())


def _floor(conn: Connection) -> int:
    """Loads before the newest whole-warehouse rebuild (demo, fixture) cannot be undone."""
    return (
        conn.execute(select(func.max(H.c.load_id)).where(H.c.outcome.in_(("demo", "fixture")))).scalar() or 0
    )


def dependents(conn: Connection, load_id: int) -> list[int]:
    """Loads in effect that depend on ``load_id``, directly or through others; newest first."""
    d = schema.load_dependencies
    found: set[int] = set()
    frontier = {load_id}
    while frontier:
        rows = conn.execute(
            select(d.c.load_id)
            .join(H, H.c.load_id == d.c.load_id)
            .where(d.c.depends_on.in_(frontier), H.c.outcome == UNDOABLE)
        ).scalars()
        frontier = {r for r in rows if r not in found and r != load_id}
        found |= frontier
    return sorted(found, reverse=True)


def describe(conn: Connection, ids: list[int]) -> list[dict]:
    if not ids:
        return []
    rows = conn.execute(
        select(H.c.load_id, H.c.file_name, H.c.kind, H.c.loaded_at, H.c.loaded_by).where(H.c.load_id.in_(ids))
    ).mappings()
    return sorted((dict(r) for r in rows), key=lambda r: -r["load_id"])


def undo_plan(engine: Engine, load_id: int) -> list[dict]:
    """The later loads an undo of ``load_id`` would take out first (newest first)."""
    with engine.connect() as conn:
        _check(conn, load_id)
        return describe(conn, dependents(conn, load_id))


def _check(conn: Connection, load_id: int) -> dict:
    row = conn.execute(select(H).where(H.c.load_id == load_id)).mappings().first()
    if row is None:
        raise UndoRefused(say("undo_no_load", load_id=load_id))
    if row["outcome"] != UNDOABLE:
        raise UndoRefused(say("undo_not_loaded", load_id=load_id, outcome=row["outcome"]))
    if load_id < _floor(conn):
        raise UndoRefused(say("undo_before_rebuild", load_id=load_id))
    return dict(row)


def _take_out(conn: Connection, load_id: int) -> None:
    for table in schema.DATA_TABLES:
        columns = list(schema.metadata.tables[table].columns.keys())
        sql = render(
            "undo_table", target=ident(table), shadow=ident(f"{table}_replaced"), columns=column_list(columns)
        )
        run(conn, sql, {"load_id": load_id})
    for frozen, shadow in schema.FROZEN_TABLES:  # the week's frozen forecast goes with its snapshot
        if shadow is None:
            conn.execute(frozen.delete().where(frozen.c.load_id == load_id))
        else:
            sql = render(
                "undo_table", target=ident(frozen.name), shadow=ident(shadow.name),
                columns=column_list(list(frozen.columns.keys())),
            )  # fmt: skip
            run(conn, sql, {"load_id": load_id})
    conn.execute(schema.raw_rows.delete().where(schema.raw_rows.c.load_id == load_id))
    conn.execute(update(H).where(H.c.load_id == load_id).values(outcome="undone"))


def undo(engine: Engine, load_id: int, username: str, cascade: bool = False) -> list[int]:
    """Undo a load (and, with ``cascade``, the later loads depending on it); returns the ids undone."""
    with engine.begin() as conn:
        row = _check(conn, load_id)
        later = dependents(conn, load_id)
        if later and not cascade:
            names = "、".join(f"#{d['load_id']} {d['file_name']}" for d in describe(conn, later))
            raise UndoRefused(say("undo_dependents", load_id=load_id, names=names), describe(conn, later))
        for target in [*later, load_id]:
            _take_out(conn, target)
        undone = [*later, load_id]
        message = say("undo_done", loads="、".join(f"#{i}" for i in undone))
        insert_history(
            conn, load_id=next_load_id(conn), batch_id=f"undo-{load_id}", loaded_by=username,
            file_name=row["file_name"], kind=row["kind"], rows_in=0, rows_loaded=0, rows_quarantined=0,
            outcome="undo", message=message,
        )  # fmt: skip
        set_meta(conn, "last_undo", message)
        audit.record(conn, username, "upload", message)
    return undone
