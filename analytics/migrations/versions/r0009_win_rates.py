"""Revision 9: cache_win_rates, the per-date rate tables p(o) learns from (issue 19).

A derived table: rebuilt from the data per data version, as_of and settings, so
there is nothing to carry over; created where missing (derived.ensure may have
made it already), with its PostgreSQL-only index on as_of like the other
per-date caches.

Revision ID: r0009
Revises: r0008
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import BigInteger, Column, Date, Integer, MetaData, SmallInteger, String, Table

from analytics.dialect import date_index_on_postgresql_only

revision = "r0009"
down_revision: str | None = "r0008"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_win_rates = Table(
    "cache_win_rates",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("stage", SmallInteger, nullable=False),
    Column("age_bin", Integer),
    Column("opportunity_class", String(32)),
    Column("product", String(32)),
    Column("closed", BigInteger, nullable=False),
    Column("won", BigInteger, nullable=False),
)
date_index_on_postgresql_only(cache_win_rates, "as_of")


def upgrade() -> None:
    """Create the table (and, on PostgreSQL, its index) where missing."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0009 is not undone")
