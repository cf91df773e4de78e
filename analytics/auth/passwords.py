"""Password hashing and the rules for usernames and passwords.

Passwords are hashed with argon2id (argon2-cffi defaults, RFC 9106 low-memory
profile) and rehashed on sign-in when those defaults move on; clear text is
never stored, logged or audited.  The hasher is the module global ``_hasher``
and every use reads it from here, so tests can swap in cheap parameters with
one ``monkeypatch.setattr(analytics.auth.passwords, "_hasher", ...)``.
"""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics.auth.errors import UserError

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 1024  # argon2 would hash megabytes; refuse them instead

_USERNAME = re.compile(r"^[\w.@-]{1,64}$")

_hasher = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4: the library's current defaults
_dummy_hashes: dict[int, str] = {}


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; the clear text is not kept)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; never raises on a mismatch."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _needs_rehash(password_hash: str) -> bool:
    """True when a stored hash predates the current hasher's parameters."""
    return _hasher.check_needs_rehash(password_hash)


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
    """Refuse empty, too short or absurdly long passwords before hashing anything."""
    if not isinstance(password, str) or not password:
        raise UserError("the password is empty")
    if len(password) < min_length:
        raise UserError(f"the password must have at least {min_length} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise UserError(f"the password must have at most {PASSWORD_MAX_LENGTH} characters")
