"""Cached access to analytics: the only place pages get numbers from.

Results are cached per (function, database, scope, filters, as_of, data
version), so a new load invalidates them and two viewers with different scopes
never share an entry.  Engines and contexts are passed with a leading
underscore (not hashed); the key string carries everything that matters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from analytics.context import Context
from analytics.db import ensure_schema, get_engine
from analytics.scope import Filters, Scope
from analytics.settings import SettingError, Settings, load_settings
from analytics.warehouse import VersionMoved, data_version, newest_snapshot_date, of_version


def settings() -> Settings:
    """The settings; a bad ``SJGK_*`` value is shown as its message (naming it), not a traceback."""
    try:
        return _settings()
    except SettingError as error:
        st.error(str(error))
        st.stop()


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner=False)
def engine_for(url: str):
    """One engine per warehouse URL, schema ensured once per process."""
    engine = get_engine(url)
    ensure_schema(engine)
    return engine


def engine():
    return engine_for(settings().database_url)


def default_as_of() -> date:
    return newest_snapshot_date(engine()) or date.today()


def make_context(scope: Scope, filters: Filters, as_of: date) -> Context:
    """The page's question, pinned to the data version of this run (see :func:`compute`)."""
    return Context(engine(), scope, settings(), as_of, filters, data_version=data_version(engine()))


@st.cache_data(show_spinner=False, ttl=3600, max_entries=500)
def _cached(key: str, _function: Callable[..., Any], _ctx: Context, _args: tuple, _version: str) -> Any:
    """The answer, cached only when it is ``_version``'s (warehouse.of_version raises otherwise)."""
    return of_version(_ctx.engine, _version, lambda: _function(_ctx, *_args))


def compute(function: Callable[..., Any], ctx: Context, *args: Any) -> Any:
    """Run an analytics function for a context (and hashable, repr-stable ``args``),
    cached on everything it depends on.

    Every answer of a run is its context's data version's: when a load commits
    while the page is computed, the page runs again from the top on the new
    version rather than show new opportunities beside old revenue.
    """
    version = ctx.data_version or data_version(ctx.engine)
    key = "|".join(
        map(
            repr,
            (
                function.__module__,
                function.__qualname__,
                str(ctx.engine.url),
                ctx.scope,
                ctx.filters,
                ctx.as_of,
                ctx.settings,
                version,
                args,
            ),
        )
    )
    try:
        return _cached(key, function, ctx, args, version)
    except VersionMoved:
        st.rerun()
