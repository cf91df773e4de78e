"""Creating accounts (``user_add``), bound to staff of the org or to a role.

A staff-bound account takes role, branch and team from the org as loaded
now, so only analyst and director accounts (or accounts bound to no staff)
store a role of their own.  The insert and its audit record share one
transaction, so the log never misses an account that exists.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection, Engine

from analytics import audit
from analytics.auth.accounts import _fetch_user, _public, _write
from analytics.auth.errors import DuplicateUser, UserError
from analytics.auth.passwords import PASSWORD_MIN_LENGTH, _check_password, hash_password, normalise_username
from analytics.auth.roles import OVERRIDE_ROLES, _check_role
from analytics.schema import app_users, org


def _clean_staff_id(staff_id: str | None) -> str | None:
    """A staff id as the org stores it (stripped), or None when blank."""
    if staff_id is None:
        return None
    staff_id = str(staff_id).strip()
    return staff_id or None


def _describe(staff_id: str | None, role: str | None) -> str:
    """How the audit log describes a new account's binding."""
    parts = []
    if staff_id is not None:
        parts.append(f"staff {staff_id}")
    if role is not None:
        parts.append(f"role {role}")
    return ", ".join(parts) or "no staff, no role"


def _stored_role(conn: Connection, staff_id: str | None, role: str | None) -> str | None:
    """The role to store on a new account.

    A staff-bound account may only name the role the org gives it, and then
    stores none, so it keeps following the org; analyst and director override.
    """
    if staff_id is None or role is None or role in OVERRIDE_ROLES:
        return role
    org_role = conn.execute(select(org.c.role).where(org.c.staff_id == staff_id)).scalar()
    if org_role != role:
        raise UserError(
            f"the role of staff {staff_id} comes from the org"
            f" ({org_role or 'not loaded'}); only analyst or director may override it"
        )
    return None  # the same as the org says: keep following the org


def _add_user(
    engine: Engine,
    username: str,
    password: str,
    staff_id: str | None,
    role: str | None,
    *,
    must_change_password: bool,
    actor: str | None,
    now: datetime | None,
    min_length: int,
) -> dict[str, Any]:
    """:func:`add_user` with the minimum password length as a parameter (demo accounts use 1)."""
    name = normalise_username(username)
    staff_id = _clean_staff_id(staff_id)
    role = _check_role(role)
    _check_password(password, min_length)
    if staff_id is None and role is None:
        raise UserError("give the account a staff id (工号) or, for analyst/director, a role")
    if staff_id is None and role not in OVERRIDE_ROLES:
        raise UserError(f"a {role} account needs a staff id: its scope comes from the org (branch, team)")
    now = audit.local_now(now)
    password_hash = hash_password(password)

    def body(conn: Connection) -> dict[str, Any]:
        stored_role = _stored_role(conn, staff_id, role)
        exists = conn.execute(
            select(func.count()).select_from(app_users).where(app_users.c.username == name)
        ).scalar_one()
        if exists:
            raise DuplicateUser(f"user {name!r} already exists")
        conn.execute(
            insert(app_users).values(
                username=name,
                staff_id=staff_id,
                role=stored_role,
                password_hash=password_hash,
                active=True,
                failed_attempts=0,
                locked_until=None,
                must_change_password=bool(must_change_password),
                created_at=now,
                updated_at=now,
            )
        )
        audit.record(
            conn,
            actor or name,
            "user_add",
            f"added user {name} ({_describe(staff_id, stored_role)})",
            now=now,
        )
        added = _fetch_user(conn, name)
        assert added is not None, name  # inserted above, in this transaction
        return _public(added, now)

    return _write(engine, body)


def add_user(
    engine: Engine,
    username: str,
    password: str,
    staff_id: str | None = None,
    role: str | None = None,
    *,
    must_change_password: bool = False,
    actor: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Create an account; returns it as :func:`list_users` shows it.

    ``staff_id`` binds it to a person of the org; ``role`` is only stored for
    analyst/director accounts or accounts without staff.  Raises
    :class:`DuplicateUser` or :class:`UserError`.  Writes ``user_add`` to the
    audit log under ``actor`` (default: the new username).
    """
    return _add_user(
        engine,
        username,
        password,
        staff_id,
        role,
        must_change_password=must_change_password,
        actor=actor,
        now=now,
        min_length=PASSWORD_MIN_LENGTH,
    )
