"""Writing whole tables into the warehouse: the builder the demo and tests share.

The loader (issue 4) adds file parsing and quarantine on top; this module only
knows how to put typed frames into the schema inside one transaction, so the
demo, the test fixtures and the browser tests all build the warehouse the same
way.
"""

from __future__ import annotations

import ctypes
import tempfile
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import pandas as pd
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.engine import Connection, Engine

from analytics import schema
from analytics.db import ensure_schema
from analytics.dialect import bulk_insert, stages_rebuilds
from analytics.sqlnames import quote_identifier


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
    process never holds every frame (about 2 GB at demo scale 30).  Still one
    transaction in the warehouse: a reader sees the old data version until the new
    one is complete, and a generator that fails half-way leaves the old one.

    On DuckDB the frames go first to a staging DuckDB file of their own, each
    committed there as it comes; the warehouse's one transaction then copies every
    table from it with ``INSERT … SELECT``.  Rows appended by many statements of one
    DuckDB transaction stay in memory until the commit, outside ``memory_limit``
    (measured: +2.2 GB at demo scale 30), while one ``INSERT … SELECT`` per table
    writes its row groups to the file as it goes (scale 10: write peak 1.48 GB ->
    about 1.0 GB).  PostgreSQL holds a transaction's rows on the server: the
    frames are copied in directly.
    """
    ensure_schema(engine)
    if stages_rebuilds(engine):
        return _replace_tables_staged(engine, tables, loaded_by=loaded_by, label=label)
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


STAGING_MEMORY_MB = 256
"""The staging DuckDB's buffer cap (it spills to its own folder past it)."""
STAGING_CHUNK_ROWS = 500_000
"""Rows of a frame written to the staging file per statement: each statement's
uncommitted rows are held in memory until it ends, so a 6-million-row table
(activities at demo scale 50) goes in slices."""
STAGED = "demo_staging"


def release_freed_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``), where there is one.

    The demo generator's millions of small objects are freed when it ends, but
    the heap keeps their pages, and the copy that follows counted on top of them.
    """
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _replace_tables_staged(
    engine: Engine, tables: Iterable[tuple[str, pd.DataFrame]], *, loaded_by: str, label: str
) -> tuple[int, dict[str, int]]:
    """:func:`replace_tables` on DuckDB: through a staging file, then one transaction."""
    with tempfile.TemporaryDirectory(prefix="sjgk-staging-") as folder:
        path = Path(folder) / "staged.duckdb"
        counts = _stage(engine, tables, path)
        release_freed_memory()
        with engine.connect() as conn:
            conn.exec_driver_sql(f"ATTACH {_literal(str(path))} AS {STAGED} (READ_ONLY)")
            conn.commit()
            try:
                with conn.begin():
                    for table in reversed(schema.DATA_TABLES):
                        conn.execute(delete(schema.metadata.tables[table]))
                    load_id = next_load_id(conn)
                    for table in schema.DATA_TABLES:
                        if table in counts:
                            _copy_staged(conn, table, load_id)
                    _record_rebuild(conn, load_id, sum(counts.values()), loaded_by=loaded_by, label=label)
            finally:
                conn.rollback()  # nothing to undo after a commit; after a failure, the failed transaction
                conn.exec_driver_sql(f"DETACH {STAGED}")
                conn.commit()
    return load_id, counts


def _stage(engine: Engine, tables: Iterable[tuple[str, pd.DataFrame]], path: Path) -> dict[str, int]:
    """Write each frame to the staging file as it comes (typed as the warehouse's table,
    without load_id), committed statement by statement; the rows per table."""
    import duckdb

    types = _column_types(engine)
    counts: dict[str, int] = {}
    spill = path.parent / "spill"
    spill.mkdir()
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": f"{STAGING_MEMORY_MB}MB",
        "temp_directory": str(spill),
    }
    with duckdb.connect(str(path), config=config) as staging:
        for table, frame in tables:
            columns = [c for c in schema.metadata.tables[table].columns.keys() if c != "load_id"]
            missing = set(columns) - set(frame.columns)
            if missing:
                raise ValueError(f"{table}: frame lacks columns {sorted(missing)}")
            names = ", ".join(quote_identifier(c) for c in columns)
            if table not in counts:
                ddl = ", ".join(f"{quote_identifier(c)} {types[table][c]}" for c in columns)
                staging.execute(f"CREATE TABLE {quote_identifier(table)} ({ddl})")
            for start in range(0, len(frame), STAGING_CHUNK_ROWS):
                staging.register("staged_frame", frame.iloc[start : start + STAGING_CHUNK_ROWS])
                staging.execute(
                    f"INSERT INTO {quote_identifier(table)} ({names}) SELECT {names} FROM staged_frame"
                )
                staging.unregister("staged_frame")
            counts[table] = counts.get(table, 0) + len(frame)
            del frame
    return counts


def _column_types(engine: Engine) -> dict[str, dict[str, str]]:
    """Each data table's column types as the warehouse declares them (DuckDB)."""
    query = text(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_catalog = current_database()"
    )
    out: dict[str, dict[str, str]] = {}
    with engine.connect() as conn:
        for table, column, kind in conn.execute(query):
            out.setdefault(table, {})[column] = kind
    return out


def _copy_staged(conn: Connection, table: str, load_id: int) -> None:
    """One table from the staging file into the warehouse, stamped with its load_id."""
    columns = [c for c in schema.metadata.tables[table].columns.keys() if c != "load_id"]
    names = ", ".join(quote_identifier(c) for c in columns)
    target = quote_identifier(table)
    if "load_id" in schema.metadata.tables[table].columns:
        conn.exec_driver_sql(
            f"INSERT INTO {target} ({names}, load_id) SELECT {names}, {int(load_id)} FROM {STAGED}.{target}"
        )
    else:
        conn.exec_driver_sql(f"INSERT INTO {target} ({names}) SELECT {names} FROM {STAGED}.{target}")


def _literal(value: str) -> str:
    """A SQL string literal (ATTACH takes no parameter; the path is our own temporary file)."""
    return "'" + value.replace("'", "''") + "'"


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


def as_date(value) -> date:
    """A DATE as the drivers return it (a date, or a datetime / Timestamp from DuckDB) as a date."""
    return value if type(value) is date else pd.Timestamp(value).date()


def newest_snapshot_date(engine: Engine):
    """The newest snapshot date held, or None: the default as_of everywhere."""
    with engine.connect() as conn:
        return conn.execute(select(func.max(schema.snapshots.c.snapshot_date))).scalar()


def data_version(engine: Engine) -> str:
    """Changes whenever a load (or undo) changes the warehouse: the cache key."""
    with engine.connect() as conn:
        return version_of(conn)


T = TypeVar("T")
ONE_VERSION_ATTEMPTS = 3
"""How often an answer is recomputed when loads commit while it is computed."""


class VersionMoved(Exception):
    """A load (or undo) committed while an answer was computed: its statements may mix two versions."""


def of_version(engine: Engine, version: str, run: Callable[[], T]) -> T:
    """``run()``, certified to be the answer of ``version``: raises VersionMoved when it is not.

    Each statement sees one committed state, but an answer of several statements
    (the home page's pipeline, problems and attainment) met a load's commit
    between two of them: open deals of the new batch beside the old revenue
    (tests/test_concurrent_readers.py).  The version is the load history's, which
    every load and undo changes in its own transaction and never restores, so if
    it is still ``version`` after the last statement, every statement read it.
    """
    result = run()
    if data_version(engine) != version:
        raise VersionMoved(version)
    return result


def one_version(engine: Engine, run: Callable[[], T], attempts: int = ONE_VERSION_ATTEMPTS) -> T:
    """``run()`` recomputed until no load committed while it ran (the pack, the command line);
    after ``attempts`` answers that each met a commit, the last one."""
    for _ in range(attempts - 1):
        try:
            return of_version(engine, data_version(engine), run)
        except VersionMoved:
            continue
    return run()


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
