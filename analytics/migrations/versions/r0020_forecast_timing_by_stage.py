"""Revision 20: cache_forecast_won_sums carries the close timing's life table per stage
too (column stage: null on the pooled rows, the stage a deal had when first seen on
the per-stage rows; issue 16, when it closes by stage and age).

A derived table: rebuilt from the data per data version, as_of and settings, so
there is nothing to carry over; it is dropped and created with the new columns
(and, on PostgreSQL, its index on as_of like the other per-date caches).

Revision ID: r0020
Revises: r0019
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import BigInteger, Column, Date, Double, Integer, MetaData, SmallInteger, Table

from analytics.dialect import date_index_on_postgresql_only

revision = "r0020"
down_revision: str | None = "r0019"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_forecast_won_sums = Table(
    "cache_forecast_won_sums",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("stage", SmallInteger),
    Column("slip_months", Integer),
    Column("deals", BigInteger, nullable=False),
    Column("valued_deals", BigInteger, nullable=False),
    Column("won_value", Double, nullable=False),
    Column("pipeline_value", Double, nullable=False),
    Column("timing_wins", BigInteger, nullable=False),
    Column("timing_losses", BigInteger, nullable=False),
    Column("timing_at_risk", Double, nullable=False),
)
date_index_on_postgresql_only(cache_forecast_won_sums, "as_of")


def upgrade() -> None:
    """Drop the table (its rows are rebuilt on demand) and create it with the new columns."""
    bind = op.get_bind()
    cache_forecast_won_sums.drop(bind, checkfirst=True)
    metadata.create_all(bind, checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0020 is not undone")
