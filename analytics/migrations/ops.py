"""What a revision asks of the warehouse before changing it.

Warehouses made between the previous release and the first migration had tables
and columns added by ``create_all`` and the retired ``LATE_COLUMNS`` step, so the
revisions that cover those changes create only what is missing.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect


def has_table(name: str) -> bool:
    """Whether the warehouse holds table ``name``."""
    return inspect(op.get_bind()).has_table(name)


def has_column(table: str, column: str) -> bool:
    """Whether ``table`` has ``column``."""
    return column in {c["name"] for c in inspect(op.get_bind()).get_columns(table)}
