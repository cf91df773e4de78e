"""Reading account rows (joined to the org as loaded now) and writing them safely.

Accounts live in ``app_users``; each row is read together with its org row so
role, branch and team always come from the latest org load.  Writes go
through :func:`_write`, one transaction retried when two sessions race for
the same id or row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import IntegrityError, OperationalError

from analytics import audit
from analytics.auth.errors import UserError
from analytics.auth.passwords import normalise_username
from analytics.auth.roles import _effective_role, _role, _staff_status
from analytics.schema import app_users, org, user_sessions

_RETRIES = 5

T = TypeVar("T")


def _write(engine: Engine, body: Callable[[Connection], T]) -> T:
    """Run ``body`` in one transaction, retrying a lost race for an id or a row."""
    for attempt in range(_RETRIES):
        try:
            with engine.begin() as conn:
                return body(conn)
        except (IntegrityError, OperationalError) as error:
            if attempt == _RETRIES - 1 or not audit.is_retryable(error):
                raise
    raise AssertionError("unreachable")


def ensure_auth_tables(engine: Engine) -> None:
    """Create the account tables (and ``org``, which they read) when missing."""
    tables = [org, app_users, user_sessions, audit.audit_log]
    with engine.begin() as conn:
        app_users.metadata.create_all(conn, tables=tables)


_USER_COLUMNS = (
    app_users.c.username,
    app_users.c.staff_id,
    app_users.c.role.label("role_override"),
    app_users.c.active,
    app_users.c.failed_attempts,
    app_users.c.locked_until,
    app_users.c.must_change_password,
    app_users.c.created_at,
    app_users.c.updated_at,
    org.c.staff_id.label("org_staff_id"),
    org.c.name.label("org_name"),
    org.c.role.label("org_role"),
    org.c.team.label("org_team"),
    org.c.branch.label("org_branch"),
    org.c.active.label("org_active"),
)


def _user_query() -> Select:
    """Accounts left-joined to the org: staff unknown to the org still show up."""
    joined = app_users.outerjoin(org, org.c.staff_id == app_users.c.staff_id)
    return select(*_USER_COLUMNS).select_from(joined)


def _fetch_user(conn: Connection, username: str) -> Row | None:
    """One account row by its (already normalised) username, inside a transaction."""
    return conn.execute(_user_query().where(app_users.c.username == username)).first()


def _lookup(engine: Engine, username: str) -> Row | None:
    """One account row by any spelling of its username; None for invalid names."""
    try:
        name = normalise_username(username)
    except UserError:
        return None
    with engine.connect() as conn:
        return _fetch_user(conn, name)


def _public(row: Row, now: datetime) -> dict[str, Any]:
    """An account as people may see it: never the password hash, lock state as of ``now``."""
    locked = row.locked_until is not None and row.locked_until > now
    return {
        "username": row.username,
        "staff_id": row.staff_id,
        "name": row.org_name,
        "role": _role(row),
        "role_override": row.role_override,
        "branch": row.org_branch,
        "team": row.org_team,
        "staff_status": _staff_status(row),
        "active": bool(row.active),
        "locked": locked,
        "locked_until": row.locked_until if locked else None,
        "failed_attempts": int(row.failed_attempts or 0),
        "must_change_password": bool(row.must_change_password),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def role_of(engine: Engine, username: str) -> str:
    """The role code an account acts with now; '' for unknown or disabled accounts.

    Staff-bound accounts take their role from the org as loaded now (analyst and
    director accounts may override it); staff marked inactive in the org get ''.
    """
    row = _lookup(engine, username)
    return "" if row is None else _effective_role(row)


def users_exist(engine: Engine) -> bool:
    """True once at least one account has been created (creates the tables if needed)."""
    ensure_auth_tables(engine)
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(app_users)).scalar_one() > 0


def list_users(engine: Engine, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every account with its org binding and lock state — never the password hash."""
    now = audit.local_now(now)
    with engine.connect() as conn:
        rows = conn.execute(_user_query().order_by(app_users.c.username)).fetchall()
    return [_public(row, now) for row in rows]


def get_user(engine: Engine, username: str, now: datetime | None = None) -> dict[str, Any] | None:
    """One account as :func:`list_users` shows it, or None."""
    row = _lookup(engine, username)
    return None if row is None else _public(row, audit.local_now(now))
