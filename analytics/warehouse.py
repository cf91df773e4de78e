"""Writing whole tables into the warehouse: the builder the demo and tests share.

The loader (issue 4) adds file parsing and quarantine on top; this module only
knows how to put typed frames into the schema inside one transaction, so the
demo, the test fixtures and the browser tests all build the warehouse the same
way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pandas as pd
from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection, Engine

from analytics import schema
from analytics.db import ensure_schema
from analytics.dialect import bulk_insert


def _columns_for(table: str, frame: pd.DataFrame, load_id: int) -> pd.DataFrame:
    """The frame with the table's columns in order, stamped with its load_id."""
    columns = [c for c in schema.metadata.tables[table].columns.keys() if c != "load_id"]
    missing = set(columns) - set(frame.columns)
    if missing:
        raise ValueError(f"{table}: frame lacks columns {sorted(missing)}")
    out = frame[columns].copy()
    if "load_id" in schema.metadata.tables[table].columns:
        out["load_id"] = load_id
    return out


def next_load_id(conn: Connection) -> int:
    """The next load id (max + 1): loads are serialised by the writer's transaction."""
    current = conn.execute(select(func.max(schema.load_history.c.load_id))).scalar()
    return int(current or 0) + 1


def replace_all(engine: Engine, frames: dict[str, pd.DataFrame], *, loaded_by: str, label: str) -> int:
    """Replace every data table by ``frames`` in one transaction; returns the load id."""
    ensure_schema(engine)
    with engine.begin() as conn:
        for table in reversed(schema.DATA_TABLES):
            conn.execute(delete(schema.metadata.tables[table]))
        load_id = next_load_id(conn)
        total = 0
        for table in schema.DATA_TABLES:
            if table in frames:
                total += bulk_insert(conn, table, _columns_for(table, frames[table], load_id))
        _record_rebuild(conn, load_id, total, loaded_by=loaded_by, label=label)
    return load_id


def replace_tables(
    engine: Engine, tables: Iterable[tuple[str, pd.DataFrame]], *, loaded_by: str, label: str
) -> tuple[int, dict[str, int]]:
    """:func:`replace_all` for frames that come one table at a time (the demo generator's
    ``generate_tables``); returns the load id and the rows written per table.

    Each frame is written as it comes and let go before the next is drawn, so the
    process never holds every frame (about 2 GB at demo scale 30).  The frames are
    the caller's to give away: each gets its load_id column in place, not a copy
    of the frame.  Still one transaction: a reader sees the old data version until
    the new one is complete.
    """
    ensure_schema(engine)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for table in reversed(schema.DATA_TABLES):
            conn.execute(delete(schema.metadata.tables[table]))
        load_id = next_load_id(conn)
        for table, frame in tables:
            counts[table] = counts.get(table, 0) + bulk_insert(conn, table, _stamped(table, frame, load_id))
            del frame
        _record_rebuild(conn, load_id, sum(counts.values()), loaded_by=loaded_by, label=label)
    return load_id, counts


def _stamped(table: str, frame: pd.DataFrame, load_id: int) -> pd.DataFrame:
    """The frame itself with the table's columns, stamped with its load_id (no copy when
    it has exactly the table's columns, as the demo's frames do)."""
    columns = [c for c in schema.metadata.tables[table].columns.keys() if c != "load_id"]
    if list(frame.columns) != columns:
        return _columns_for(table, frame, load_id)
    if "load_id" in schema.metadata.tables[table].columns:
        frame["load_id"] = load_id
    return frame


def _record_rebuild(conn: Connection, load_id: int, total: int, *, loaded_by: str, label: str) -> None:
    """The load_history row of a whole-warehouse rebuild (demo or fixture) and its source."""
    conn.execute(
        insert(schema.load_history).values(
            load_id=load_id,
            batch_id=f"{label}-{load_id}",
            loaded_by=loaded_by,
            loaded_at=datetime.now(),
            file_name=label,
            kind="all",
            rows_in=total,
            rows_loaded=total,
            rows_quarantined=0,
            outcome="demo" if label == "demo" else "fixture",
        )
    )
    set_meta(conn, "data_source", label)


def set_meta(conn: Connection, key: str, value: str) -> None:
    """Upsert one app_meta value (delete + insert works on every backend)."""
    conn.execute(delete(schema.app_meta).where(schema.app_meta.c.key == key))
    conn.execute(insert(schema.app_meta).values(key=key, value=value))


def get_meta(engine: Engine, key: str) -> str | None:
    """One app_meta value, or None."""
    with engine.connect() as conn:
        return conn.execute(select(schema.app_meta.c.value).where(schema.app_meta.c.key == key)).scalar()


def is_empty(engine: Engine) -> bool:
    """True when no opportunity snapshot has been loaded."""
    ensure_schema(engine)
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.snapshots)).scalar_one() == 0


def newest_snapshot_date(engine: Engine):
    """The newest snapshot date held, or None: the default as_of everywhere."""
    with engine.connect() as conn:
        return conn.execute(select(func.max(schema.snapshots.c.snapshot_date))).scalar()


def data_version(engine: Engine) -> str:
    """Changes whenever a load (or undo) changes the warehouse: the cache key."""
    with engine.connect() as conn:
        return version_of(conn)


def version_of(conn: Connection) -> str:
    """data_version, read on an open connection."""
    row = conn.execute(
        select(
            func.max(schema.load_history.c.load_id),
            func.count(),
            func.max(schema.load_history.c.loaded_at),
        )
    ).one()
    return f"{row[0]}:{row[1]}:{row[2]}"
