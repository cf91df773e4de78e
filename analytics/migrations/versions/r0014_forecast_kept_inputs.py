"""Revision 14: cache_forecast_revenue and cache_forecast_won_sums, the year-end forecast's
inputs kept at load (收入预测 at 1,000,000 opportunities, issue 19).

Derived tables: rebuilt from the data per data version (and, for the won sums, per
as_of and settings), so there is nothing to carry over; created where missing
(derived.ensure may have made them already), the per-date one with its
PostgreSQL-only index on as_of like the other per-date caches.

Revision ID: r0014
Revises: r0013
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import BigInteger, Column, Date, Double, Integer, MetaData, String, Table

from analytics.dialect import date_index_on_postgresql_only

revision = "r0014"
down_revision: str | None = "r0013"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_forecast_revenue = Table(
    "cache_forecast_revenue",
    metadata,
    Column("branch", String(32)),
    Column("product", String(32)),
    Column("period", Integer, nullable=False),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("amount", Double),
    Column("recurring", Double),
    Column("recurring_base", Double),
)

cache_forecast_won_sums = Table(
    "cache_forecast_won_sums",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("slip_months", Integer),
    Column("deals", BigInteger, nullable=False),
    Column("valued_deals", BigInteger, nullable=False),
    Column("won_value", Double, nullable=False),
    Column("pipeline_value", Double, nullable=False),
)
date_index_on_postgresql_only(cache_forecast_won_sums, "as_of")


def upgrade() -> None:
    """Create the tables (and, on PostgreSQL, the index) where missing."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0014 is not undone")
