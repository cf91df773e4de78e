"""The audit trail: who signed in, uploaded, exported or changed an account, and when.

One row per event in ``audit_log``.  DuckDB has no BIGSERIAL, so the id is
allocated as ``max(id) + 1`` inside the writing transaction; when two writers
race for the same id the loser retries (PostgreSQL: inside a savepoint when the
caller owns the transaction).  Details are plain text written by the code,
never a password or a session token.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import cast

import pandas as pd
from sqlalchemy import String, func, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from analytics.dialect import has_savepoints
from analytics.schema import audit_log

ACTIONS = (
    "sign_in",
    "sign_in_failed",
    "sign_out",
    "upload",
    "export",
    "user_add",
    "user_disable",
    "user_enable",
    "user_reset_password",
    "user_change_password",
)
"""The actions the product writes; others are accepted if they look like these."""

_ACTION = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_RETRIES = 5
_USERNAME_MAX = cast(String, audit_log.c.username.type).length
_DETAIL_MAX = 2000


def local_now(now: datetime | None = None) -> datetime:
    """Naive local time, as every timestamp of the warehouse is stored.

    An aware ``now`` is converted to local time first.
    """
    if now is None:
        return datetime.now()
    if now.tzinfo is not None:
        return now.astimezone().replace(tzinfo=None)
    return now


def is_retryable(error: BaseException) -> bool:
    """A duplicate key or a DuckDB write-write conflict: worth one more try."""
    if isinstance(error, IntegrityError):
        return True
    return isinstance(error, OperationalError) and "onflict" in str(error)


def _insert(conn: Connection, values: dict) -> int:
    current = conn.execute(select(func.max(audit_log.c.id))).scalar()
    new_id = int(current or 0) + 1
    conn.execute(insert(audit_log).values(id=new_id, **values))
    return new_id


def record(
    engine_or_conn: Engine | Connection,
    username: str | None,
    action: str,
    detail: str = "",
    success: bool = True,
    now: datetime | None = None,
) -> int:
    """Write one audit row and return its id.

    With an Engine the row is committed in its own transaction; with a
    Connection it joins the caller's transaction (and is rolled back with it).
    """
    if not _ACTION.match(action or ""):
        raise ValueError(f"not an audit action: {action!r}")
    values = {
        "at": local_now(now),
        "username": None if username is None else str(username)[:_USERNAME_MAX],
        "action": action,
        "detail": None if detail is None else str(detail)[:_DETAIL_MAX],
        "success": bool(success),
    }
    if isinstance(engine_or_conn, Engine):
        for attempt in range(_RETRIES):
            try:
                with engine_or_conn.begin() as conn:
                    return _insert(conn, values)
            except (IntegrityError, OperationalError) as error:
                if attempt == _RETRIES - 1 or not is_retryable(error):
                    raise
        raise AssertionError("unreachable")
    conn = engine_or_conn
    if not has_savepoints(conn):
        return _insert(conn, values)  # DuckDB: one writer per file, so no race to retry
    for attempt in range(_RETRIES):
        try:
            with conn.begin_nested():
                return _insert(conn, values)
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def recent(
    engine: Engine,
    limit: int = 500,
    action: str | None = None,
    username: str | None = None,
) -> pd.DataFrame:
    """The newest audit rows first: id, at, username, action, detail, success."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(max(0, int(limit)))
    if action is not None:
        query = query.where(audit_log.c.action == action)
    if username is not None:
        query = query.where(audit_log.c.username == username)
    with engine.connect() as conn:
        rows = conn.execute(query).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in audit_log.columns])
