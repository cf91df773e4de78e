"""What an account may see (逐层管控), from the org as loaded now.

The scope is derived at every call rather than stored, so a manager who moves
team, or staff who leave, see the change after the next org load.  Anything
doubtful resolves to :meth:`Scope.nothing`, never to more data.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Engine, Row

from analytics.auth.accounts import _lookup
from analytics.auth.roles import TEAM_ROLES, _role, _staff_status
from analytics.scope import Scope
from analytics.settings import Settings

_WORDS = {
    "zh": {"company": "全公司", "nothing": "无数据权限"},
    "en": {"company": "whole company", "nothing": "no data access"},
}


def _label(row: Row | None, username: str, where: str) -> str:
    """A person's name (or the username) and the part of the organisation they see."""
    name = (row.org_name if row is not None else None) or username
    return f"{name} · {where}" if where else name


def _grant(row: Row, settings: Settings, words: dict[str, str]) -> tuple[Scope, str] | None:
    """The scope an active account's role grants and the place it names; None when doubtful."""
    role = _role(row)
    place = " / ".join(p for p in (row.org_branch, row.org_team) if p)
    if role == "director":
        return Scope.company(), words["company"]
    if role == "analyst":
        if settings.read_roles_for_analyst != "company":
            return None
        return Scope.company(), words["company"]
    if role == "branch_head" and row.org_branch:
        return Scope.of_branch(row.org_branch), row.org_branch
    if role in TEAM_ROLES and row.org_team and row.org_branch:
        # A team is its branch and name together: 金融一组 exists in several branches.
        return Scope.of_team(row.org_branch, row.org_team), place
    if role == "account_manager" and row.staff_id:
        return Scope.of_owner(row.staff_id), place or row.staff_id
    return None


def scope_for_user(engine: Engine, username: str, settings: Settings) -> Scope:
    """What an account may see, from the org as loaded now (逐层管控).

    director → company; branch_head → its branch; team/industry manager → its
    team; account_manager → own opportunities; analyst → company only when
    ``settings.read_roles_for_analyst == 'company'``.  Anything doubtful — an
    unknown or disabled account, staff unknown to or inactive in the org, an
    unknown role, a missing branch or team — sees nothing.
    """
    words = _WORDS.get(settings.language, _WORDS["en"])
    row = _lookup(engine, username)
    shown = username if isinstance(username, str) else ""
    if row is None:
        return replace(Scope.nothing(), label=_label(None, shown, words["nothing"]))
    nothing = replace(Scope.nothing(), label=_label(row, row.username, words["nothing"]))
    if not row.active or _staff_status(row) in ("unknown", "left"):
        return nothing
    granted = _grant(row, settings, words)
    if granted is None:
        return nothing
    scope, where = granted
    return replace(scope, label=_label(row, row.username, where))
