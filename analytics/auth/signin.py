"""Sign-in: password check, failure counting and lock-out.

After ``settings.max_failed_logins`` consecutive failures an account is locked
for ``settings.lockout_minutes``; while locked even the right password is
refused (and not even checked).  A successful sign-in resets the counter.
Unknown usernames cost as much time as known ones, and every attempt is
written to the audit log — never the password itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.engine import Connection, Engine, Row

from analytics import audit
from analytics.auth.accounts import _lookup, _write
from analytics.auth.errors import UserError
from analytics.auth.passwords import (
    _burn_time,
    _needs_rehash,
    hash_password,
    normalise_username,
    verify_password,
)
from analytics.auth.roles import _staff_status
from analytics.schema import app_users
from analytics.settings import Settings


@dataclass(frozen=True)
class AuthResult:
    """The outcome of one sign-in attempt.

    ``reason`` is 'ok' on success, else one of 'unknown', 'bad_password',
    'locked', 'disabled'.  ``locked_until`` is set while (or once) the account
    is locked.
    """

    ok: bool
    reason: str
    username: str
    must_change_password: bool = False
    locked_until: datetime | None = None


def _audit_name(username: str) -> str:
    """What the audit log may say about an attempted username.

    Text that is no valid username (often a password typed in the wrong box)
    is not written down.
    """
    try:
        return normalise_username(username)
    except UserError:
        return "(invalid username)"


def authenticate(
    engine: Engine,
    username: str,
    password: str,
    settings: Settings,
    now: datetime | None = None,
) -> AuthResult:
    """Check a username and password; count failures, lock, audit.  Never raises
    for a bad input; the password is never written anywhere."""
    now = audit.local_now(now)
    row = _lookup(engine, username)
    if row is None:
        _burn_time(password if isinstance(password, str) else "")
        name = _audit_name(username)
        audit.record(engine, name, "sign_in_failed", "unknown user", False, now)
        return AuthResult(False, "unknown", name)
    refused = _refusal(engine, row, now)
    if refused is not None:
        return refused
    name = row.username
    with engine.connect() as conn:
        stored = conn.execute(select(app_users.c.password_hash).where(app_users.c.username == name)).scalar()
    if not isinstance(password, str) or stored is None or not verify_password(stored, password):
        return _count_failure(engine, name, settings, now)
    _succeed(engine, name, password, stored, now)
    return AuthResult(True, "ok", name, must_change_password=bool(row.must_change_password))


def _refusal(engine: Engine, row: Row, now: datetime) -> AuthResult | None:
    """Why a known account may not sign in now (audited), decided before any password check."""
    name = row.username
    if not row.active:
        audit.record(engine, name, "sign_in_failed", "account disabled", False, now)
        return AuthResult(False, "disabled", name)
    if _staff_status(row) == "left":
        detail = f"staff {row.staff_id} is no longer active in the org"
        audit.record(engine, name, "sign_in_failed", detail, False, now)
        return AuthResult(False, "disabled", name)
    if row.locked_until is not None and row.locked_until > now:
        detail = f"account locked until {row.locked_until:%Y-%m-%d %H:%M}"
        audit.record(engine, name, "sign_in_failed", detail, False, now)
        return AuthResult(False, "locked", name, locked_until=row.locked_until)
    return None


def _succeed(engine: Engine, name: str, password: str, stored: str, now: datetime) -> None:
    """Reset the failure count, upgrading an outdated hash on the way, in one audited write."""
    new_hash = hash_password(password) if _needs_rehash(stored) else None

    def succeed(conn: Connection) -> None:
        values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None}
        if new_hash is not None:
            values["password_hash"] = new_hash
        conn.execute(update(app_users).where(app_users.c.username == name).values(**values))
        detail = "signed in" + (" (password rehashed)" if new_hash else "")
        audit.record(conn, name, "sign_in", detail, True, now)

    _write(engine, succeed)


def _count_failure(engine: Engine, name: str, settings: Settings, now: datetime) -> AuthResult:
    """Count one bad password and lock the account once the limit is reached."""
    limit = int(settings.max_failed_logins)
    lock_for = timedelta(minutes=int(settings.lockout_minutes))
    expired = and_(app_users.c.locked_until.is_not(None), app_users.c.locked_until <= now)

    def fail(conn: Connection) -> datetime | None:
        # One atomic UPDATE: an expired lock starts a fresh count.
        conn.execute(
            update(app_users)
            .where(app_users.c.username == name)
            .values(
                failed_attempts=case((expired, 1), else_=func.coalesce(app_users.c.failed_attempts, 0) + 1),
                locked_until=case((expired, None), else_=app_users.c.locked_until),
            )
        )
        count = conn.execute(
            select(app_users.c.failed_attempts).where(app_users.c.username == name)
        ).scalar_one()
        locked_until = None
        if limit > 0 and count >= limit:
            locked_until = now + lock_for
            conn.execute(
                update(app_users).where(app_users.c.username == name).values(locked_until=locked_until)
            )
        detail = f"bad password ({count} in a row)"
        if locked_until is not None:
            detail += f"; locked until {locked_until:%Y-%m-%d %H:%M}"
        audit.record(conn, name, "sign_in_failed", detail, False, now)
        return locked_until

    locked_until = _write(engine, fail)
    return AuthResult(False, "bad_password", name, locked_until=locked_until)
