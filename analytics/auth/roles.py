"""Role codes and the role an account acts with (统一指挥、逐层管控).

An account bound to staff takes its role from the org *as loaded now*, so a
manager who moves team or leaves is seen as such after the next org load; a
role stored on the account only wins for analyst and director accounts, or
for accounts bound to no staff at all (bootstrap, service users).  These rules
live here, apart from any SQL, so sign-in, scope and listing agree on them.
"""

from __future__ import annotations

from sqlalchemy.engine import Row

from analytics.auth.errors import UserError

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


def can_upload(role: str | None) -> bool:
    """Analysts and directors may load data."""
    return role in UPLOAD_ROLES


def can_admin(role: str | None) -> bool:
    """Directors may manage accounts and read the audit log."""
    return role in ADMIN_ROLES


def _check_role(role: str | None) -> str | None:
    """A known role code, or None for 'no role given'; refuse typos early."""
    if role is None or role == "":
        return None
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; known roles: {', '.join(ROLES)}")
    return role


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
