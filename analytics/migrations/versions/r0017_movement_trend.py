"""Revision 17: cache_movement_trend, the 周例会 trend's sums kept once per data version
(per pair of consecutive snapshots x branch, team and account manager x waterfall part
x is_new; analytics/queries/build_movement_trend.sql, issue 19).

A derived table: built from the data on demand and by the load, so there is nothing to
carry over; it is created empty.

Revision ID: r0017
Revises: r0016
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import BigInteger, Boolean, Column, MetaData, String, Table

revision = "r0017"
down_revision: str | None = "r0016"
branch_labels = None
depends_on = None

metadata = MetaData()

SUMS = ("deals", "value_a_fen", "value_b_fen", "advanced", "regressed", "slipped", "pulled_in", "labelled")

cache_movement_trend = Table(
    "cache_movement_trend",
    metadata,
    Column("pair_index", BigInteger, nullable=False),
    Column("branch", String(64)),
    Column("team", String(64)),
    Column("owner_id", String(32)),
    Column("waterfall_part", String(12)),
    Column("is_new", Boolean),
    *(Column(name, BigInteger) for name in SUMS),
)


def upgrade() -> None:
    """Create the table (its rows are built on demand and at load)."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0017 is not undone")
