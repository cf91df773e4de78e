"""Revision 2: frozen forecasts carry their load, and undo can restore them.

``forecast_snapshots`` gains ``load_id`` (the snapshot's load it was frozen
from), ``forecast_snapshots_replaced`` keeps the rows a later load replaced, and
``forecast_freezes`` records each completed freeze.  A warehouse frozen before
this has its frozen rows stamped with the load of the snapshot it holds now, and
those freezes count as done (formerly schema.LATE_COLUMNS).  Warehouses made in
between may hold some of this already: only what is missing is added.

Revision ID: r0002
Revises: r0001
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Double,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
)

from analytics.migrations.ops import has_column

revision = "r0002"
down_revision: str | None = "r0001"
branch_labels = None
depends_on = None

metadata = MetaData()

forecast_snapshots_replaced = Table(
    "forecast_snapshots_replaced",
    metadata,
    Column("snapshot_date", Date),
    Column("year", Integer),
    Column("month", SmallInteger),
    Column("branch", String(32)),
    Column("product", String(32)),
    Column("data_through", Integer),
    Column("expected", Double),
    Column("p10", Double),
    Column("p50", Double),
    Column("p90", Double),
    Column("frozen_at", DateTime),
    Column("load_id", BigInteger),
    Column("replaced_by", BigInteger, nullable=False),
)

forecast_freezes = Table(
    "forecast_freezes",
    metadata,
    Column("snapshot_date", Date, nullable=False),
    Column("load_id", BigInteger, nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("seconds", Double),
    Column("frozen_at", DateTime, nullable=False),
)

STAMP_FROZEN_ROWS = (
    "UPDATE forecast_snapshots SET load_id = (SELECT s.load_id FROM snapshots AS s "
    "WHERE s.snapshot_date = forecast_snapshots.snapshot_date) WHERE load_id IS NULL"
)
COUNT_AS_FROZEN = (
    "INSERT INTO forecast_freezes (snapshot_date, load_id, row_count, frozen_at) "
    "SELECT snapshot_date, load_id, count(*), max(frozen_at) FROM forecast_snapshots "
    "WHERE load_id IS NOT NULL GROUP BY snapshot_date, load_id"
)


def upgrade() -> None:
    """Add the freeze tables and the load column where missing; stamp rows frozen before."""
    metadata.create_all(op.get_bind(), checkfirst=True)
    if has_column("forecast_snapshots", "load_id"):
        return
    op.add_column("forecast_snapshots", Column("load_id", BigInteger))
    op.execute(STAMP_FROZEN_ROWS)
    op.execute(COUNT_AS_FROZEN)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0002 is not undone")
