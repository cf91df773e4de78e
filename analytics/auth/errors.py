"""The errors an account request may raise, kept apart so every auth module can raise them.

They are ``ValueError`` subclasses whose text is meant to be shown to people
as is (the users page and ``python -m analytics users`` print it unchanged).
"""

from __future__ import annotations


class UserError(ValueError):
    """An expected problem with an account request (shown to people as is)."""


class DuplicateUser(UserError):
    """The username is taken."""


class UnknownUser(UserError):
    """No account has this username."""
