"""Revision 10: cache_workload_facts, the workload scorecard's per-manager facts (issue 19).

A derived table: rebuilt from the data per data version, as_of and settings, so
there is nothing to carry over; created where missing (derived.ensure may have
made it already), with its PostgreSQL-only index on as_of like the other
per-date caches.

Revision ID: r0010
Revises: r0009
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import BigInteger, Column, Date, Double, Integer, MetaData, String, Table

from analytics.dialect import date_index_on_postgresql_only

revision = "r0010"
down_revision: str | None = "r0009"
branch_labels = None
depends_on = None

metadata = MetaData()

COUNTS = (
    *("open_count", "key_open", "new_mined", "new_dispatched", "activities", "won_count"),
    *("lost_count", "closed_count", "late_registered_count", "stale", "overdue", "support_open"),
)
AMOUNTS = ("open_value", "won_value", "target", "won_value_ytd", "open_expected_value", "pipeline_expected")

cache_workload_facts = Table(
    "cache_workload_facts",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("owner_id", String(32)),
    Column("team", String(64)),
    Column("branch", String(64)),
    Column("cycle_days", Integer),
    *(Column(name, BigInteger, nullable=False) for name in COUNTS),
    *(Column(name, Double, nullable=name == "target") for name in AMOUNTS),
    Column("median_cycle_days", Double),
)
date_index_on_postgresql_only(cache_workload_facts, "as_of")


def upgrade() -> None:
    """Create the table (and, on PostgreSQL, its index) where missing."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0010 is not undone")
