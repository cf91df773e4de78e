"""Sign-in, sessions and layered access (统一指挥、逐层管控) — no UI here.

* Accounts live in ``app_users``.  An account is bound to a person of the org
  (``staff_id``) and takes its role, branch and team from the org rows *as loaded
  now*, so a manager who moves team sees the new team after the next org load.
  A role stored on the account overrides the org only for analyst and director
  accounts, or for accounts bound to no staff at all (bootstrap, service users).
* Passwords are hashed with argon2id (argon2-cffi defaults, RFC 9106 low-memory
  profile) and rehashed on sign-in when those defaults move on.  Clear text is
  never stored, logged or audited.
* After ``settings.max_failed_logins`` consecutive failures an account is locked
  for ``settings.lockout_minutes``; while locked even the right password is
  refused (and not even checked).  A successful sign-in resets the counter.
* Sessions are random tokens (``secrets.token_urlsafe``); only their SHA-256 is
  stored, so a copy of the database does not hold usable tokens.
* Every sign-in, failed sign-in, sign-out and account change is written to the
  audit log (analytics/audit.py).

All timestamps are naive local time, like the rest of the warehouse; every
function that depends on the clock takes ``now`` so tests can move it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, case, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import IntegrityError, OperationalError

from analytics import audit
from analytics.schema import app_users, org, user_sessions
from analytics.scope import Scope
from analytics.settings import Settings, load_settings

ROLES = (
    "account_manager",
    "team_manager",
    "industry_manager",
    "branch_head",
    "director",
    "analyst",
)
"""Normalised org role codes (data-contract.md, ``org``)."""

OVERRIDE_ROLES = frozenset({"analyst", "director"})
"""Roles an account may carry itself, whatever the org says."""

UPLOAD_ROLES = frozenset({"analyst", "director"})
ADMIN_ROLES = frozenset({"director"})
TEAM_ROLES = frozenset({"team_manager", "industry_manager"})

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 1024  # argon2 would hash megabytes; refuse them instead
DEMO_USERNAMES = ("director", "branch_head", "team_manager", "account_manager", "analyst")

_USERNAME = re.compile(r"^[\w.@-]{1,64}$")
_TOKEN_MAX = 512
_RETRIES = 5

_hasher = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4: the library's current defaults
_dummy_hashes: dict[int, str] = {}

T = TypeVar("T")


class UserError(ValueError):
    """An expected problem with an account request (shown to people as is)."""


class DuplicateUser(UserError):
    """The username is taken."""


class UnknownUser(UserError):
    """No account has this username."""


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


# --------------------------------------------------------------------------- helpers


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; the clear text is not kept)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; never raises on a mismatch."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _burn_time(password: str) -> None:
    """Verify against a throw-away hash so unknown users cost as much as known ones."""
    key = id(_hasher)
    if key not in _dummy_hashes:
        _dummy_hashes.clear()
        _dummy_hashes[key] = _hasher.hash(secrets.token_urlsafe(16))
    verify_password(_dummy_hashes[key], password)


def normalise_username(username: str) -> str:
    """Usernames are case-insensitive: stripped and lower-cased; refuse odd ones."""
    name = (username or "").strip().lower() if isinstance(username, str) else ""
    if not _USERNAME.match(name):
        raise UserError(
            "a username is 1–64 letters, digits or . _ - @ (no spaces)"
            f"{'' if not name else ': ' + repr(name[:70])}"
        )
    return name


def _check_password(password: str, min_length: int = PASSWORD_MIN_LENGTH) -> None:
    if not isinstance(password, str) or not password:
        raise UserError("the password is empty")
    if len(password) < min_length:
        raise UserError(f"the password must have at least {min_length} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise UserError(f"the password must have at most {PASSWORD_MAX_LENGTH} characters")


def _check_role(role: str | None) -> str | None:
    if role is None or role == "":
        return None
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; known roles: {', '.join(ROLES)}")
    return role


def _clean_staff_id(staff_id: str | None) -> str | None:
    if staff_id is None:
        return None
    staff_id = str(staff_id).strip()
    return staff_id or None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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


# ------------------------------------------------------------------ account lookup

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


def _user_query():
    joined = app_users.outerjoin(org, org.c.staff_id == app_users.c.staff_id)
    return select(*_USER_COLUMNS).select_from(joined)


def _fetch_user(conn: Connection, username: str) -> Row | None:
    return conn.execute(_user_query().where(app_users.c.username == username)).first()


def _lookup(engine: Engine, username: str) -> Row | None:
    try:
        name = normalise_username(username)
    except UserError:
        return None
    with engine.connect() as conn:
        return _fetch_user(conn, name)


def _staff_status(row: Row) -> str | None:
    """None (no staff bound), 'unknown' (not in org), 'left' (inactive) or 'active'."""
    if row.staff_id is None:
        return None
    if row.org_staff_id is None:
        return "unknown"
    return "active" if row.org_active else "left"


def _role(row: Row) -> str:
    """The role an account acts with, ignoring whether it may act at all."""
    override = row.role_override if row.role_override in ROLES else None
    if row.staff_id is None:
        return override or ""
    if override in OVERRIDE_ROLES:
        return override
    if row.org_staff_id is not None and row.org_role in ROLES:
        return row.org_role
    return ""


def _effective_role(row: Row) -> str:
    """The role, or '' for a disabled account or staff who left the org."""
    if not row.active or _staff_status(row) == "left":
        return ""
    return _role(row)


def _public(row: Row, now: datetime) -> dict[str, Any]:
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


def can_upload(role: str | None) -> bool:
    """Analysts and directors may load data."""
    return role in UPLOAD_ROLES


def can_admin(role: str | None) -> bool:
    """Directors may manage accounts and read the audit log."""
    return role in ADMIN_ROLES


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


# ------------------------------------------------------------------ account changes


def _describe(staff_id: str | None, role: str | None) -> str:
    parts = []
    if staff_id is not None:
        parts.append(f"staff {staff_id}")
    if role is not None:
        parts.append(f"role {role}")
    return ", ".join(parts) or "no staff, no role"


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
        stored_role = role
        if staff_id is not None and role is not None and role not in OVERRIDE_ROLES:
            org_role = conn.execute(select(org.c.role).where(org.c.staff_id == staff_id)).scalar()
            if org_role != role:
                raise UserError(
                    f"the role of staff {staff_id} comes from the org"
                    f" ({org_role or 'not loaded'}); only analyst or director may override it"
                )
            stored_role = None  # the same as the org says: keep following the org
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
        return _public(_fetch_user(conn, name), now)

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


# -------------------------------------------------------------------------- sign-in


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

    with engine.connect() as conn:
        stored = conn.execute(select(app_users.c.password_hash).where(app_users.c.username == name)).scalar()
    if not isinstance(password, str) or stored is None or not verify_password(stored, password):
        return _count_failure(engine, name, settings, now)

    new_hash = hash_password(password) if _hasher.check_needs_rehash(stored) else None

    def succeed(conn: Connection) -> None:
        values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None}
        if new_hash is not None:
            values["password_hash"] = new_hash
        conn.execute(update(app_users).where(app_users.c.username == name).values(**values))
        detail = "signed in" + (" (password rehashed)" if new_hash else "")
        audit.record(conn, name, "sign_in", detail, True, now)

    _write(engine, succeed)
    return AuthResult(True, "ok", name, must_change_password=bool(row.must_change_password))


def _count_failure(engine: Engine, name: str, settings: Settings, now: datetime) -> AuthResult:
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


# ------------------------------------------------------------------------- sessions


def create_session(engine: Engine, username: str, settings: Settings, now: datetime | None = None) -> str:
    """A new session token for a signed-in user, valid ``settings.session_hours``.

    Only the token's SHA-256 is stored; the caller keeps the token.  Expired
    sessions are purged on the way.
    """
    now = audit.local_now(now)
    name = normalise_username(username)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=float(settings.session_hours))

    def body(conn: Connection) -> None:
        found = conn.execute(
            select(func.count())
            .select_from(app_users)
            .where(app_users.c.username == name, app_users.c.active.is_(True))
        ).scalar_one()
        if not found:
            raise UnknownUser(f"no active user {name!r}")
        conn.execute(delete(user_sessions).where(user_sessions.c.expires_at <= now))
        conn.execute(
            insert(user_sessions).values(
                token_hash=_token_hash(token),
                username=name,
                created_at=now,
                expires_at=expires,
                revoked=False,
            )
        )

    _write(engine, body)
    return token


def resolve_session(engine: Engine, token: str | None, now: datetime | None = None) -> str | None:
    """The username behind a live session token; None when expired, revoked,
    unknown, or the account was disabled since."""
    if not isinstance(token, str) or not token or len(token) > _TOKEN_MAX:
        return None
    now = audit.local_now(now)
    query = (
        select(user_sessions.c.username)
        .select_from(user_sessions.join(app_users, app_users.c.username == user_sessions.c.username))
        .where(
            user_sessions.c.token_hash == _token_hash(token),
            user_sessions.c.revoked.is_(False),
            user_sessions.c.expires_at > now,
            app_users.c.active.is_(True),
        )
    )
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def revoke_session(engine: Engine, token: str | None, now: datetime | None = None) -> bool:
    """End a session (sign-out); True when a live session was ended (``sign_out``)."""
    if not isinstance(token, str) or not token or len(token) > _TOKEN_MAX:
        return False
    now = audit.local_now(now)
    token_hash = _token_hash(token)

    def body(conn: Connection) -> bool:
        username = conn.execute(
            select(user_sessions.c.username).where(
                user_sessions.c.token_hash == token_hash, user_sessions.c.revoked.is_(False)
            )
        ).scalar()
        if username is None:
            return False
        conn.execute(
            update(user_sessions).where(user_sessions.c.token_hash == token_hash).values(revoked=True)
        )
        audit.record(conn, username, "sign_out", "signed out", True, now)
        return True

    return _write(engine, body)


def _revoke_all(conn: Connection, username: str) -> None:
    conn.execute(
        update(user_sessions)
        .where(user_sessions.c.username == username, user_sessions.c.revoked.is_(False))
        .values(revoked=True)
    )


def revoke_user_sessions(engine: Engine, username: str) -> None:
    """End every session of one account (e.g. after a suspected compromise)."""
    name = normalise_username(username)
    _write(engine, lambda conn: _revoke_all(conn, name))


# ---------------------------------------------------------------------------- scope

_WORDS = {
    "zh": {"company": "全公司", "nothing": "无数据权限"},
    "en": {"company": "whole company", "nothing": "no data access"},
}


def _label(row: Row | None, username: str, where: str) -> str:
    """A person's name (or the username) and the part of the organisation they see."""
    name = (row.org_name if row is not None else None) or username
    return f"{name} · {where}" if where else name


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
    role = _role(row)
    place = " / ".join(p for p in (row.org_branch, row.org_team) if p)
    if role == "director":
        scope = Scope.company()
        where = words["company"]
    elif role == "analyst":
        if settings.read_roles_for_analyst != "company":
            return nothing
        scope = Scope.company()
        where = words["company"]
    elif role == "branch_head" and row.org_branch:
        scope = Scope.of_branch(row.org_branch)
        where = row.org_branch
    elif role in TEAM_ROLES and row.org_team:
        scope = Scope.of_team(row.org_team)
        where = place
    elif role == "account_manager" and row.staff_id:
        scope = Scope.of_owner(row.staff_id)
        where = place or row.staff_id
    else:
        return nothing
    return replace(scope, label=_label(row, row.username, where))


# ----------------------------------------------------------------------------- demo


def _pick(staff: list[Row], role: str, **wanted: Any) -> Row | None:
    for person in staff:
        if person.role == role and all(getattr(person, k) == v for k, v in wanted.items()):
            return person
    return None


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

    manager = next(
        (
            m
            for m in staff
            if m.role == "team_manager" and m.team and _pick(staff, "account_manager", team=m.team)
        ),
        None,
    ) or next((m for m in staff if m.role == "team_manager" and m.team), None)
    account_manager = (_pick(staff, "account_manager", team=manager.team) if manager else None) or _pick(
        staff, "account_manager"
    )
    head = (_pick(staff, "branch_head", branch=manager.branch) if manager else None) or next(
        (b for b in staff if b.role == "branch_head" and b.branch), None
    )
    director = _pick(staff, "director")
    analyst = _pick(staff, "analyst")

    plan: list[tuple[str, str | None, str | None]] = [
        ("director", director.staff_id if director else None, None if director else "director"),
        ("branch_head", head.staff_id if head else None, None),
        ("team_manager", manager.staff_id if manager else None, None),
        ("account_manager", account_manager.staff_id if account_manager else None, None),
        ("analyst", analyst.staff_id if analyst else None, None if analyst else "analyst"),
    ]
    out = []
    for username, staff_id, role in plan:
        created = False
        if _lookup(engine, username) is None:
            if staff_id is None and role is None:
                continue  # nobody in the org fits this role
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
                created = True
            except DuplicateUser:
                pass  # created meanwhile by another session
        user = get_user(engine, username)
        scope = scope_for_user(engine, username, settings)
        out.append(
            {
                "username": username,
                "role": role_of(engine, username),
                "staff_id": user["staff_id"],
                "name": user["name"] or username,
                "scope_label": scope.label,
                "label": scope.label,  # the same, under the short name
                "scope_level": scope.level,
                "created": created,
            }
        )
    return out
