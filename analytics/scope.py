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
    "revenue": frozenset({"branch", "team", "team_branch", "owner_id", "product"}),
    "budget": frozenset({"branch", "product"}),
    # An account manager's personal target, under the team they are in now.
    "target": frozenset({"branch", "team", "owner_id"}),
    "staff": frozenset({"branch", "team", "staff_id"}),
}

# The column naming the branch a row's team belongs to, where it is not
# ``branch``: a revenue line keeps the contract's branch, its team is the
# owner's in the org, and a team is only ever identified with its own branch.
TEAM_BRANCH_COLUMNS = {"revenue": "team_branch"}

# Between branch and team in a team's key (浦东/金融一组): team names repeat
# across branches, so a name alone never identifies a team.
TEAM_SEPARATOR = "/"

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


def team_key(branch: str | None, team: str) -> str:
    """A team's identity as one value (浦东/金融一组): filters, URLs and pickers use it."""
    return f"{branch if isinstance(branch, str) else ''}{TEAM_SEPARATOR}{team}"


def team_keys(branches, teams) -> list[str]:
    """:func:`team_key` of each (branch, team) pair: how a chart or list names teams."""
    return [team_key(b, t) for b, t in zip(branches, teams, strict=True)]


def split_team_key(key: str) -> tuple[str | None, str]:
    """``浦东/金融一组`` → (branch, team); a bare name is refused, it may name several teams."""
    branch, sep, team = key.partition(TEAM_SEPARATOR)
    if not sep or not team:
        raise ValueError(f"a team is named with its branch, e.g. 浦东{TEAM_SEPARATOR}金融一组 (got {key!r})")
    return branch or None, team


def parse_filters(pairs: list[str], start: date | None = None, end: date | None = None) -> Filters:
    """``["branch=浦东", "product=综合VPN"]`` → Filters; unknown fields are an error.

    Team values are kept as given: a bare team name is resolved to its
    ``branch/team`` key against the org by the caller (see
    :func:`analytics.metrics.options.resolve_team_names`), which needs the data.
    """
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
    def of_team(cls, branch: str, team: str) -> Scope:
        """One team, identified by its branch and name (names repeat across branches)."""
        return cls("team", branch=branch, team=team, label=team_key(branch, team))

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
    teams: tuple[str, ...] = ()  # team keys, branch/team (team_key)
    owners: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    business_types: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None

    def narrow_nothing(self) -> bool:
        """No value filter and no date range: what a table kept for whole scopes answers."""
        return not self.active() and self.start is None and self.end is None

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


def _team_branch_column(entity: str) -> str:
    return TEAM_BRANCH_COLUMNS.get(entity, "branch")


def _team_term(alias: str, entity: str, branch: str | None, team: str, params: dict, name: str) -> str:
    """``branch = b AND team = t`` for one team: its identity is the pair, never the name."""
    branch_column = _team_branch_column(entity)
    params[f"{name}_team"] = team
    if branch is None:
        return f"({alias}.{branch_column} IS NULL AND {alias}.team = :{name}_team)"
    params[f"{name}_branch"] = branch
    return f"({alias}.{branch_column} = :{name}_branch AND {alias}.team = :{name}_team)"


def _scope_terms(scope: Scope, alias: str, entity: str) -> tuple[list[str], dict]:
    columns = ENTITY_COLUMNS[entity]
    if scope.level == "company":
        return [], {}
    if scope.level == "nothing":
        return ["1 = 0"], {}
    if scope.level == "team":
        if "team" not in columns or scope.team is None or scope.branch is None:
            return ["1 = 0"], {}  # a team is known only with its branch
        params: dict = {}
        return [_team_term(alias, entity, scope.branch, scope.team, params, "scope")], params
    column, value = {
        "branch": ("branch", scope.branch),
        "owner": ("owner_id" if "owner_id" in columns else "staff_id", scope.staff_id),
    }[scope.level]
    if column not in columns or value is None:
        return ["1 = 0"], {}  # this kind of row cannot be attributed to the scope
    return [f"{alias}.{column} = :scope_value"], {"scope_value": value}


def _team_filter_term(values: tuple[str, ...], alias: str, entity: str, params: dict) -> str:
    """Rows of any of the chosen teams, each matched on branch and name together."""
    terms = [
        _team_term(alias, entity, *split_team_key(value), params, f"f_teams_{i}")
        for i, value in enumerate(values)
    ]
    return f"({' OR '.join(terms)})"


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
    terms, params = _scope_terms(scope, alias, entity)
    ignored = []
    for name, values in filters.active().items():
        column = FILTER_COLUMNS[name]
        if column not in columns:
            ignored.append(name)
            continue
        if name == "teams":
            terms.append(_team_filter_term(values, alias, entity, params))
            continue
        keys = [f"f_{name}_{i}" for i in range(len(values))]
        params.update(dict(zip(keys, values, strict=True)))
        terms.append(f"{alias}.{column} IN ({', '.join(':' + k for k in keys)})")
    terms += _period_terms(filters, alias, columns, params, ignored)
    sql = " AND ".join(terms) if terms else "1 = 1"
    return Predicate(sql=f"({sql})", params=params, ignored_filters=tuple(ignored))
