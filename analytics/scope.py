"""Who may see what (逐层管控), and the filters a viewer chose.

Every analytics function takes a :class:`Scope`; there is no default, so no
query can run without one.  The scope and the common filters become one SQL
predicate built here from whitelisted column names and bound parameters, so a
page, the command line and the exports all restrict data the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Literal

ScopeLevel = Literal["company", "branch", "team", "owner", "nothing"]

# Which scope-relevant columns each kind of row carries.
ENTITY_COLUMNS: dict[str, frozenset[str]] = {
    "opportunity": frozenset(
        {
            "branch",
            "team",
            "owner_id",
            "product",
            "industry",
            "business_type",
            "origin",
            "campaign",
            "opportunity_class",
            "created_date",
        }
    ),
    "revenue": frozenset({"branch", "team", "owner_id", "product"}),
    "budget": frozenset({"branch", "product"}),
    "staff": frozenset({"branch", "team", "staff_id"}),
}

# Filter field → column name in the staging views.
FILTER_COLUMNS = {
    "branches": "branch",
    "teams": "team",
    "owners": "owner_id",
    "products": "product",
    "industries": "industry",
    "business_types": "business_type",
    "origins": "origin",
    "campaigns": "campaign",
    "classes": "opportunity_class",
}


# Singular names accepted on the command line and in URLs (branch=浦东).
FILTER_ALIASES = {
    column if column != "opportunity_class" else "class": name for name, column in FILTER_COLUMNS.items()
} | {"owner": "owners"}


def parse_filters(pairs: list[str], start: date | None = None, end: date | None = None) -> Filters:
    """``["branch=浦东", "product=综合VPN"]`` → Filters; unknown fields are an error."""
    values: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        name = FILTER_ALIASES.get(key.strip(), key.strip())
        if not sep or name not in FILTER_COLUMNS:
            raise ValueError(f"unknown filter {pair!r}; use one of {sorted(FILTER_ALIASES)}")
        values.setdefault(name, []).append(value.strip())
    return Filters(**{k: tuple(v) for k, v in values.items()}, start=start, end=end)


@dataclass(frozen=True)
class Scope:
    """The part of the organisation a viewer answers for."""

    level: ScopeLevel
    branch: str | None = None
    team: str | None = None
    staff_id: str | None = None
    label: str = ""

    @classmethod
    def company(cls) -> Scope:
        return cls("company", label="company")

    @classmethod
    def of_branch(cls, branch: str) -> Scope:
        return cls("branch", branch=branch, label=branch)

    @classmethod
    def of_team(cls, team: str) -> Scope:
        return cls("team", team=team, label=team)

    @classmethod
    def of_owner(cls, staff_id: str) -> Scope:
        return cls("owner", staff_id=staff_id, label=staff_id)

    @classmethod
    def nothing(cls) -> Scope:
        return cls("nothing", label="nothing")


@dataclass(frozen=True)
class Filters:
    """The common filters of metrics.md; empty tuples mean 'all'."""

    branches: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    business_types: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None

    def active(self) -> dict[str, tuple[str, ...]]:
        """The value filters that restrict something."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name in FILTER_COLUMNS and getattr(self, f.name)
        }


@dataclass
class Predicate:
    """A SQL boolean expression with its bound parameters."""

    sql: str
    params: dict = field(default_factory=dict)
    ignored_filters: tuple[str, ...] = ()


def _scope_terms(scope: Scope, alias: str, columns: frozenset[str]) -> tuple[list[str], dict]:
    if scope.level == "company":
        return [], {}
    if scope.level == "nothing":
        return ["1 = 0"], {}
    column, value = {
        "branch": ("branch", scope.branch),
        "team": ("team", scope.team),
        "owner": ("owner_id" if "owner_id" in columns else "staff_id", scope.staff_id),
    }[scope.level]
    if column not in columns or value is None:
        return ["1 = 0"], {}  # this kind of row cannot be attributed to the scope
    return [f"{alias}.{column} = :scope_value"], {"scope_value": value}


def _period_terms(
    filters: Filters, alias: str, columns: frozenset[str], params: dict, ignored: list
) -> list[str]:
    """The period filter: opportunities created in [start, end] (either bound optional)."""
    terms = []
    for bound, operator in (("start", ">="), ("end", "<=")):
        value = getattr(filters, bound)
        if value is None:
            continue
        if "created_date" not in columns:
            ignored.append(bound)
            continue
        params[f"f_{bound}"] = value
        terms.append(f"{alias}.created_date {operator} CAST(:f_{bound} AS DATE)")
    return terms


def build_predicate(scope: Scope, filters: Filters, alias: str, entity: str) -> Predicate:
    """Scope and filters as one predicate over ``alias`` of the given entity."""
    columns = ENTITY_COLUMNS[entity]
    terms, params = _scope_terms(scope, alias, columns)
    ignored = []
    for name, values in filters.active().items():
        column = FILTER_COLUMNS[name]
        if column not in columns:
            ignored.append(name)
            continue
        keys = [f"f_{name}_{i}" for i in range(len(values))]
        params.update(dict(zip(keys, values, strict=True)))
        terms.append(f"{alias}.{column} IN ({', '.join(':' + k for k in keys)})")
    terms += _period_terms(filters, alias, columns, params, ignored)
    sql = " AND ".join(terms) if terms else "1 = 1"
    return Predicate(sql=f"({sql})", params=params, ignored_filters=tuple(ignored))
