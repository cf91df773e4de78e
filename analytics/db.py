"""Connections to the warehouse, through SQLAlchemy only.

The same code serves an embedded DuckDB file and a shared PostgreSQL server:
callers receive an Engine and never learn which one it is.  Schema creation and
staging views are applied idempotently by :func:`ensure_schema`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url

from analytics import schema, staging
from analytics.dialect import database_file

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _resolve_url(url: str) -> str:
    """Make a relative DuckDB path relative to the project, and create its folder."""
    parsed = make_url(url)
    database = database_file(parsed)
    if database is not None:
        path = Path(database)
        if not path.is_absolute():
            path = PROJECT_ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        return str(parsed.set(database=str(path)))
    return url


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One pooled engine per URL for the life of the process."""
    return create_engine(_resolve_url(url), future=True)


def ensure_schema(engine: Engine) -> None:
    """Create missing tables and columns, and (re)create the staging views."""
    with engine.begin() as conn:
        schema.metadata.create_all(conn)
        add_late_columns(conn)
        staging.create_views(conn)


def add_late_columns(conn: Connection) -> list[str]:
    """Add each of schema.LATE_COLUMNS a warehouse lacks, and fill it in; returns those added.

    create_all creates missing tables but never alters one, so a warehouse made
    by older code would lack a column declared since.  This is the one place that
    upgrades a table in place, idempotently (a column held is left alone), until
    a migration framework takes over.
    """
    added = []
    for table, column, fill in schema.LATE_COLUMNS:
        if column in {c["name"] for c in inspect(conn).get_columns(table)}:
            continue
        declared = schema.metadata.tables[table].c[column]
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {declared.type.compile(conn.dialect)}"))
        for statement in fill:
            conn.execute(text(statement))
        added.append(f"{table}.{column}")
    return added


def read_frame(conn: Connection, sql: str, params: dict | None = None) -> pd.DataFrame:
    """Run a parameterised query and return a small DataFrame."""
    result = conn.execute(text(sql), params or {})
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
