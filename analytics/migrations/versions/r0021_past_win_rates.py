"""Revision 21: cache_past_win_rates, the win-rate tables at an earlier snapshot built from
the backtest states the load keeps per date (issue 19: 周例会's bridge reads A's p(o) from
them instead of building A's full opportunity facts on the first view after a load).

A derived table: rebuilt from the data per data version, as_of and settings, so there is
nothing to carry over (on PostgreSQL, its index on as_of like the other per-date caches).

Revision ID: r0021
Revises: r0020
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import BigInteger, Column, Date, Integer, MetaData, SmallInteger, String, Table

from analytics.dialect import date_index_on_postgresql_only

revision = "r0021"
down_revision: str | None = "r0020"
branch_labels = None
depends_on = None

metadata = MetaData()

cache_past_win_rates = Table(
    "cache_past_win_rates",
    metadata,
    Column("as_of", Date, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("stage", SmallInteger, nullable=False),
    Column("age_bin", Integer),
    Column("opportunity_class", String(32)),
    Column("product", String(32)),
    Column("closed", BigInteger, nullable=False),
    Column("won", BigInteger, nullable=False),
)
date_index_on_postgresql_only(cache_past_win_rates, "as_of")


def upgrade() -> None:
    """Create the table (its rows are built on demand)."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0021 is not undone")
