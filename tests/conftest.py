"""Shared fixtures: one warehouse fixture parametrised over DuckDB and PostgreSQL.

Every metric test takes ``engine`` and therefore runs on both backends, the
way ibis parametrises its ``con`` fixture.  PostgreSQL is the throwaway server
that ``make test`` starts (scripts/pg_test_server.sh); each test module gets a
database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from analytics.db import ensure_schema
from analytics.warehouse import replace_all
from tests.tiny_world import build_frames

PG_URL = os.environ.get("SJGK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:55432/postgres")
BACKENDS = ["duckdb", "postgresql"]


def _pg_reachable() -> bool:
    try:
        with create_engine(PG_URL).connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_available() -> bool:
    available = _pg_reachable()
    if not available and os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI but {PG_URL} is not reachable")
    return available


def new_engine(backend: str, tmp_path_factory: pytest.TempPathFactory, pg_available: bool) -> Engine:
    """A fresh, empty warehouse on the given backend."""
    if backend == "duckdb":
        path = tmp_path_factory.mktemp("duck") / "warehouse.duckdb"
        return create_engine(f"duckdb:///{path}")
    if not pg_available:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} (run `make test`)")
    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return create_engine(make_url(PG_URL).set(database=name))


def drop_engine(backend: str, engine: Engine) -> None:
    """Dispose of an engine and drop its PostgreSQL database."""
    engine.dispose()
    if backend == "postgresql":
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{engine.url.database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def empty_engine(backend, tmp_path_factory, pg_available):
    """An empty warehouse with the schema, one per module and backend."""
    engine = new_engine(backend, tmp_path_factory, pg_available)
    ensure_schema(engine)
    yield engine
    drop_engine(backend, engine)


@pytest.fixture(scope="module")
def tiny_engine(backend, tmp_path_factory, pg_available):
    """The hand-checkable tiny world (tests/tiny_world.py) on each backend."""
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, build_frames(), loaded_by="test", label="fixture")
    yield engine
    drop_engine(backend, engine)


@pytest.fixture(scope="module")
def forecast_engine(backend, tmp_path_factory, pg_available):
    """The hand-made forecast world (tests/forecast_world.py) on each backend."""
    from tests import forecast_world

    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, forecast_world.build_frames(), loaded_by="test", label="fixture")
    yield engine
    drop_engine(backend, engine)


DEMO_AS_OF = date(2026, 11, 20)
DEMO_PASSWORD = "demo-pass-2026"


@pytest.fixture(scope="session", params=BACKENDS)
def demo_warehouse(request, tmp_path_factory, pg_available):
    """A small deterministic demo warehouse with one user per role, on each backend."""
    from analytics import auth
    from analytics.demo.generate import generate

    engine = new_engine(request.param, tmp_path_factory, pg_available)
    replace_all(engine, generate(7, DEMO_AS_OF, scale=0.05), loaded_by="demo", label="demo")
    users = auth.ensure_demo_users(engine, DEMO_PASSWORD)
    yield {
        "url": engine.url.render_as_string(hide_password=False),
        "engine": engine,
        "as_of": DEMO_AS_OF,
        "password": DEMO_PASSWORD,
        "users": users,
        "backend": request.param,
    }
    drop_engine(request.param, engine)


def serve_to_apptest(warehouse: dict, monkeypatch):
    """Point AppTest at a warehouse, with Streamlit caches fresh before and after."""
    import streamlit as st

    monkeypatch.setenv("SJGK_DATABASE_URL", warehouse["url"])
    st.cache_data.clear()
    st.cache_resource.clear()
    yield warehouse
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(demo_warehouse, monkeypatch):
    """AppTest against the small demo warehouse (both backends)."""
    yield from serve_to_apptest(demo_warehouse, monkeypatch)
