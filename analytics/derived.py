"""Derived tables: fragments too costly to recompute on every query, built once per data version.

Some facts need the whole history: the highest stage an opportunity reached
(every stage change and every snapshot), its current stint, how often its
close date slipped (all snapshots), its stage changes.  At a million
opportunities recomputing them costs seconds per query, so each lives in a
table (``cache_*``, declared in analytics/schema.py) filled by its own SQL file
(``build_*.sql``, where the definition is written once) and read by the metric
fragments.  A query that mentions a ``cache_*`` table has it built first by
:func:`ensure` (Context.query calls it): for the current data version and, for
per-date tables, for the query's as_of.  Builds run in one transaction and are
recorded in ``cache_registry`` with the version they came from, so a reader
never sees a half-built cache, and a load or an undo (which changes the data
version) makes every cache stale at once.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import and_, delete, insert, select, text
from sqlalchemy.engine import Connection, Engine

from analytics import schema
from analytics.dialect import serialise_derived_builds
from analytics.metrics.stages import stage_params
from analytics.queries import render
from analytics.scope import Filters, Scope
from analytics.sqlnames import quote_identifier
from analytics.warehouse import data_version, get_meta, set_meta

_TABLE = re.compile(r"\b(cache_[a-z_]+)\b")
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()
_SHAPE_CHECKED: set[str] = set()  # engines whose derived tables match the declarations


@dataclass(frozen=True)
class Model:
    """A derived table: the SQL file that fills it and whether it is built per as_of."""

    table: str
    build: str
    per_as_of: bool
    needs: tuple[str, ...] = ()


MODELS = {
    m.table: m
    for m in (
        Model("cache_stage_stints", "build_stage_stints", per_as_of=False),
        Model(
            "cache_opportunity_facts",
            "build_opportunity_facts",
            per_as_of=True,
            needs=("cache_stage_stints",),
        ),
    )
}


@cache
def tables_for(query: str) -> tuple[str, ...]:
    """The derived tables the named query reads, with what they need first, in build order."""
    sql, _params, _ignored = render(query, Scope.company(), Filters())
    return tuple(tables_in(sql))


def tables_in(sql: str) -> list[str]:
    """The derived tables ``sql`` reads, with what they need first, in build order."""
    wanted: list[str] = []

    def add(table: str) -> None:
        for need in MODELS[table].needs:
            add(need)
        if table not in wanted:
            wanted.append(table)

    for name in _TABLE.findall(sql):
        if name in MODELS:
            add(name)
    return wanted


def ensure(engine: Engine, tables: tuple[str, ...] | list[str], as_of: date) -> None:
    """Build each of ``tables`` (in order) unless it is current for this data version and as_of."""
    if not tables:
        return
    if str(engine.url) not in _SHAPE_CHECKED:
        with _lock_for(engine):
            _match_declarations(engine)
        _SHAPE_CHECKED.add(str(engine.url))
    version = data_version(engine)
    with engine.connect() as conn:
        missing = [t for t in tables if not _is_built(conn, MODELS[t], as_of, version)]
    if not missing:
        return
    with _lock_for(engine):
        for table in missing:
            _build(engine, MODELS[table], as_of, version)


def _declared_shape() -> str:
    """The derived tables' declared columns: a warehouse built by older code is rebuilt."""
    return ";".join(f"{t}:" + ",".join(c.name for c in schema.metadata.tables[t].columns) for t in MODELS)


def _match_declarations(engine: Engine) -> None:
    """Recreate the derived tables (they hold nothing that cannot be rebuilt) when their
    declaration changed since they were created, so new code never reads old shapes."""
    shape = _declared_shape()
    if get_meta(engine, "derived_shape") == shape:
        return
    tables = [schema.metadata.tables[t] for t in MODELS]
    with engine.begin() as conn:
        serialise_derived_builds(conn)
        for table in tables:
            table.drop(conn, checkfirst=True)
        conn.execute(delete(schema.cache_registry))
        schema.metadata.create_all(conn, tables=tables)
        set_meta(conn, "derived_shape", shape)


def _lock_for(engine: Engine) -> threading.Lock:
    key = str(engine.url)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


def _registry_key(model: Model, as_of: date):
    registry = schema.cache_registry
    when = registry.c.as_of == as_of if model.per_as_of else registry.c.as_of.is_(None)
    return and_(registry.c.model == model.table, when)


def _is_built(conn: Connection, model: Model, as_of: date, version: str) -> bool:
    registry = schema.cache_registry
    found = conn.execute(select(registry.c.data_version).where(_registry_key(model, as_of))).scalars().all()
    return version in found


def _build(engine: Engine, model: Model, as_of: date, version: str) -> None:
    """Replace the model's stale rows and build it for (version, as_of), in one transaction."""
    registry = schema.cache_registry
    with engine.begin() as conn:
        serialise_derived_builds(conn)
        if _is_built(conn, model, as_of, version):  # another thread or process got here first
            return
        _purge(conn, model, as_of, version)
        sql, _params, _ignored = render(model.build, Scope.company(), Filters())
        columns = ", ".join(quote_identifier(c.name) for c in schema.metadata.tables[model.table].columns)
        params = {"as_of": as_of, **stage_params()}
        used = set(re.findall(r"(?<!:):([a-z_][a-z0-9_]*)", sql))
        conn.execute(
            text(f"INSERT INTO {model.table} ({columns}) SELECT {columns} FROM ({sql}) AS built"),
            {k: v for k, v in params.items() if k in used},
        )
        conn.execute(
            insert(registry).values(
                model=model.table,
                as_of=as_of if model.per_as_of else None,
                data_version=version,
                built_at=datetime.now(),
            )
        )


def _purge(conn: Connection, model: Model, as_of: date, version: str) -> None:
    """Delete the rows of every stale build of the model, and any old build for this as_of."""
    registry = schema.cache_registry
    table = schema.metadata.tables[model.table]
    stale = and_(
        registry.c.model == model.table,
        (registry.c.data_version != version) | _registry_key(model, as_of),
    )
    if not model.per_as_of:
        conn.execute(delete(table))
    else:
        dates = select(registry.c.as_of).where(stale)
        conn.execute(delete(table).where((table.c.as_of.in_(dates)) | (table.c.as_of == as_of)))
    conn.execute(delete(registry).where(stale))
