"""Revision 6: forecast_snapshot_totals, the company total of each frozen forecast (issue 16).

Created where missing (the freeze creates it itself until this revision has
run).  Nothing is filled in: a total's band comes from the lines summed run by
run, which the stored per-line bands cannot give, so snapshots frozen before
have no total until they are frozen again.

Revision ID: r0006
Revises: r0005
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, Date, DateTime, Double, Integer, MetaData, SmallInteger, Table

revision = "r0006"
down_revision: str | None = "r0005"
branch_labels = None
depends_on = None

metadata = MetaData()

Table(
    "forecast_snapshot_totals",
    metadata,
    Column("snapshot_date", Date, nullable=False),
    Column("year", Integer, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("data_through", Integer),
    Column("lines", Integer, nullable=False),
    Column("expected", Double, nullable=False),
    Column("p10", Double, nullable=False),
    Column("p50", Double, nullable=False),
    Column("p90", Double, nullable=False),
    Column("frozen_at", DateTime, nullable=False),
)


def upgrade() -> None:
    """Create the table where missing."""
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0006 is not undone")
