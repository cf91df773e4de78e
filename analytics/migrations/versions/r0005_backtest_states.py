"""Revision 5: cache_backtest_states, the narrow per-date state the calibration backtest reads.

A derived table (issue 20 item 5): rebuilt from the data per data version, so
there is nothing to carry over; created where missing (derived.ensure may have
made it already), with its PostgreSQL-only index on as_of like the other
per-date caches.

Revision ID: r0005
Revises: r0004
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Boolean, Column, Date, Double, Integer, MetaData, SmallInteger, String, Table

from analytics.dialect import date_index_on_postgresql_only

revision = "r0005"
down_revision: str | None = "r0004"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_backtest_states = Table(
    "cache_backtest_states",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("opportunity_id", String(40)),
    Column("industry", String(32)),
    Column("product", String(32)),
    Column("business_type", String(16)),
    Column("origin", String(16)),
    Column("campaign", String(64)),
    Column("owner_id", String(32)),
    Column("team", String(64)),
    Column("branch", String(32)),
    Column("stage", SmallInteger),
    Column("status", String(12)),
    Column("annual_value", Double),
    Column("created_date", Date),
    Column("closed_date", Date),
    Column("user_count", Integer),
    Column("demonstration", Boolean),
    Column("influence", Boolean),
    Column("known_max_stage", SmallInteger),
    Column("known_stint_entered_date", Date),
)
date_index_on_postgresql_only(cache_backtest_states, "as_of")


def upgrade() -> None:
    """Create the table (and, on PostgreSQL, its index) where missing."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0005 is not undone")
