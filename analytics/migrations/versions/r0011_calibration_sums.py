"""Revision 11: cache_calibration_sums and cache_calibration_deals, the calibration backtest kept per
scope key (issue 20).

A derived table: rebuilt from the data per data version, as_of and settings, so
there is nothing to carry over; created where missing (derived.ensure may have
made it already), with its PostgreSQL-only index on as_of like the other
per-date caches.

Revision ID: r0011
Revises: r0010
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import BigInteger, Column, Date, Double, Integer, MetaData, String, Table

from analytics.dialect import date_index_on_postgresql_only

revision = "r0011"
down_revision: str | None = "r0010"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_calibration_sums = Table(
    "cache_calibration_sums",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("backtest_date", Date, nullable=False),
    Column("model", String(16), nullable=False),
    Column("bucket", Integer, nullable=False),
    Column("branch", String(32)),
    Column("team", String(64)),
    Column("owner_id", String(32)),
    Column("outcome_branch", String(32)),
    Column("outcome_team", String(64)),
    Column("outcome_owner_id", String(32)),
    Column("predictions", BigInteger, nullable=False),
    Column("p_sum", Double, nullable=False),
    Column("wins", BigInteger, nullable=False),
    Column("squared_error_sum", Double, nullable=False),
)
date_index_on_postgresql_only(cache_calibration_sums, "as_of")

cache_calibration_deals = Table(
    "cache_calibration_deals",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("backtest_date", Date, nullable=False),
    Column("opportunity_id", String(40), nullable=False),
    Column("branch", String(32)),
    Column("team", String(64)),
    Column("owner_id", String(32)),
    Column("outcome_branch", String(32)),
    Column("outcome_team", String(64)),
    Column("outcome_owner_id", String(32)),
    Column("p_win", Double, nullable=False),
    Column("stage_rate", Double, nullable=False),
    Column("won", Integer, nullable=False),
)
date_index_on_postgresql_only(cache_calibration_deals, "as_of")


def upgrade() -> None:
    """Create the table (and, on PostgreSQL, its index) where missing."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0011 is not undone")
