"""Named SQL queries: one model per ``.sql`` file, run with bound parameters.

A query file may contain two kinds of template tags, expanded here and nowhere
else:

* ``{{ include NAME }}`` inserts the fragment ``_NAME.sql`` (shared CTEs such
  as the opportunity state at ``as_of``), so a definition is written once;
* ``{{ scope ALIAS ENTITY }}`` inserts the viewer's scope and filters as a
  predicate over ``ALIAS`` (see analytics/scope.py), built from whitelisted
  columns and bound parameters, never from user text.
"""

from __future__ import annotations

import re
from dataclasses import asdict, fields
from functools import cache
from pathlib import Path

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Connection

from analytics.scope import Filters, Scope, build_predicate
from analytics.settings import Settings

QUERY_DIR = Path(__file__).resolve().parent
_TAG = re.compile(r"\{\{\s*(include|scope)\s+([^}]*?)\s*\}\}")


@cache
def read_sql(name: str) -> str:
    """The text of ``NAME.sql`` in this folder (names are constants in code)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"bad query name {name!r}")
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


def render(name: str, scope: Scope, filters: Filters) -> tuple[str, dict, tuple[str, ...]]:
    """Expand template tags; return SQL, scope/filter params and ignored filters."""
    params: dict = {}
    ignored: set[str] = set()

    def expand(match: re.Match) -> str:
        verb, arg = match.group(1), match.group(2)
        if verb == "include":
            return _TAG.sub(expand, read_sql("_" + arg))
        alias, entity = arg.split()
        predicate = build_predicate(scope, filters, alias, entity)
        params.update(predicate.params)
        ignored.update(predicate.ignored_filters)
        return predicate.sql

    sql = _TAG.sub(expand, read_sql(name))
    return sql, params, tuple(sorted(ignored))


def settings_params(settings: Settings) -> dict:
    """Every scalar setting as a bound parameter named after it."""
    return {
        f.name: getattr(settings, f.name)
        for f in fields(settings)
        if isinstance(getattr(settings, f.name), (int, float))
    }


def run_query(
    conn: Connection,
    name: str,
    *,
    scope: Scope,
    filters: Filters,
    settings: Settings,
    params: dict | None = None,
) -> pd.DataFrame:
    """Run the named query for a viewer's scope and return its (small) result."""
    sql, scope_params, _ignored = render(name, scope, filters)
    bound = {**settings_params(settings), **scope_params, **(params or {})}
    used = set(re.findall(r"(?<!:):([a-z_][a-z0-9_]*)", sql))
    result = conn.execute(text(sql), {k: v for k, v in bound.items() if k in used})
    columns = list(result.keys())
    # Plain tuples: pandas probes every SQLAlchemy Row for attributes, which cost
    # more than the query itself on small results.
    return pd.DataFrame([tuple(row) for row in result.fetchall()], columns=columns)


def filters_as_dict(filters: Filters) -> dict:
    """Filters in plain types (for JSON output and cache keys)."""
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(filters).items()}
