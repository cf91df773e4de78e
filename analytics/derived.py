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
version) makes every cache stale at once.  Two exceptions (``by_inputs``),
cache_backtest_states and cache_movement_trend: each date's rows are keyed by what
they are built from (:func:`input_keys`), so a load of a new snapshot builds that
date alone and keeps the earlier dates the calibration backtest and the 周例会 trend
read (issue 20 item 5, issue 19).

A build that takes settings (the stale window) is keyed by them too; one set
of them is held per as_of, so two dashboards sharing a PostgreSQL warehouse
with different stale windows would rebuild in turn and, for a moment, one may
read the other's thresholds.  Configure a shared warehouse's dashboards alike.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from time import perf_counter

from sqlalchemy import Date, and_, cast, delete, func, insert, select, text
from sqlalchemy.engine import Connection, Engine

from analytics import schema
from analytics.blocks.binds import derived_params
from analytics.blocks.stages import stage_params, stale_window_start
from analytics.dialect import after_derived_build, serialise_derived_builds, settle_derived_builds
from analytics.queries import Swap, render, render_query, settings_params
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from analytics.sqlnames import quote_identifier
from analytics.warehouse import as_date, get_meta, newest_snapshot_date, set_meta, version_of

_TABLE = re.compile(r"\b(cache_[a-z_]+)\b")
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()
_SHAPE_CHECKED: set[str] = set()  # engines whose derived tables match the declarations
# (engine, data version, as_of, tables) seen built: a new version (any load or undo)
# misses here, so the registry is read again exactly when it may have changed.
_KNOWN_BUILT: set[tuple] = set()
_KEY_LENGTH = 200  # cache_registry.data_version holds a build key of at most this many characters


@dataclass(frozen=True)
class Model:
    """A derived table: the SQL file that fills it, whether it is built per as_of, what
    it is built from, and the build parameters it takes from settings (part of its key)."""

    table: str
    build: str
    per_as_of: bool
    needs: tuple[str, ...] = ()
    params: Callable[[date, Settings], dict] | None = None
    spans: bool = False  # its build may cover several dates in one pass (ensure_span)
    # Keyed per date by what its rows are built from (input_keys), not by the data
    # version: a load that leaves a date's inputs alone leaves that date's rows held.
    by_inputs: bool = False
    # Built from this spanning table at each backtest date of its as_of (backtest_dates),
    # one pass per date binding it as as_of and the table's own date as outcome_as_of.
    backtest_span: str | None = None
    # Read over every snapshot held (the 周例会 trend): held at each snapshot after the
    # first, whatever the reader's as_of (:func:`_ensure_whole_history`).
    whole_history: bool = False
    # Fragments its build reads in place of others (queries ``swap``): a past date's
    # state from the backtest states (PAST_STATE_SWAP).
    swap: Swap = ()


def _stale_window(as_of: date, settings: Settings) -> dict:
    return {"stale_window_start": stale_window_start(as_of, settings)}


def _compare_days(as_of: date, settings: Settings) -> dict:
    """A movement pair's A: the newest snapshot at least this many days before as_of (B)."""
    return {"week_compare_days": settings.week_compare_days}


@dataclass(frozen=True)
class _Question:
    """A company-wide question at as_of: what ``blocks.binds`` computes a build's windows from."""

    as_of: date
    settings: Settings
    filters: Filters = Filters()


def _bound_by(build: str, swap: Swap = ()) -> Callable[[date, Settings], dict]:
    """Every parameter ``build``'s SQL uses besides its date, from settings and the question
    (look-back start, cohort dates: blocks.binds), so exactly the settings it reads are
    in its key: a changed look-back or class threshold rebuilds it, another setting does not."""

    def params(as_of: date, settings: Settings) -> dict:
        used = set(render_query(build, Scope.company(), Filters(), swap).used_by) - {"as_of", "first_as_of"}
        bound = {**settings_params(settings), **derived_params(_Question(as_of, settings), used)}
        return {name: value for name, value in bound.items() if name in used}

    return params


def _over_backtest_dates(build: str) -> Callable[[date, Settings], dict]:
    """A build over the backtest dates (``backtest_span``): the settings its SQL reads and
    how many backtest dates it covers (which dates its rows are of)."""
    bound = _bound_by(build)
    return lambda as_of, settings: {
        **bound(as_of, settings),
        "calibration_backtest_dates": settings.calibration_backtest_dates,
    }


PAST_STATE_SWAP: Swap = (("opportunity_state", "past_state"), ("win_rates_cached", "win_rates_past_cached"))
"""An earlier snapshot's state from the backtest states the load keeps per date, and its
win rates from cache_past_win_rates (the 周例会 bridge's A side: analytics/forecast/bridge.py)."""

MODELS = {
    m.table: m
    for m in (
        Model("cache_stage_stints", "build_stage_stints", per_as_of=False),
        Model(
            "cache_stage_thresholds",
            "build_stage_thresholds",
            per_as_of=True,
            needs=("cache_stage_stints",),
            params=_stale_window,
        ),
        Model(
            "cache_opportunity_facts",
            "build_opportunity_facts",
            per_as_of=True,
            needs=("cache_stage_stints",),
        ),
        Model("cache_book_visits", "build_book_visits", per_as_of=True),
        Model(
            "cache_duration_histogram",
            "build_duration_histogram",
            per_as_of=True,
            needs=("cache_stage_stints", "cache_opportunity_facts"),
            params=_stale_window,
        ),
        Model(
            "cache_movement_pairs",
            "build_movement_pairs",
            per_as_of=True,
            needs=("cache_opportunity_facts",),
            params=_compare_days,
        ),
        Model(
            "cache_movement_trend",
            "build_movement_trend",
            per_as_of=True,
            spans=True,
            by_inputs=True,
            whole_history=True,
        ),
        Model(
            "cache_backtest_states",
            "build_backtest_states",
            per_as_of=True,
            needs=("cache_stage_stints",),
            spans=True,
            by_inputs=True,
        ),
        Model(
            "cache_calibration_deals",
            "build_calibration_deals",
            per_as_of=True,
            needs=("cache_stage_stints",),
            params=_over_backtest_dates("build_calibration_deals"),
            backtest_span="cache_backtest_states",
        ),
        Model(
            "cache_calibration_sums",
            "build_calibration_sums",
            per_as_of=True,
            needs=("cache_calibration_deals",),
            params=_bound_by("build_calibration_sums"),
        ),
        Model(
            "cache_win_rates",
            "build_win_rates",
            per_as_of=True,
            needs=("cache_stage_stints", "cache_opportunity_facts"),
            params=_bound_by("build_win_rates"),
        ),
        Model(
            "cache_past_win_rates",
            "build_past_win_rates",
            per_as_of=True,
            needs=("cache_stage_stints", "cache_backtest_states"),
            params=_bound_by("build_past_win_rates"),
        ),
        Model(
            "cache_past_deal_values",
            "build_past_deal_values",
            per_as_of=True,
            needs=("cache_stage_stints", "cache_backtest_states", "cache_past_win_rates"),
            params=_bound_by("build_past_deal_values", PAST_STATE_SWAP),
            swap=PAST_STATE_SWAP,
        ),
        Model(
            "cache_workload_facts",
            "build_workload_facts",
            per_as_of=True,
            needs=(
                "cache_stage_stints",
                "cache_stage_thresholds",
                "cache_opportunity_facts",
                "cache_win_rates",
            ),
            params=_bound_by("build_workload_facts"),
        ),
        Model(
            "cache_open_deals",
            "build_open_deals",
            per_as_of=True,
            needs=(
                "cache_stage_stints",
                "cache_stage_thresholds",
                "cache_opportunity_facts",
                "cache_win_rates",
            ),
            params=_bound_by("build_open_deals"),
        ),
        Model(
            "cache_support_open",
            "build_support_open",
            per_as_of=True,
            needs=("cache_stage_stints", "cache_opportunity_facts"),
            params=_bound_by("build_support_open"),
        ),
        Model(
            "cache_forecast_revenue",
            "build_forecast_revenue",
            per_as_of=False,
            params=_bound_by("build_forecast_revenue"),
        ),
        Model(
            "cache_forecast_won_sums",
            "build_forecast_won_sums",
            per_as_of=True,
            needs=("cache_stage_stints", "cache_opportunity_facts"),
            params=_bound_by("build_forecast_won_sums"),
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
    return in_build_order(_TABLE.findall(sql))


def in_build_order(names) -> list[str]:
    """The derived tables among ``names``, each after the tables it is built from."""
    wanted: list[str] = []

    def add(table: str) -> None:
        for need in MODELS[table].needs:
            add(need)
        if table not in wanted:
            wanted.append(table)

    for name in names:
        if name in MODELS:
            add(name)
    return wanted


def ensure(
    engine: Engine,
    tables: tuple[str, ...] | list[str],
    as_of: date,
    settings: Settings,
    *,
    settle: bool = True,
    version: str | None = None,
) -> None:
    """Build each of ``tables`` (and what they need) unless current for this data version and as_of.

    ``settle=False`` leaves the write-out of fresh builds (dialect.settle_derived_builds)
    to the caller: analytics/ingest.py times it as a step of its own.  ``version``: the
    data version the caller's answer is pinned to (a page's, ui/data.py), when it has
    one: builds this process saw for it are taken without a word to the warehouse
    (issue 19: a connection and the load history read per statement cost a page of eight
    statements ~50 ms); an answer that met a load's commit is thrown away by the caller
    (warehouse.of_version), and anything not seen built is checked as before.
    """
    tables = in_build_order(tables)
    for table in [t for t in tables if MODELS[t].whole_history]:
        _ensure_whole_history(engine, table, settings, version)
    tables = [t for t in tables if not MODELS[t].whole_history]
    if not tables:
        return
    _check_declarations(engine)
    if version is not None and _known_built(engine, tables, as_of, settings, version) in _KNOWN_BUILT:
        return
    with engine.connect() as conn:
        version = version_of(conn)
        keys = {t: build_key(MODELS[t], version, as_of, settings) for t in tables}
        known = _known_built(engine, tables, as_of, settings, version)
        if known in _KNOWN_BUILT:  # this process saw them built for this version already
            return
        if any(MODELS[t].by_inputs for t in tables):  # the version stood in for its inputs' key
            inputs = input_keys(conn, (as_of,))[as_of]
            keys |= {t: inputs for t in tables if MODELS[t].by_inputs}
        built = _builds_held(conn, tables, as_of)
    missing = [t for t in tables if (t, keys[t]) not in built]
    for table in missing:  # before the lock: ensure_span takes it
        _ensure_backtest_span(engine, MODELS[table], as_of, settings)
    if missing:
        with _lock_for(engine):
            for table in missing:
                _build(engine, MODELS[table], as_of, {as_of: keys[table]}, settings)
            if settle:
                settle_derived_builds(engine)
        _KNOWN_BUILT.clear()  # a build may have replaced one made with other settings
    if len(_KNOWN_BUILT) > 10_000:
        _KNOWN_BUILT.clear()
    _KNOWN_BUILT.add(known)


def _known_built(engine: Engine, tables: list[str], as_of: date, settings: Settings, version: str) -> tuple:
    """What ``_KNOWN_BUILT`` holds once ``tables`` were seen current for this version and as_of."""
    keys = {t: build_key(MODELS[t], version, as_of, settings) for t in tables}
    return (str(engine.url), as_of, tuple(sorted(keys.items())))


def ensure_span(engine: Engine, table: str, first: date, as_of: date, settings: Settings) -> None:
    """Build the spanning per-date ``table`` for as_of and each snapshot in [first, as_of) in
    one pass, unless every one of them is held for this data version.

    A dozen separate builds would read the whole history a dozen times; a span
    reads it once (build_backtest_states.sql).  Each date is recorded on its own
    in cache_registry, so :func:`ensure` at any of them finds it built.

    A model kept by its inputs (``by_inputs``) builds only the dates whose inputs
    changed: after a load of a new snapshot, that snapshot's date and the backtest
    date it brings into the span, each in a pass of its own; the rows of dates
    that left the span go.
    """
    model = MODELS[table]
    if not model.spans or any(MODELS[need].per_as_of for need in model.needs):
        raise ValueError(f"{table} is not built in spans (or needs a table built per date)")
    _check_declarations(engine)
    ensure(engine, model.needs, as_of, settings)
    with engine.connect() as conn:
        version = version_of(conn)
        span = _span_dates(conn, first, as_of)
        key = build_key(model, version, as_of, settings)
        if all((str(engine.url), day, ((table, key),)) in _KNOWN_BUILT for day in span):
            return
        keys = input_keys(conn, span) if model.by_inputs else dict.fromkeys(span, key)
        missing = [day for day in span if not _is_built(conn, model, day, keys[day])]
    if missing:
        with _lock_for(engine):
            if len(missing) == len(span) or not model.by_inputs:
                _build(engine, model, as_of, keys, settings, span=span)
            else:
                for day in missing:
                    _build(engine, model, day, {day: keys[day]}, settings)
            if model.by_inputs:
                _prune(engine, model, span)
        _KNOWN_BUILT.clear()
    _KNOWN_BUILT.update((str(engine.url), day, ((table, key),)) for day in span)


def _ensure_whole_history(engine: Engine, table: str, settings: Settings, version: str | None) -> None:
    """A table read over every snapshot held (``whole_history``), held at each snapshot
    after the first: after a load of a new snapshot only its own date is built (each
    date is kept by its inputs, :func:`ensure_span`), so the build costs one pair of
    snapshots instead of all of them; with fewer than two snapshots it holds nothing."""
    if version is not None and (str(engine.url), table, version) in _KNOWN_BUILT:
        return
    snapshots, registry = schema.snapshots.c.snapshot_date, schema.cache_registry
    _check_declarations(engine)
    with engine.connect() as conn:
        current = version_of(conn)
        held = conn.execute(select(snapshots).order_by(snapshots)).scalars().all()
        kept = (
            conn.execute(
                select(registry.c.as_of).where(registry.c.model == table, registry.c.as_of.is_not(None))
            )
            .scalars()
            .all()
        )
    if len(held) >= 2:
        ensure_span(engine, table, held[1], held[-1], settings)
    if {as_date(day) for day in kept} - {as_date(day) for day in held[1:]}:  # a snapshot undone
        with _lock_for(engine):
            _prune(engine, MODELS[table], tuple(held[1:]))
    _KNOWN_BUILT.add((str(engine.url), table, current))


def _over_backtest(model: Model) -> bool:
    """Whether the model is built over the backtest dates, or from a table that is."""
    return model.backtest_span is not None or any(_over_backtest(MODELS[n]) for n in model.needs)


def backtest_dates(conn: Connection, as_of: date, settings: Settings) -> list[date]:
    """The calibration's backtest dates of as_of: the newest snapshots at least
    probability_horizon_days before it (at most calibration_backtest_dates), the dates whose
    horizon's outcomes are all known by as_of."""
    snapshots = schema.snapshots.c.snapshot_date
    last = as_of - timedelta(days=settings.probability_horizon_days)
    newest = conn.execute(
        select(snapshots)
        .where(snapshots <= last)
        .order_by(snapshots.desc())
        .limit(max(settings.calibration_backtest_dates, 0))
    ).scalars()
    return sorted(newest)


def _ensure_backtest_span(engine: Engine, model: Model, as_of: date, settings: Settings) -> None:
    """The spanning table a model is built from, held at as_of and each of its backtest dates."""
    if model.backtest_span is None:
        return
    with engine.connect() as conn:
        dates = backtest_dates(conn, as_of, settings)
    if dates:
        ensure_span(engine, model.backtest_span, dates[0], as_of, settings)


def _check_declarations(engine: Engine) -> None:
    """Once per engine in this process: the derived tables match their declarations."""
    if str(engine.url) not in _SHAPE_CHECKED:
        with _lock_for(engine):
            _match_declarations(engine)
        _SHAPE_CHECKED.add(str(engine.url))


def _span_dates(conn: Connection, first: date, as_of: date) -> tuple[date, ...]:
    """The dates a span build covers: the snapshots in [first, as_of), then as_of."""
    snapshots = schema.snapshots.c.snapshot_date
    found = conn.execute(
        select(snapshots).where(snapshots >= first, snapshots < as_of).order_by(snapshots)
    ).scalars()
    return (*found, as_of)


def build_key(model: Model, version: str, as_of: date, settings: Settings) -> str:
    """What a build depends on: the data version, and the settings-derived parameters of the
    build and of the tables it is built from (the workload facts hold p(o), so a rebuilt
    cache_win_rates with another look-back must rebuild them too)."""
    params = _params_with_needs(model, as_of, settings)
    key = version + "".join(f"|{k}={v}" for k, v in sorted(params.items()))
    if len(key) > _KEY_LENGTH:  # many settings: their digest
        return f"{version}|settings={hashlib.sha256(key.encode()).hexdigest()[:16]}"
    return key


def _params_with_needs(model: Model, as_of: date, settings: Settings) -> dict:
    """The model's settings-derived parameters with those of every table it needs."""
    params: dict = {}
    for need in model.needs:
        params.update(_params_with_needs(MODELS[need], as_of, settings))
    return {**params, **(model.params(as_of, settings) if model.params else {})}


def _declared_shape() -> str:
    """The derived tables' declared columns and the fingerprint of their build SQL: a
    warehouse built by older code (other columns, or the same columns computed another
    way) is rebuilt."""
    columns = ";".join(
        f"{t}:" + ",".join(f"{c.name} {c.type}" for c in schema.metadata.tables[t].columns)
        for t in (*MODELS, "cache_registry")
    )
    builds = "".join(render_query(m.build, Scope.company(), Filters(), m.swap).sql for m in MODELS.values())
    return f"{columns};build:{hashlib.sha256(builds.encode()).hexdigest()[:16]}"


def _match_declarations(engine: Engine) -> None:
    """Recreate the derived tables (they hold nothing that cannot be rebuilt) when their
    declaration changed since they were created, so new code never reads old shapes."""
    shape = _declared_shape()
    if get_meta(engine, "derived_shape") == shape:
        return
    tables = [schema.metadata.tables[t] for t in (*MODELS, "cache_registry")]
    with engine.begin() as conn:
        serialise_derived_builds(conn)
        for table in tables:
            table.drop(conn, checkfirst=True)
        schema.metadata.create_all(conn, tables=tables)
        set_meta(conn, "derived_shape", shape)


def _lock_for(engine: Engine) -> threading.Lock:
    key = str(engine.url)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


def _registry_key(model: Model, as_of: date, span: tuple[date, ...] = ()):
    """The registry rows of the model's build for as_of (and the other dates of its span)."""
    registry = schema.cache_registry
    when = registry.c.as_of.in_(span or (as_of,)) if model.per_as_of else registry.c.as_of.is_(None)
    return and_(registry.c.model == model.table, when)


def _builds_held(conn: Connection, tables, as_of: date) -> set[tuple[str, str]]:
    """The (table, build key) builds held that serve this as_of."""
    registry = schema.cache_registry
    rows = conn.execute(
        select(registry.c.data_version, registry.c.model, registry.c.as_of).where(
            registry.c.model.in_(list(tables)),
            (registry.c.as_of == as_of) | registry.c.as_of.is_(None),
        )
    )
    return {
        (model, key) for key, model, built_for in rows if (built_for is not None) == MODELS[model].per_as_of
    }


def _is_built(conn: Connection, model: Model, as_of: date, key: str) -> bool:
    registry = schema.cache_registry
    found = conn.execute(select(registry.c.data_version).where(_registry_key(model, as_of))).scalars().all()
    return key in found


def _build(
    engine: Engine,
    model: Model,
    as_of: date,
    keys: dict[date, str],
    settings: Settings,
    span: tuple[date, ...] = (),
) -> None:
    """Replace the model's stale rows and build it for as_of with its key (``keys``), in one
    transaction.

    ``span``: every date a spanning model's build covers (ascending, as_of last;
    :func:`ensure_span`); each is recorded as built with its key."""
    registry = schema.cache_registry
    span = span or (as_of,)
    with engine.begin() as conn:
        serialise_derived_builds(conn)
        if all(
            _is_built(conn, model, day, keys[day]) for day in span
        ):  # another thread or process got here first
            return
        if model.by_inputs:  # other dates' rows stay: each is kept by its own inputs
            _purge_dates(conn, model, span)
        else:
            _purge(conn, model, as_of, keys[as_of].split("|")[0], span)
        sql = render_query(model.build, Scope.company(), Filters(), model.swap).sql
        columns = ", ".join(quote_identifier(c.name) for c in schema.metadata.tables[model.table].columns)
        used = set(re.findall(r"(?<!:):([a-z_][a-z0-9_]*)", sql))
        for params in _passes(conn, model, as_of, span, settings):
            conn.execute(
                text(f"INSERT INTO {model.table} ({columns}) SELECT {columns} FROM ({sql}) AS built"),
                {k: v for k, v in params.items() if k in used},
            )
        after_derived_build(conn, model.table)
        built_at = datetime.now()
        conn.execute(
            insert(registry),
            [
                {"model": model.table, "as_of": day if model.per_as_of else None, "data_version": keys[day],
                 "built_at": built_at}
                for day in span
            ],
        )  # fmt: skip


def _passes(
    conn: Connection, model: Model, as_of: date, span: tuple[date, ...], settings: Settings
) -> list[dict]:
    """The parameters of each pass of a build: one, or one per backtest date (``backtest_span``),
    each binding that date as as_of (its p(o) is the forecast's then) and the build's as_of
    as outcome_as_of."""
    if model.backtest_span is None:
        dates = [(as_of, {"first_as_of": span[0]})]
    else:
        dates = [(day, {"outcome_as_of": as_of}) for day in backtest_dates(conn, as_of, settings)]
    return [
        {"as_of": day, **extra, **stage_params(), **(model.params(day, settings) if model.params else {})}
        for day, extra in dates
    ]


def _purge(conn: Connection, model: Model, as_of: date, version: str, span: tuple[date, ...] = ()) -> None:
    """Delete the rows of every build of the model from another data version, and any
    earlier build for this as_of or the other dates of its span (made with other settings)."""
    registry = schema.cache_registry
    table = schema.metadata.tables[model.table]
    current = (registry.c.data_version == version) | registry.c.data_version.startswith(
        version + "|", autoescape=True
    )
    stale = and_(registry.c.model == model.table, ~current | _registry_key(model, as_of, span))
    if not model.per_as_of:
        conn.execute(delete(table))
    else:
        dates = select(registry.c.as_of).where(stale)
        conn.execute(delete(table).where((table.c.as_of.in_(dates)) | table.c.as_of.in_(span or (as_of,))))
    conn.execute(delete(registry).where(stale))


def _purge_dates(conn: Connection, model: Model, dates: tuple[date, ...]) -> None:
    """Delete the rows and registry entries of ``dates`` (a model kept by its inputs)."""
    table = schema.metadata.tables[model.table]
    registry = schema.cache_registry
    conn.execute(delete(table).where(table.c.as_of.in_(dates)))
    conn.execute(delete(registry).where(registry.c.model == model.table, registry.c.as_of.in_(dates)))


def _prune(engine: Engine, model: Model, span: tuple[date, ...]) -> None:
    """Drop the rows of dates outside the span just built (a model kept by its inputs would
    otherwise keep a date for every snapshot ever loaded)."""
    table = schema.metadata.tables[model.table]
    registry = schema.cache_registry
    with engine.begin() as conn:
        serialise_derived_builds(conn)
        conn.execute(delete(table).where(table.c.as_of.not_in(span)))
        conn.execute(delete(registry).where(registry.c.model == model.table, registry.c.as_of.not_in(span)))


def input_keys(conn: Connection, dates) -> dict[date, str]:
    """Per date, a key of everything cache_backtest_states' rows for it are built from: the
    snapshot rows and stage changes dated on or before it, and the org (its teams and branches).

    Counted in the warehouse as rows, sum and highest of their load_id: a load's rows all
    carry its load_id, higher than every load before it, so a load that adds, drops or
    replaces any of them changes the count or the sum (replacing k rows by k newer ones
    raises the sum), and an undo that puts rows back gives the key they had.  A load of
    a new snapshot leaves every earlier date's key as it was.  Rows without a load_id
    (written before it existed, or by a benchmark) cannot be told apart: a key over
    any of them holds the data version too, as the other derived tables do."""
    snapshot, history, org = schema.opportunity_snapshot, schema.stage_history, schema.org
    last = max(dates)
    changed = cast(history.c.changed_at, Date)

    def summed(table, day, *where) -> list:
        load = table.c.load_id
        columns = (func.count(), func.count(load), func.coalesce(func.sum(load), 0), func.max(load))
        if day is None:
            return [(None, *conn.execute(select(*columns)).one())]
        return list(conn.execute(select(day, *columns).where(*where).group_by(day)).all())

    parts = (
        summed(snapshot, snapshot.c.snapshot_date, snapshot.c.snapshot_date <= last),
        summed(history, changed, changed <= last),
        summed(org, None),
    )
    version = version_of(conn)

    def key(day: date) -> str:
        held = [[r for r in rows if r[0] is None or r[0] <= day] for rows in parts]
        counts = [(sum(r[1] for r in rows), sum(r[2] for r in rows)) for rows in held]
        sums = [
            f"{n}:{sum(int(r[3]) for r in rows)}:{max((r[4] for r in rows if r[4] is not None), default=0)}"
            for (n, _), rows in zip(counts, held, strict=True)
        ]
        unkeyed = any(n != with_load for n, with_load in counts)
        return "inputs|" + "|".join(sums) + (f"|{version}" if unkeyed else "")

    return {day: key(day) for day in dates}


def refresh_previous(engine: Engine, settings: Settings) -> None:
    """Build cache_past_win_rates and cache_past_deal_values at the previous snapshot of the
    newest (the default 周例会 pair's A: the newest at least week_compare_days before it).

    Run after a load's backtest states (analytics/ingest.py), which hold A's state: the
    weekly review's forecast bridge reads A's deals' p(o) and expected revenue from them,
    and the first director to open it after the week's load would otherwise build the
    rates (1-3 s at 1,000,000 opportunities: the cohort rates over two years of history)
    and compute A's 131,000 open deals' numbers on every view (0.27-0.32 s)."""
    newest = newest_snapshot_date(engine)
    if newest is None:
        return
    snapshots = schema.snapshots.c.snapshot_date
    last = newest - timedelta(days=settings.week_compare_days)
    with engine.connect() as conn:
        previous = conn.execute(select(func.max(snapshots)).where(snapshots <= last)).scalar()
    if previous is not None:
        ensure(engine, ["cache_past_win_rates", "cache_past_deal_values"], previous, settings, settle=False)


def refresh_newest(engine: Engine, settings: Settings, *, settle: bool = True) -> float:
    """Build every derived table for the newest snapshot; returns the seconds it took.

    Run after a load has committed (analytics/ingest.py, the first step after the
    commit), so the analyst who loaded pays for the build rather than the first
    leader opening a page.  A failed refresh leaves the data loaded and the next
    query builds what it needs.
    """
    newest = newest_snapshot_date(engine)
    started = perf_counter()
    if newest is not None:
        # A spanning table serves its own reader's dates, and the tables built over them are
        # steps of their own (the calibration builds them at load); one built from a spanning
        # table's rows (cache_past_win_rates) serves earlier dates only.
        tables = [
            t
            for t, m in MODELS.items()
            if m.whole_history
            or (not m.spans and not _over_backtest(m) and not any(MODELS[n].spans for n in m.needs))
        ]
        ensure(engine, tables, newest, settings, settle=settle)
    return perf_counter() - started
