"""Connections to the warehouse, through SQLAlchemy only.

The same code serves an embedded DuckDB file and a shared PostgreSQL server:
callers receive an Engine and never learn which one it is.  The schema is
brought up to date by its migrations (analytics/migrations) and the staging
views recreated by :func:`ensure_schema`, at every start.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine, make_url

from analytics import dialect, migrations, staging
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


_MIGRATING = threading.Lock()


def ensure_schema(engine: Engine) -> list[str]:
    """Migrate the warehouse to the newest schema and recreate the staging views; returns
    the revisions applied (none when it was up to date).

    One transaction: a migration that fails leaves the warehouse as it was, views
    included.  The lock keeps a process's threads (Streamlit sessions) from
    migrating one DuckDB file at once; PostgreSQL servers are serialised in
    migrations.upgrade.
    """
    with _MIGRATING, engine.begin() as conn:
        applied = migrations.upgrade(conn)
        staging.create_views(conn)
    return applied


def schema_revision(engine: Engine) -> str | None:
    """The migration revision the warehouse is at (None: never migrated)."""
    with engine.connect() as conn:
        return migrations.current(conn)


def read_frame(conn: Connection, sql: str, params: dict | None = None) -> pd.DataFrame:
    """Run a parameterised query and return its DataFrame (on DuckDB fetched as Arrow)."""
    return dialect.read_frame(conn, sql, params or {})
