"""Changing existing accounts: disable, enable, reset and change passwords.

Every change runs in one transaction with its audit record (``user_disable``,
``user_enable``, ``user_reset_password``, ``user_change_password``), so the
log never misses a change that happened.  Disabling an account or resetting
its password also ends its sessions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Engine

from analytics import audit
from analytics.auth.accounts import _lookup, _write
from analytics.auth.errors import UnknownUser
from analytics.auth.passwords import _check_password, hash_password, normalise_username, verify_password
from analytics.auth.sessions import _revoke_all
from analytics.schema import app_users


def _change(
    engine: Engine,
    username: str,
    values: dict[str, Any],
    action: str,
    detail: str,
    actor: str | None,
    now: datetime,
    revoke_sessions: bool,
) -> None:
    """Update one existing account and audit it in the same transaction."""
    name = normalise_username(username)

    def body(conn: Connection) -> None:
        found = conn.execute(
            select(func.count()).select_from(app_users).where(app_users.c.username == name)
        ).scalar_one()
        if not found:
            raise UnknownUser(f"no user {name!r}")
        conn.execute(update(app_users).where(app_users.c.username == name).values(updated_at=now, **values))
        if revoke_sessions:
            _revoke_all(conn, name)
        audit.record(conn, actor or name, action, detail.format(name=name), now=now)

    _write(engine, body)


def disable_user(
    engine: Engine, username: str, *, actor: str | None = None, now: datetime | None = None
) -> None:
    """Stop an account from signing in and end its sessions (``user_disable``)."""
    _change(
        engine,
        username,
        {"active": False},
        "user_disable",
        "disabled user {name}",
        actor,
        audit.local_now(now),
        revoke_sessions=True,
    )


def enable_user(
    engine: Engine, username: str, *, actor: str | None = None, now: datetime | None = None
) -> None:
    """Let a disabled account sign in again, with a clean lock-out counter."""
    _change(
        engine,
        username,
        {"active": True, "failed_attempts": 0, "locked_until": None},
        "user_enable",
        "enabled user {name}",
        actor,
        audit.local_now(now),
        revoke_sessions=False,
    )


def reset_password(
    engine: Engine,
    username: str,
    new_password: str,
    *,
    must_change_password: bool = True,
    actor: str | None = None,
    now: datetime | None = None,
) -> None:
    """Set a new password (an administrator's act): unlocks the account and ends
    its sessions.  By default the user must choose a new one at next sign-in."""
    _check_password(new_password)
    _change(
        engine,
        username,
        {
            "password_hash": hash_password(new_password),
            "failed_attempts": 0,
            "locked_until": None,
            "must_change_password": bool(must_change_password),
        },
        "user_reset_password",
        "reset the password of {name}",
        actor,
        audit.local_now(now),
        revoke_sessions=True,
    )


def change_password(
    engine: Engine,
    username: str,
    old_password: str,
    new_password: str,
    now: datetime | None = None,
) -> bool:
    """A user's own change: True when ``old_password`` was right and the new one is set."""
    _check_password(new_password)
    now = audit.local_now(now)
    row = _lookup(engine, username)
    if row is None or not row.active:
        return False
    with engine.connect() as conn:
        stored = conn.execute(
            select(app_users.c.password_hash).where(app_users.c.username == row.username)
        ).scalar()
    if stored is None or not verify_password(stored, old_password):
        audit.record(engine, row.username, "user_change_password", "wrong current password", False, now)
        return False
    _change(
        engine,
        row.username,
        {"password_hash": hash_password(new_password), "must_change_password": False},
        "user_change_password",
        "changed own password",
        row.username,
        now,
        revoke_sessions=False,
    )
    return True
