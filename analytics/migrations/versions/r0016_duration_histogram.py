"""Revision 16: cache_duration_histogram, the company's ended stints per month x stage x
length kept per as_of (阶段时长 for the whole company reads these few thousand rows
instead of joining every stint of the stale window to the opportunities; issue 19).

A derived table: rebuilt from the data per data version, as_of and stale window, so
there is nothing to carry over (and, on PostgreSQL, its index on as_of like the other
per-date caches).

Revision ID: r0016
Revises: r0015
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import BigInteger, Column, Date, Integer, MetaData, SmallInteger, Table

from analytics.dialect import date_index_on_postgresql_only

revision = "r0016"
down_revision: str | None = "r0015"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_duration_histogram = Table(
    "cache_duration_histogram",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("period", Integer),
    Column("stage", SmallInteger, nullable=False),
    Column("days", Integer),
    Column("stints", BigInteger, nullable=False),
)
date_index_on_postgresql_only(cache_duration_histogram, "as_of")


def upgrade() -> None:
    """Create the table (its rows are built on demand, at load for the newest snapshot)."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0016 is not undone")
