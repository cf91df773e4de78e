"""Every difference between DuckDB and PostgreSQL, in one place.

Metric SQL is written in the subset both engines (and Postgres-compatible
distributed engines such as Citus) accept.  What cannot be shared (bulk
loading, file locking errors) lives here, selected by the engine's dialect
name, so no metric code ever asks which database it is on.
"""

from __future__ import annotations

import io

import pandas as pd
from sqlalchemy.engine import Connection

from analytics.sqlnames import quote_identifier


def dialect_name(conn: Connection) -> str:
    """'duckdb' or 'postgresql'."""
    return conn.dialect.name


def bulk_insert(conn: Connection, table: str, frame: pd.DataFrame) -> int:
    """Append a DataFrame to a table in bulk, inside the caller's transaction.

    DuckDB scans the registered frame directly; PostgreSQL receives CSV through
    COPY.  Row-by-row INSERTs would take minutes at warehouse scale.
    """
    if frame.empty:
        return 0
    columns = ", ".join(quote_identifier(c) for c in frame.columns)
    target = quote_identifier(table)
    if dialect_name(conn) == "duckdb":
        raw = conn.connection.driver_connection
        raw.complete()  # DuckDB 2.0 refuses new work while an earlier result is unread
        view = "bulk_frame_src"
        raw.register(view, frame)
        try:
            conn.exec_driver_sql(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {view}")
        finally:
            raw.unregister(view)
        return len(frame)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False, date_format="%Y-%m-%d %H:%M:%S")
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {target} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())
    return len(frame)


def is_locked_error(error: BaseException) -> bool:
    """True when a DuckDB file is held by another process (e.g. the running dashboard)."""
    text = str(error)
    return "Could not set lock" in text or "Conflicting lock" in text


def serialise_derived_builds(conn: Connection) -> None:
    """Hold a transaction-scoped lock while derived tables are rebuilt.

    On PostgreSQL several dashboard processes may share the server, so an
    advisory lock makes the second builder wait and then find the work done.
    A DuckDB file has one writing process; analytics/derived.py's thread lock
    serialises its threads, so there is nothing to do here.
    """
    if dialect_name(conn) == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7236014)")
