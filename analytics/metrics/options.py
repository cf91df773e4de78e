"""What a viewer can choose in the shared filters, from their own scope."""

from __future__ import annotations

from dataclasses import replace

from analytics.context import Context
from analytics.scope import TEAM_SEPARATOR, Filters, team_key


def filter_options(ctx: Context) -> dict[str, list[str]]:
    """Values per filter field present in the viewer's scope at as_of.

    Teams are offered as ``branch/team`` keys (:func:`analytics.scope.team_key`):
    a team name alone may belong to several branches.
    """
    frame = replace(ctx, filters=Filters()).query("filter_options")
    options = {field: group["value"].tolist() for field, group in frame.groupby("field")}
    teams = frame[frame["field"] == "teams"]
    if len(teams):
        options["teams"] = [team_key(b, t) for b, t in zip(teams["branch"], teams["value"], strict=True)]
    return options


def snapshot_dates(ctx: Context) -> list:
    """Snapshot dates held, newest first (the as_of choices)."""
    return ctx.query("snapshot_dates")["snapshot_date"].tolist()


def resolve_team_names(ctx: Context) -> Context:
    """The context with each bare team name in its team filter replaced by ``branch/team``.

    The command line accepts ``team=金融一组`` for convenience, but only when
    the viewer's scope holds exactly one team of that name; otherwise it says
    which branches have one, so a filter never silently means several teams.
    """
    if not any(TEAM_SEPARATOR not in value for value in ctx.filters.teams):
        return ctx
    org_teams = replace(ctx, filters=Filters()).query("org_teams")
    resolved = []
    for value in ctx.filters.teams:
        if TEAM_SEPARATOR in value:
            resolved.append(value)
            continue
        branches = sorted(org_teams.loc[org_teams["team"] == value, "branch"].fillna(""))
        if len(branches) != 1:
            raise ValueError(_ambiguity(value, branches))
        resolved.append(team_key(branches[0], value))
    return ctx.with_filters(replace(ctx.filters, teams=tuple(resolved)))


def _ambiguity(name: str, branches: list[str]) -> str:
    """Why a bare team name cannot be used, in words (Chinese and English)."""
    if not branches:
        return f"没有名为 {name!r} 的团队 / no team named {name!r} in your scope"
    keys = ", ".join(team_key(b, name) for b in branches)
    return (
        f"团队 {name!r} 在多个分局都有，请带上分局：{keys} / "
        f"team {name!r} exists in several branches; name it with its branch: {keys}"
    )
