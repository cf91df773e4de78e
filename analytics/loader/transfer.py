"""Moving parsed rows from the scratch DuckDB into the warehouse transaction, in bulk.

Rows land in a temporary table ``incoming_<name>`` inside the caller's
transaction, from which apply.py's SQL (the same on both backends) does the
replacing.  The one backend difference is how rows cross over
(``analytics.dialect.copy_from_duckdb``): a DuckDB warehouse scans an Arrow
stream from the scratch database directly; PostgreSQL receives a CSV written
by DuckDB through ``COPY … FROM STDIN``.  ``analytics.dialect.bulk_insert``
does the same for pandas frames, but a frame of a million rows costs seconds
and gigabytes that the stream does not.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Connection

from analytics.dialect import copy_from_duckdb
from analytics.loader.sqlfiles import column_list, ident


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
    copy_from_duckdb(conn, scratch, select, target, column_list(columns), workdir)


def scratch_select(
    source: str, columns: list[str], load_id: int | None = None, distinct: bool = False
) -> str:
    """``SELECT [DISTINCT] columns [, load_id] FROM source`` for copy_rows."""
    stamp = f", CAST({int(load_id)} AS BIGINT) AS load_id" if load_id is not None else ""
    return f"SELECT {'DISTINCT ' if distinct else ''}{column_list(columns)}{stamp} FROM {ident(source)}"
