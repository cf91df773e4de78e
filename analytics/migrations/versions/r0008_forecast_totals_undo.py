"""Revision 8: undo restores the company totals of frozen forecasts (issue 16).

``forecast_snapshot_totals`` gains ``load_id`` (the snapshot's load it was
frozen from), and ``forecast_snapshot_totals_replaced`` keeps the totals a later
load's freeze replaced, as r0002 did for the per-line rows; undoing that load
takes its totals out and puts the earlier ones back (loader/history.py,
schema.FROZEN_TABLES).  Totals frozen before are stamped with the load of the
snapshot held now, as r0002 stamped the per-line rows.

Revision ID: r0008
Revises: r0007
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import BigInteger, Column, Date, DateTime, Double, Integer, MetaData, SmallInteger, Table

from analytics.migrations.ops import has_column

revision = "r0008"
down_revision: str | None = "r0007"
branch_labels = None
depends_on = None

metadata = MetaData()

Table(
    "forecast_snapshot_totals_replaced",
    metadata,
    Column("snapshot_date", Date),
    Column("year", Integer),
    Column("month", SmallInteger),
    Column("data_through", Integer),
    Column("lines", Integer),
    Column("expected", Double),
    Column("p10", Double),
    Column("p50", Double),
    Column("p90", Double),
    Column("frozen_at", DateTime),
    Column("load_id", BigInteger),
    Column("replaced_by", BigInteger, nullable=False),
)

STAMP_TOTALS = (
    "UPDATE forecast_snapshot_totals SET load_id = (SELECT s.load_id FROM snapshots AS s "
    "WHERE s.snapshot_date = forecast_snapshot_totals.snapshot_date) WHERE load_id IS NULL"
)


def upgrade() -> None:
    """Create the shadow table where missing; add and stamp the totals' load column."""
    metadata.create_all(op.get_bind(), checkfirst=True)
    if has_column("forecast_snapshot_totals", "load_id"):
        return
    op.add_column("forecast_snapshot_totals", Column("load_id", BigInteger))
    op.execute(STAMP_TOTALS)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0008 is not undone")
