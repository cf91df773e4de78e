"""Revision 23: cache_past_deal_values, each open deal's p(o), value, m(o) and expected
revenue at an earlier snapshot (the 周例会 pair's A), kept by the load (issue 19: the
weekly review's forecast bridge computed A's 131,000 deals' numbers on every view at
1,000,000 opportunities, 0.27-0.32 s).

A derived table: rebuilt from the data per data version, as_of and settings, so there is
nothing to carry over (on PostgreSQL, its index on as_of like the other per-date caches).

Revision ID: r0023
Revises: r0022
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, Date, Double, Integer, MetaData, String, Table

from analytics.dialect import date_index_on_postgresql_only

revision = "r0023"
down_revision: str | None = "r0022"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_past_deal_values = Table(
    "cache_past_deal_values",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("opportunity_id", String(40), nullable=False),
    Column("branch", String(32)),
    Column("team", String(64)),
    Column("owner_id", String(32)),
    Column("p_win", Double),
    Column("annual_value", Double),
    Column("months_this_year", Integer),
    Column("expected_revenue", Double),
)
date_index_on_postgresql_only(cache_past_deal_values, "as_of")


def upgrade() -> None:
    """Create the table (its rows are built on demand and at load)."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0023 is not undone")
