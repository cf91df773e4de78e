"""Workload and capability per account manager (metrics.md, 客户经理工作量).

The scorecard is one SQL model (``workload_managers.sql`` over the
``_workload_*`` fragments); its windows W and T, the year and the interval's
z are computed from the question by ``blocks.binds``.  It sums per-manager
facts: the derived table cache_workload_facts (built at load, so a scope is a
filter over some thousands of rows), or, for a filter those rows cannot
answer (a product, a created period...), the same sums from the events
(the ``*_live`` queries): :func:`source`.  Team medians are a
benchmark: they are computed for the whole company under the viewer's filters
and then cut to the viewer's own teams, so what leaves this module is
aggregates of those teams, never another person's row.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analytics.context import Context
from analytics.scope import Scope

FIELDS = (
    "open_count",
    "open_value",
    "key_open",
    "new_mined",
    "new_dispatched",
    "activities",
    "activities_per_week",
    "won_count",
    "won_value",
    "lost_count",
    "win_rate",
    "win_rate_adjusted",
    "median_cycle_days",
    "stale",
    "overdue",
    "support_open",
    "target",
    "won_value_ytd",
    "target_attainment",
    "coverage",
    "late_registered_share",
)
"""The output fields of metrics.md's section, in its order; each has a team median."""

IDENTITY = ("owner_id", "owner_name", "team", "branch")
MEDIAN_SUFFIX = "_team_median"
TEXT = ("level", "vs_team", "current_team", "current_branch", "band", "unranked_reason")
"""Columns that are words, not numbers (besides IDENTITY)."""

RANKING_MEASURES = ("win_rate_adjusted", "activities_per_week", "coverage")
"""What the ranking orders by: capability (with its interval), effort, target coverage."""


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as floats/ints even when a column is all NULL (no targets loaded)."""
    out = frame.copy()
    for column in out.columns:
        if column in IDENTITY or column in TEXT:
            continue
        if column in ("too_few_deals", "late_registered_flag"):
            out[column] = out[column].fillna(False).astype(bool)
        else:
            out[column] = pd.to_numeric(out[column], errors="coerce")
    for column in ("capability_rank", "ranking", "position", "ranked_count", "unranked_count"):
        if column in out:
            out[column] = out[column].astype("Int64")
    return out


PER_MANAGER_FILTERS = ("branches", "teams", "owners")
"""Filters on what the per-manager facts are keyed by (the team and owner an event counts under)."""


def source(ctx: Context, query: str) -> str:
    """``query`` over the derived per-manager facts, or its ``_live`` twin over the events.

    The facts are keyed by manager, team and branch only: a scope and a branch,
    team or owner filter select among them; any other filter (or the created
    period) applies to single deals, so only the events can answer it.
    """
    filters = ctx.filters
    per_manager = set(filters.active()) <= set(PER_MANAGER_FILTERS)
    return query if per_manager and filters.start is None and filters.end is None else f"{query}_live"


def workload_managers(ctx: Context) -> pd.DataFrame:
    """One row per account manager × team in scope: every field of the section."""
    return _typed(ctx.query(source(ctx, "workload_managers")))


def workload_people(ctx: Context) -> pd.DataFrame:
    """One row per account manager in scope, over all the teams they were in."""
    return _typed(ctx.query(source(ctx, "workload_people")))


def workload_teams(ctx: Context) -> pd.DataFrame:
    """The (branch, team) pairs that have scorecard rows in scope, ordered: what a team
    picker offers.  The team page asks for these and then one team's rows (``workload``
    with the team as a filter), not the whole scorecard: a director's is 15,000 rows at
    1 M, of which the page shows one team's."""
    return ctx.query(source(ctx, "workload_teams"))


def team_medians(ctx: Context, teams: list[tuple[str, str]]) -> pd.DataFrame:
    """Per (branch, team) in ``teams``: members and the median of each field (company data, filtered).

    Teams are pairs because names repeat across branches: 浦东's 金融一组 is
    benchmarked against its own members, never together with 静安's.
    """
    if not teams:
        return pd.DataFrame(columns=["branch", "team", "members", *FIELDS])
    company = replace(ctx, scope=Scope.company())
    frame = _typed(company.query(source(company, "workload_team_medians")))
    wanted = pd.MultiIndex.from_tuples(teams, names=["branch", "team"])
    keep = pd.MultiIndex.from_frame(frame[["branch", "team"]]).isin(wanted)
    return frame[keep].reset_index(drop=True)


def workload(ctx: Context) -> pd.DataFrame:
    """The scorecard with each field's team median beside it (page, report and export)."""
    rows = workload_managers(ctx)
    pairs = rows[["branch", "team"]].dropna().drop_duplicates()
    medians = team_medians(ctx, sorted(pairs.itertuples(index=False, name=None)))
    benchmarks = [c for c in medians.columns if c not in ("branch", "team", "members")]
    renamed = medians.rename(columns={c: c + MEDIAN_SUFFIX for c in benchmarks})
    merged = rows.merge(renamed.drop(columns=["members"]), on=["branch", "team"], how="left")
    extras = [c for c in rows.columns if c not in (*IDENTITY, *FIELDS, "level")]
    ordered = [
        *IDENTITY,
        *(c for f in FIELDS for c in (f, f + MEDIAN_SUFFIX)),
        *(c for e in extras for c in (e, e + MEDIAN_SUFFIX) if c in merged.columns),
    ]
    return merged[ordered]


def workload_ranking(ctx: Context, measure: str) -> pd.DataFrame:
    """The top and bottom ``workload_ranking_size`` scorecard rows by ``measure``, then some unranked.

    One of RANKING_MEASURES.  The figures are the scorecard's (same fragment),
    so a manager's rate here is the rate in the table.  ``band`` is top, bottom
    or unranked: by win rate a manager with too few closed deals is not ranked
    (the scorecard's own rule, win_rate_min_closed), so luck on three deals
    never heads the list; by coverage a manager with no target is not ranked.
    """
    if measure not in RANKING_MEASURES:
        raise ValueError(f"ranking measure {measure!r} is not one of {RANKING_MEASURES}")
    return _typed(ctx.query(source(ctx, "workload_ranking"), ranking_measure=measure))
