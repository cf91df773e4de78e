"""Session tokens: create, resolve and revoke.

Sessions are random tokens (``secrets.token_urlsafe``); only their SHA-256 is
stored, so a copy of the database does not hold usable tokens.  Expired
sessions are purged when new ones are made; sign-out is audited.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from analytics import audit
from analytics.auth.accounts import _write
from analytics.auth.errors import UnknownUser
from analytics.auth.passwords import normalise_username
from analytics.schema import app_users, user_sessions
from analytics.settings import Settings

_TOKEN_MAX = 512


def _token_hash(token: str) -> str:
    """What is stored for a token: its SHA-256, useless to whoever copies the database."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
    """End every live session of one account inside the caller's transaction."""
    conn.execute(
        update(user_sessions)
        .where(user_sessions.c.username == username, user_sessions.c.revoked.is_(False))
        .values(revoked=True)
    )


def revoke_user_sessions(engine: Engine, username: str) -> None:
    """End every session of one account (e.g. after a suspected compromise)."""
    name = normalise_username(username)
    _write(engine, lambda conn: _revoke_all(conn, name))
