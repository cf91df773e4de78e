"""Revision 15: cache_forecast_won_sums carries the life table of the close timing
(timing_wins, timing_losses, timing_at_risk: every deal first seen open in the
look-back window, still-open ones as exposure; issue 16).

A derived table: rebuilt from the data per data version, as_of and settings, so
there is nothing to carry over; it is dropped and created with the new columns
(and, on PostgreSQL, its index on as_of like the other per-date caches).

Revision ID: r0015
Revises: r0014
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import BigInteger, Column, Date, Double, Integer, MetaData, Table

from analytics.dialect import date_index_on_postgresql_only

revision = "r0015"
down_revision: str | None = "r0014"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_forecast_won_sums = Table(
    "cache_forecast_won_sums",
    metadata,
    Column("as_of", Date, nullable=False),
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
    raise NotImplementedError("r0015 is not undone")
