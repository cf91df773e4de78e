"""Shared helpers for the loader tests (no tests here): fixture files, loading, warehouse state.

Each test module's ``wh`` fixture is a clean warehouse on each backend (the
conftest ``empty_engine``, emptied by :func:`fresh` before each test).  ``state`` reads every data table, shadow table and
raw copy in a canonical order, so "unchanged" and "back exactly as before" are
one equality each.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import delete, text

from analytics import loader, schema
from analytics.settings import load_settings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "loader"
TODAY = date(2024, 3, 8)
STATE_TABLES = (*schema.DATA_TABLES, *(f"{t}_replaced" for t in schema.DATA_TABLES), "raw_rows")


def load(engine, *names: str, settings=None, **options) -> loader.BatchReport:
    """Load fixture files (or paths) as one batch, as user 'tester' on TODAY."""
    inputs = [loader.Input.from_path(Path(n) if Path(n).is_absolute() else FIXTURES / n) for n in names]
    defaults = loader.Overrides(**options.pop("overrides", {}))
    return loader.load(
        engine, inputs, username="tester", settings=settings or load_settings(), defaults=defaults,
        today=options.pop("today", TODAY), **options,
    )  # fmt: skip


def rows(engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params).fetchall()]


def scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def state(engine, tables=STATE_TABLES) -> dict[str, list[tuple]]:
    """Every row of the given tables, as text, sorted: equal states are equal dicts."""
    out = {}
    with engine.connect() as conn:
        for table in tables:
            result = conn.execute(text(f'SELECT * FROM "{table}"'))
            out[table] = sorted(tuple("" if v is None else str(v) for v in row) for row in result)
    return out


def reset(engine) -> None:
    with engine.begin() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            conn.execute(delete(table))


def fresh(engine):
    """The module's warehouse (conftest ``empty_engine``), emptied: each test's ``wh``."""
    reset(engine)
    return engine
