"""Revision 13: the forward windows' forecasts frozen with the year-end's (issue 16).

``forecast_snapshots`` and ``forecast_snapshot_totals`` (and their ``_replaced``
twins) gain ``horizon``: year_end | next_quarter | next_12_months.  The rows frozen
before are all year-end forecasts, so the column defaults to 'year_end' (the
shadows' rows are stamped so); the windows' rows come with each week's next freeze.

Revision ID: r0013
Revises: r0012
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, String

from analytics.migrations.ops import has_column

revision = "r0013"
down_revision: str | None = "r0012"
branch_labels = None
depends_on = None

TABLES = ("forecast_snapshots", "forecast_snapshot_totals")
SHADOWS = ("forecast_snapshots_replaced", "forecast_snapshot_totals_replaced")


def upgrade() -> None:
    """Add the column where missing (a freeze's create_all may have made the table with it)."""
    for table in TABLES:
        if not has_column(table, "horizon"):
            op.add_column(table, Column("horizon", String(16), nullable=False, server_default="year_end"))
    for shadow in SHADOWS:
        if not has_column(shadow, "horizon"):
            op.add_column(shadow, Column("horizon", String(16)))
            op.execute(f"UPDATE {shadow} SET horizon = 'year_end'")


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0013 is not undone")
