"""Revision 4: meeting-pack subscriptions and their deliveries (issue 18).

Two new tables, created where missing; nothing else changes.

Revision ID: r0004
Revises: r0003
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

revision = "r0004"
down_revision: str | None = "r0003"
branch_labels = None
depends_on = None

metadata = MetaData()

Table(
    "pack_subscriptions",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("recipient", String(64), nullable=False),
    Column("email", String(254)),
    Column("formats", String(16), nullable=False),
    Column("schedule", String(8), nullable=False),
    Column("weekday", SmallInteger),
    Column("day_of_month", SmallInteger),
    Column("at_time", String(5), nullable=False),
    Column("filters", Text, nullable=False),
    Column("channel", String(8), nullable=False),
    Column("paused", Boolean, nullable=False),
    Column("created_by", String(64)),
    Column("created_at", DateTime, nullable=False),
)

Table(
    "pack_deliveries",
    metadata,
    Column("subscription_id", BigInteger, primary_key=True, autoincrement=False),
    Column("due_at", DateTime, primary_key=True),
    Column("kind", String(8), nullable=False),
    Column("status", String(8), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("attempted_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
    Column("as_of", Date),
    Column("detail", Text),
)


def upgrade() -> None:
    """Create the two tables where missing."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0004 is not undone")
