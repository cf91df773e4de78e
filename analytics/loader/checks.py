"""Warnings that are not errors, and the column diff against the previous load of a kind.

Warnings are queries over the warehouse run inside the batch's transaction, so
they see the batch's own rows (an org file in the same batch counts): unknown
account-manager ids, stage history for opportunities no snapshot holds, a
budget year with no revenue yet.  Each is listed in the report and kept in
``load_notes``.
"""

from __future__ import annotations

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection, Engine

from analytics import schema
from analytics.loader.headers import Mapping
from analytics.loader.messages import say
from analytics.loader.sqlfiles import read

SHOWN = 10
WARNINGS = {
    "unknown_owner": "warn_unknown_owner",
    "unknown_staff": "warn_unknown_staff",
    "history_without_snapshot": "warn_history_without_snapshot",
    "budget_without_revenue": "warn_budget_without_revenue",
}
"""Each warning's query; its words are messages.py warning_<code>."""


def collect(conn: Connection, first_load: int, last_load: int) -> list[tuple[int, str, str]]:
    """(load_id, code, message) for every warning of the batch, also written to load_notes."""
    found = []
    for code, query in WARNINGS.items():
        rows = conn.execute(text(read(query)), {"first_load": first_load, "last_load": last_load}).fetchall()
        by_load: dict[int, list] = {}
        for load_id, subject, n in rows:
            by_load.setdefault(load_id, []).append((subject, n))
        for load_id, items in by_load.items():
            listed = "、".join(
                say("rows_of", value=s, rows=n) if code != "budget_without_revenue" else str(s)
                for s, n in items[:SHOWN]
            )
            more = "…" if len(items) > SHOWN else ""
            found.append((load_id, code, say(f"warning_{code}", n=len(items), items=listed + more)))
    if found:
        conn.execute(
            insert(schema.load_notes), [{"load_id": i, "code": c, "message": m} for i, c, m in found]
        )
    return found


def previous_columns(engine: Engine, kind: str) -> tuple[int | None, list[dict]]:
    """The header mapping of the newest load of ``kind`` still in effect."""
    h, c = schema.load_history, schema.load_columns
    with engine.connect() as conn:
        load_id = conn.execute(
            select(h.c.load_id)
            .where(h.c.kind == kind, h.c.outcome == "loaded")
            .where(h.c.load_id.in_(select(c.c.load_id)))
            .order_by(h.c.load_id.desc())
            .limit(1)
        ).scalar()
        if load_id is None:
            return None, []
        rows = conn.execute(
            select(c.c.header, c.c.field, c.c.unit).where(c.c.load_id == load_id).order_by(c.c.col_index)
        ).mappings()
        return load_id, [dict(r) for r in rows]


def column_diff(engine: Engine, mapping: Mapping) -> dict | None:
    """Columns added, missing and renamed compared with the previous load of the same kind."""
    load_id, before = previous_columns(engine, mapping.kind.name)
    if load_id is None:
        return None
    old_by_field = {r["field"]: r["header"] for r in before if r["field"]}
    new_by_field = {c.field: c.header for c in mapping.columns if c.field}
    old_extra = {r["header"] for r in before if not r["field"]}
    new_extra = {c.header for c in mapping.extras}
    renamed = [
        {"field": f, "before": old_by_field[f], "now": h}
        for f, h in new_by_field.items()
        if f in old_by_field and old_by_field[f] != h
    ]
    added = [h for f, h in new_by_field.items() if f not in old_by_field] + sorted(new_extra - old_extra)
    missing = [h for f, h in old_by_field.items() if f not in new_by_field] + sorted(old_extra - new_extra)
    return {"previous_load": load_id, "added": added, "missing": missing, "renamed": renamed}
