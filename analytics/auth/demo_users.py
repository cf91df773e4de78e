"""Demo accounts: one per role, bound to real staff of the loaded org.

``python -m analytics demo --demo-password`` and the first-run page call
:func:`ensure_demo_users` so people can try every level of 逐层管控 at once.
The accounts are ordinary ones (audited ``user_add`` under actor 'demo'),
bound to staff so their scope comes from the demo org like anyone else's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine, Row

from analytics.auth.accounts import _lookup, ensure_auth_tables, get_user, role_of
from analytics.auth.errors import DuplicateUser
from analytics.auth.scope import scope_for_user
from analytics.auth.users import _add_user
from analytics.schema import org
from analytics.settings import Settings, load_settings

DEMO_USERNAMES = ("director", "branch_head", "team_manager", "account_manager", "analyst")


def _pick(staff: Sequence[Row], role: str, **wanted: Any) -> Row | None:
    """The first active staff in ``role`` whose columns equal ``wanted``, or None."""
    for person in staff:
        if person.role == role and all(getattr(person, k) == v for k, v in wanted.items()):
            return person
    return None


def _demo_plan(staff: Sequence[Row]) -> list[tuple[str, str | None, str | None]]:
    """(username, staff_id, role) per demo account, preferring one consistent chain.

    The team manager is one whose team has an account manager, and the branch
    head heads that team's branch, so the scopes nest as in real life.
    """
    manager = next(
        (
            m
            for m in staff
            if m.role == "team_manager"
            and m.team
            and _pick(staff, "account_manager", team=m.team, branch=m.branch)
        ),
        None,
    ) or next((m for m in staff if m.role == "team_manager" and m.team), None)
    account_manager = (
        _pick(staff, "account_manager", team=manager.team, branch=manager.branch) if manager else None
    ) or _pick(staff, "account_manager")
    head = (_pick(staff, "branch_head", branch=manager.branch) if manager else None) or next(
        (b for b in staff if b.role == "branch_head" and b.branch), None
    )
    director = _pick(staff, "director")
    analyst = _pick(staff, "analyst")

    return [
        ("director", director.staff_id if director else None, None if director else "director"),
        ("branch_head", head.staff_id if head else None, None),
        ("team_manager", manager.staff_id if manager else None, None),
        ("account_manager", account_manager.staff_id if account_manager else None, None),
        ("analyst", analyst.staff_id if analyst else None, None if analyst else "analyst"),
    ]


def _create_demo_user(
    engine: Engine, username: str, password: str, staff_id: str | None, role: str | None
) -> bool:
    """Create one demo account (any password length); True unless another session won the race."""
    try:
        _add_user(
            engine,
            username,
            password,
            staff_id,
            role,
            must_change_password=False,
            actor="demo",
            now=None,
            min_length=1,
        )
    except DuplicateUser:
        return False  # created meanwhile by another session
    return True


def _demo_entry(engine: Engine, username: str, settings: Settings, created: bool) -> dict[str, Any]:
    """What :func:`ensure_demo_users` reports about one account."""
    user = get_user(engine, username)
    if user is None:
        raise LookupError(f"demo user {username!r} vanished while being listed")
    scope = scope_for_user(engine, username, settings)
    return {
        "username": username,
        "role": role_of(engine, username),
        "staff_id": user["staff_id"],
        "name": user["name"] or username,
        "scope_label": scope.label,
        "label": scope.label,  # the same, under the short name
        "scope_level": scope.level,
        "created": created,
    }


def ensure_demo_users(
    engine: Engine, password: str, settings: Settings | None = None
) -> list[dict[str, Any]]:
    """One account per role, bound to real staff of the loaded org; idempotent.

    Usernames are 'director', 'branch_head', 'team_manager', 'account_manager'
    (in the team of that team manager) and 'analyst'.  Existing accounts are
    left as they are (their password is not reset).  Director and analyst fall
    back to an unbound account with a role when the org has nobody in that
    role; the others are skipped when nobody fits.  Returns one dict per
    account: username, role, staff_id, name, scope_label (also as label),
    scope_level, created.  ``settings`` default to :func:`load_settings`.
    """
    settings = settings or load_settings()
    ensure_auth_tables(engine)
    with engine.connect() as conn:
        staff = conn.execute(
            select(org.c.staff_id, org.c.name, org.c.role, org.c.team, org.c.branch)
            .where(org.c.active.is_(True))
            .order_by(org.c.staff_id)
        ).fetchall()
    out = []
    for username, staff_id, role in _demo_plan(staff):
        created = False
        if _lookup(engine, username) is None:
            if staff_id is None and role is None:
                continue  # nobody in the org fits this role
            created = _create_demo_user(engine, username, password, staff_id, role)
        out.append(_demo_entry(engine, username, settings, created))
    return out
