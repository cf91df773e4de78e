"""Named SQL queries: one model per ``.sql`` file, run with bound parameters.

A query file may contain two kinds of template tags, expanded here and nowhere
else:

* ``{{ include NAME }}`` inserts the fragment ``_NAME.sql`` (shared CTEs such
  as the opportunity state at ``as_of``), so a definition is written once;
* ``{{ scope ALIAS ENTITY }}`` inserts the viewer's scope and filters as a
  predicate over ``ALIAS`` (see analytics/scope.py), built from whitelisted
  columns and bound parameters, never from user text.

A fragment declares, in comment lines at its top, what it needs and takes:

    -- needs: opportunity_state, max_stage     (the CTE fragments it reads)
    -- binds: as_of, won_stage                 (every :parameter its text uses)
    -- kind: expression                        (inlined where written, not a CTE)
    -- takes: alias                            (arguments, written {{ alias }} in its text)

An expression fragment may take arguments, ``{{ include NAME alias=o side=a }}``:
each ``{{ ARG }}`` in its text is replaced by the value given (a name, checked),
so a column list or a per-side block is written once and used where it is needed
with another alias or suffix.

Including a CTE fragment first includes what it needs that the query does not
hold yet, in order, and each CTE fragment once: a query names the fragments it
reads itself.  A parameter the rendered query uses and the caller does not bind
is an error naming the fragment (or query) that uses it.

A caller may swap fragments (``swap``: pairs of a fragment and the one included
in its place, wherever it is included or needed): the frozen forecast of a past
snapshot reads the opportunity state from cache_backtest_states (``past_state``)
instead of the full facts (``opportunity_state``), the same query text otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from functools import cache
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Connection

from analytics.dialect import read_frame
from analytics.scope import Filters, Scope, build_predicate
from analytics.settings import Settings

QUERY_DIR = Path(__file__).resolve().parent
_TAG = re.compile(r"\{\{\s*(include|scope)\s+([^}]*?)\s*\}\}(\s*,)?")
_DECLARATION = re.compile(r"^--\s*(needs|binds|kind|takes):(.*)$", re.MULTILINE)
_ARGUMENT = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PARAMETER = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")


class MissingParameter(ValueError):
    """A query was run without a parameter one of its fragments takes."""


@cache
def read_sql(name: str) -> str:
    """The text of ``NAME.sql`` in this folder (names are constants in code)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"bad query name {name!r}")
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Fragment:
    """A fragment file's declarations (see the module docstring)."""

    name: str
    needs: tuple[str, ...]
    binds: tuple[str, ...]
    expression: bool
    takes: tuple[str, ...] = ()


@cache
def fragment(name: str) -> Fragment:
    """The declarations at the top of ``_NAME.sql``."""
    declared: dict[str, tuple[str, ...]] = {"needs": (), "binds": (), "kind": (), "takes": ()}
    for key, value in _DECLARATION.findall(read_sql("_" + name)):
        declared[key] += tuple(v.strip() for v in value.split(",") if v.strip())
    expression = declared["kind"] == ("expression",)
    if declared["takes"] and not expression:
        raise ValueError(f"_{name}.sql: only an expression fragment takes arguments")
    return Fragment(name, declared["needs"], declared["binds"], expression, declared["takes"])


def with_arguments(piece: Fragment, arguments: dict[str, str]) -> str:
    """The fragment's text with each ``{{ ARG }}`` replaced; every argument it takes, no other."""
    if set(arguments) != set(piece.takes):
        raise ValueError(
            f"_{piece.name}.sql takes {', '.join(piece.takes) or 'no arguments'}, given {arguments}"
        )
    for value in arguments.values():
        if not _NAME.fullmatch(value):
            raise ValueError(f"_{piece.name}.sql: argument {value!r} is not a name")
    return _ARGUMENT.sub(lambda m: arguments[m.group(1)], read_sql("_" + piece.name))


@dataclass(frozen=True)
class Rendered:
    """A query with its tags expanded: the SQL, the scope's parameters, the filters that do not
    apply, and for each parameter the SQL files whose text uses it."""

    sql: str
    params: dict
    ignored: tuple[str, ...]
    used_by: dict[str, tuple[str, ...]]


Swap = tuple[tuple[str, str], ...]
"""Fragments included in place of others: (fragment, its stand-in) pairs."""


def render_query(name: str, scope: Scope, filters: Filters, swap: Swap = ()) -> Rendered:
    """Expand template tags, each CTE fragment once, its needs first (``swap``: module docstring)."""
    stand_in = dict(swap)
    params: dict = {}
    ignored: set[str] = set()
    held: list[str] = []  # CTE fragments included (or being included), in order
    used_by: dict[str, set[str]] = {}

    def expand(text: str, source: str) -> str:
        for parameter in PARAMETER.findall(_TAG.sub("", text)):
            used_by.setdefault(parameter, set()).add(source)
        return _TAG.sub(tag, text)

    def include(piece: str, chain: tuple[str, ...], arguments: dict[str, str]) -> list[str]:
        piece = stand_in.get(piece, piece)
        if piece in chain:
            raise ValueError(f"fragments need each other: {' -> '.join((*chain, piece))}")
        declared = fragment(piece)
        if declared.expression:
            return [expand(with_arguments(declared, arguments), f"_{piece}.sql")]
        if arguments:
            raise ValueError(f"_{piece}.sql takes no arguments")
        if piece in held:
            return []
        parts = [part for need in declared.needs for part in include(need, (*chain, piece), {})]
        held.append(piece)
        return [*parts, expand(read_sql("_" + piece).rstrip(), f"_{piece}.sql")]

    def tag(match: re.Match) -> str:
        verb, arg, comma = match.group(1), match.group(2), match.group(3) or ""
        if verb == "include":
            piece, *given = arg.split()
            parts = include(piece, (), dict(word.split("=", 1) for word in given))
            return ",\n".join(parts) + comma if parts else ""
        alias, entity = arg.split()
        predicate = build_predicate(scope, filters, alias, entity)
        params.update(predicate.params)
        ignored.update(predicate.ignored_filters)
        return predicate.sql + comma

    sql = expand(read_sql(name), f"{name}.sql")
    used = {parameter: tuple(sorted(sources)) for parameter, sources in used_by.items()}
    return Rendered(sql, params, tuple(sorted(ignored)), used)


def render(name: str, scope: Scope, filters: Filters) -> tuple[str, dict, tuple[str, ...]]:
    """Expand template tags; return SQL, scope/filter params and ignored filters."""
    rendered = render_query(name, scope, filters)
    return rendered.sql, rendered.params, rendered.ignored


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
    derive: Callable[[list[str]], dict] | None = None,
    swap: Swap = (),
) -> pd.DataFrame:
    """Run the named query for a viewer's scope and return its result (on DuckDB fetched as
    Arrow columns, not row by row: dialect.read_frame).

    ``derive`` computes the parameters the query's files use and nobody gave
    (``blocks.binds.derived_params`` for the question asked, via ``Context.query``);
    ``swap`` includes fragments in place of others (module docstring).
    """
    rendered = render_query(name, scope, filters, swap)
    bound = {**settings_params(settings), **rendered.params, **(params or {})}
    if derive is not None:
        bound.update(derive([p for p in rendered.used_by if p not in bound]))
    missing = [
        f":{p} ({', '.join(files)})" for p, files in sorted(rendered.used_by.items()) if p not in bound
    ]
    if missing:
        raise MissingParameter(f"{name}: not bound: {'; '.join(missing)}")
    used = set(PARAMETER.findall(rendered.sql))
    return read_frame(conn, rendered.sql, {k: v for k, v in bound.items() if k in used})


def filters_as_dict(filters: Filters) -> dict:
    """Filters in plain types (for JSON output and cache keys)."""
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(filters).items()}
