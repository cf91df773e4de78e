"""Revision 22: cache_movement_trend keeps each pair's rows by the later snapshot's date
(column as_of instead of pair_index), so a load of a new snapshot builds the new pair
alone and keeps the others while their inputs are unchanged (issue 19: the trend was
rebuilt over every snapshot after each load, 8.5 s of the load's 28 s of derived tables
at 1,000,000 opportunities and growing with every week held).

A derived table: rebuilt from the data, so there is nothing to carry over; it is dropped
and created with the new columns (and, on PostgreSQL, its index on as_of like the other
per-date caches), and its builds are taken out of cache_registry.

Revision ID: r0022
Revises: r0021
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import BigInteger, Boolean, Column, Date, MetaData, String, Table, text

from analytics.dialect import date_index_on_postgresql_only

revision = "r0022"
down_revision: str | None = "r0021"
branch_labels = None
depends_on = None

metadata = MetaData()

SUMS = ("deals", "value_a_fen", "value_b_fen", "advanced", "regressed", "slipped", "pulled_in", "labelled")

cache_movement_trend = Table(
    "cache_movement_trend",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("branch", String(64)),
    Column("team", String(64)),
    Column("owner_id", String(32)),
    Column("waterfall_part", String(12)),
    Column("is_new", Boolean),
    *(Column(name, BigInteger) for name in SUMS),
)
date_index_on_postgresql_only(cache_movement_trend, "as_of")


def upgrade() -> None:
    """Drop the table (its rows are rebuilt on demand and at load) and create it anew."""
    bind = op.get_bind()
    cache_movement_trend.drop(bind, checkfirst=True)
    metadata.create_all(bind, checkfirst=True)
    bind.execute(text("DELETE FROM cache_registry WHERE model = 'cache_movement_trend'"))


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0022 is not undone")
