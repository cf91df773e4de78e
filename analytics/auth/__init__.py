"""Sign-in, sessions and layered access (统一指挥、逐层管控) — no UI here.

* Accounts live in ``app_users``.  An account is bound to a person of the org
  (``staff_id``) and takes its role, branch and team from the org rows *as loaded
  now*, so a manager who moves team sees the new team after the next org load.
  A role stored on the account overrides the org only for analyst and director
  accounts, or for accounts bound to no staff at all (bootstrap, service users).
* Passwords are hashed with argon2id and rehashed on sign-in when the library
  defaults move on.  Clear text is never stored, logged or audited.
* After ``settings.max_failed_logins`` consecutive failures an account is locked
  for ``settings.lockout_minutes``.  Sessions are random tokens of which only
  the SHA-256 is stored.
* Every sign-in, failed sign-in, sign-out and account change is written to the
  audit log (analytics/audit.py).

All timestamps are naive local time, like the rest of the warehouse; every
function that depends on the clock takes ``now`` so tests can move it.

Callers use this package (``from analytics import auth``); its modules, each
one concern: ``errors``; ``roles`` (role codes, the role an account acts
with); ``passwords`` (hashing, username and password rules); ``accounts``
(reading rows joined to the org, listing, the retried write); ``users``
(adding accounts); ``user_changes`` (disable, enable, password resets and
changes); ``signin`` (authenticate, lock-out); ``sessions`` (tokens);
``scope`` (scope_for_user); ``demo_users`` (one account per role).
"""

from __future__ import annotations

from analytics.auth.accounts import ensure_auth_tables, get_user, list_users, role_of, users_exist
from analytics.auth.demo_users import DEMO_USERNAMES, ensure_demo_users
from analytics.auth.errors import DuplicateUser, UnknownUser, UserError
from analytics.auth.passwords import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    hash_password,
    normalise_username,
    verify_password,
)
from analytics.auth.roles import (
    ADMIN_ROLES,
    OVERRIDE_ROLES,
    ROLES,
    TEAM_ROLES,
    UPLOAD_ROLES,
    can_admin,
    can_upload,
)
from analytics.auth.scope import scope_for_user
from analytics.auth.sessions import create_session, resolve_session, revoke_session, revoke_user_sessions
from analytics.auth.signin import AuthResult, authenticate
from analytics.auth.user_changes import change_password, disable_user, enable_user, reset_password
from analytics.auth.users import add_user

__all__ = [
    "ADMIN_ROLES",
    "DEMO_USERNAMES",
    "OVERRIDE_ROLES",
    "PASSWORD_MAX_LENGTH",
    "PASSWORD_MIN_LENGTH",
    "ROLES",
    "TEAM_ROLES",
    "UPLOAD_ROLES",
    "AuthResult",
    "DuplicateUser",
    "UnknownUser",
    "UserError",
    "add_user",
    "authenticate",
    "can_admin",
    "can_upload",
    "change_password",
    "create_session",
    "disable_user",
    "enable_user",
    "ensure_auth_tables",
    "ensure_demo_users",
    "get_user",
    "hash_password",
    "list_users",
    "normalise_username",
    "reset_password",
    "resolve_session",
    "revoke_session",
    "revoke_user_sessions",
    "role_of",
    "scope_for_user",
    "users_exist",
    "verify_password",
]
