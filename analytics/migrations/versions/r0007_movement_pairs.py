"""Revision 7: cache_movement_pairs, the 周例会 pair table (issue 15's speed).

A derived table: one row per opportunity held in snapshot A or B, A beside B,
with its labels and waterfall part (analytics/queries/build_movement_pairs.sql).
Rebuilt from the data per data version and pair, so there is nothing to carry
over; created where missing (derived.ensure may have made it already), with its
PostgreSQL-only index on as_of like the other per-date caches.

Revision ID: r0007
Revises: r0006
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

revision = "r0007"
down_revision: str | None = "r0006"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_movement_pairs = Table(
    "cache_movement_pairs",
    metadata,
    # Per snapshot B (as_of) and the snapshot A it is compared with (the newest at least
    # week_compare_days earlier, part of the build key): one row per opportunity held in A
    # or B, A beside B, with its labels and waterfall part (analytics/queries/
    # build_movement_pairs.sql), so the 周例会 page's queries scan one narrow table instead
    # of joining two million-row snapshots.  The class and key inputs of both sides are
    # kept (not the class): the class thresholds and key share are settings, applied
    # when the table is read (_movement_cached.sql), so changing them rebuilds nothing.
    Column("as_of", Date, nullable=False),
    Column("snapshot_a", Date, nullable=False),
    Column("opportunity_id", String(40), nullable=False),
    *(Column(f"in_{s}", Boolean, nullable=False) for s in "ab"),
    *(Column(f"open_{s}", Boolean, nullable=False) for s in "ab"),
    *(Column(f"status_{s}", String(12)) for s in "ab"),
    *(Column(f"stage_{s}", SmallInteger) for s in "ab"),
    *(Column(f"value_{s}_fen", BigInteger) for s in "ab"),  # annual value × 100, rounded
    *(Column(f"close_{s}", Date) for s in "ab"),
    *(Column(f"owner_{s}", String(32)) for s in "ab"),
    # The side's class and key inputs (the opportunity_class and opportunity_is_key fragments).
    *(Column(f"annual_value_{s}", Double) for s in "ab"),
    *(Column(f"business_type_{s}", String(16)) for s in "ab"),
    *(Column(f"user_count_{s}", Integer) for s in "ab"),
    *(Column(f"demonstration_{s}", Boolean) for s in "ab"),
    *(Column(f"influence_{s}", Boolean) for s in "ab"),
    *(Column(f"key_flag_{s}", Boolean) for s in "ab"),
    *(Column(f"open_value_rank_{s}", BigInteger) for s in "ab"),
    *(Column(f"open_total_{s}", BigInteger) for s in "ab"),
    Column("slip_count", Integer),  # close-date slips known at B (at A for a deal B lacks)
    Column("last_activity_date", Date),
    # The side the deal is attributed to (B's row, A's when B lacks it): scope and names.
    Column("name", String(200)),
    Column("customer_name", String(200)),
    Column("owner_id", String(32)),
    Column("owner_name", String(64)),
    Column("team", String(64)),
    Column("branch", String(64)),
    Column("product", String(32)),
    Column("industry", String(32)),
    Column("business_type", String(16)),
    Column("origin", String(16)),
    Column("campaign", String(64)),
    Column("created_date", Date),
    *(
        Column(f"is_{label}", Boolean)  # as the movement_labels fragment computes it
        for label in (
            "new",
            "won",
            "lost",
            "terminated",
            "removed",
            "reopened",
            "advanced",
            "regressed",
            "slipped",
            "pulled_in",
            "value_changed",
            "labelled",
        )
    ),
    Column("waterfall_part", String(12)),
    Column("pipeline_effect_fen", BigInteger),
)
date_index_on_postgresql_only(cache_movement_pairs, "as_of")


def upgrade() -> None:
    """Create the table (and, on PostgreSQL, its index) where missing."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0007 is not undone")
