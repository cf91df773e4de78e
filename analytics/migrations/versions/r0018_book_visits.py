"""Revision 18: cache_book_visits, per account manager x customer the last activity on or
before as_of, kept per as_of (我的商机's book of customers with no open deal reads a
manager's few rows instead of every activity; issue 19).

A derived table: rebuilt from the data per data version and as_of, so there is nothing
to carry over (and, on PostgreSQL, its index on as_of like the other per-date caches).

Revision ID: r0018
Revises: r0017
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, Date, MetaData, String, Table

from analytics.dialect import date_index_on_postgresql_only

revision = "r0018"
down_revision: str | None = "r0017"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_book_visits = Table(
    "cache_book_visits",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("staff_id", String(32), nullable=False),
    Column("customer_id", String(40)),
    Column("last_activity_date", Date),
)
date_index_on_postgresql_only(cache_book_visits, "as_of")


def upgrade() -> None:
    """Create the table (its rows are built on demand, at load for the newest snapshot)."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0018 is not undone")
