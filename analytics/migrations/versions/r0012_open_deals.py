"""Revision 12: cache_open_deals and cache_support_open, the open deals and the open support
requests as the pages list them (issue 19).

Derived tables: rebuilt from the data per data version, as_of and settings, so
there is nothing to carry over; created where missing (derived.ensure may have
made them already), each with its PostgreSQL-only index on as_of like the other
per-date caches.

Revision ID: r0012
Revises: r0011
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Double,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
)

from analytics.dialect import date_index_on_postgresql_only

revision = "r0012"
down_revision: str | None = "r0011"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_open_deals = Table(
    "cache_open_deals",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("opportunity_id", String(40)),
    Column("name", String(200)),
    Column("customer_name", String(200)),
    Column("owner_id", String(32)),
    Column("owner_name", String(64)),
    Column("team", String(64)),
    Column("branch", String(32)),
    Column("product", String(32)),
    Column("industry", String(32)),
    Column("business_type", String(16)),
    Column("origin", String(16)),
    Column("campaign", String(64)),
    Column("created_date", Date),
    Column("stage", SmallInteger),
    Column("annual_value", Double),
    Column("expected_close_date", Date),
    Column("abnormal", Boolean),
    Column("value_order", BigInteger),
    Column("opportunity_class", String(16)),
    *(Column(name, Boolean) for name in ("is_key", "is_competitive", "overdue", "stale", "idle")),
    Column("is_problem", Boolean),
    Column("stint_age_days", BigInteger),
    Column("stale_threshold_days", Double),
    Column("last_activity_date", Date),
    Column("slip_count", Integer),
    Column("p_win", Double),
    Column("expected_value", Double),
    Column("support_open", BigInteger),
)
date_index_on_postgresql_only(cache_open_deals, "as_of")

cache_support_open = Table(
    "cache_support_open",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("request_id", String(40)),
    Column("type", String(16)),
    Column("requested_date", Date),
    Column("waited_days", Integer),
    Column("opportunity_id", String(40)),
    Column("name", String(200)),
    Column("customer_name", String(200)),
    Column("owner_id", String(32)),
    Column("owner_name", String(64)),
    Column("team", String(64)),
    Column("branch", String(32)),
    Column("status", String(12)),
    Column("stage", SmallInteger),
    Column("annual_value", Double),
    Column("closed_date", Date),
    Column("product", String(32)),
    Column("industry", String(32)),
    Column("business_type", String(16)),
    Column("origin", String(16)),
    Column("campaign", String(64)),
    Column("created_date", Date),
    Column("opportunity_class", String(16)),
    Column("is_key", Boolean),
    Column("on_closed_deal", Boolean),
)
date_index_on_postgresql_only(cache_support_open, "as_of")


def upgrade() -> None:
    """Create the tables (and, on PostgreSQL, their indexes) where missing."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0012 is not undone")
