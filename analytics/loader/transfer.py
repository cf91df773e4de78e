"""Moving parsed rows from the scratch DuckDB into the warehouse transaction, in bulk.

Rows land in a temporary table ``incoming_<name>`` inside the caller's
transaction, from which apply.py's SQL (the same on both backends) does the
replacing.  The one backend difference is how rows cross over: a DuckDB
warehouse scans an Arrow stream from the scratch database directly; PostgreSQL
receives a CSV written by DuckDB through ``COPY … FROM STDIN``.
``analytics.dialect.bulk_insert`` does the same for pandas frames, but a frame
of a million rows costs seconds and gigabytes that the stream does not.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Connection

from analytics.dialect import dialect_name
from analytics.loader.sqlfiles import column_list, ident

BATCH_ROWS = 100_000
COPY_CHUNK = 4 << 20


def create_incoming(conn: Connection, name: str, like: str, columns: list[str]) -> str:
    """A temporary table with ``like``'s column types (no rows); returns its name."""
    table = f"incoming_{name}"
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {ident(table)}")
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {ident(table)} AS "
        f"SELECT {column_list(columns)} FROM {ident(like)} WHERE 1 = 0"
    )
    return table


def drop_incoming(conn: Connection, table: str) -> None:
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {ident(table)}")


def copy_rows(conn: Connection, scratch, select: str, target: str, columns: list[str], workdir: Path) -> None:
    """Copy the rows of a scratch ``select`` (built from identifiers) into warehouse ``target``."""
    names = column_list(columns)
    scratch.complete()  # DuckDB 2.0: finish the scratch connection's last result first
    if dialect_name(conn) == "duckdb":
        raw = conn.connection.driver_connection
        raw.complete()  # DuckDB 2.0 refuses new work while an earlier result is unread
        view = "loader_stream"
        raw.register(view, scratch.sql(select).to_arrow_reader(BATCH_ROWS))
        try:
            conn.exec_driver_sql(f"INSERT INTO {ident(target)} ({names}) SELECT {names} FROM {view}")
        finally:
            raw.unregister(view)
        return
    path = workdir / f"copy_{target}.csv"
    scratch.execute(f"COPY ({select}) TO '{_literal(path)}' (FORMAT csv, HEADER false)")
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, open(path, "rb") as handle:
        with cursor.copy(f"COPY {ident(target)} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
            while chunk := handle.read(COPY_CHUNK):
                copy.write(chunk)
    path.unlink()


def scratch_select(
    source: str, columns: list[str], load_id: int | None = None, distinct: bool = False
) -> str:
    """``SELECT [DISTINCT] columns [, load_id] FROM source`` for copy_rows."""
    stamp = f", CAST({int(load_id)} AS BIGINT) AS load_id" if load_id is not None else ""
    return f"SELECT {'DISTINCT ' if distinct else ''}{column_list(columns)}{stamp} FROM {ident(source)}"


def _literal(path: Path) -> str:
    """A path of our own work folder as a SQL string literal (COPY TO takes no parameter)."""
    return str(path).replace("'", "''")
