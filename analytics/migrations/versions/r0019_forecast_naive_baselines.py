"""Revision 19: the two naive baselines frozen beside each week's forecast (issue 16, item 4).

``forecast_snapshots`` and ``forecast_snapshot_totals`` (and their ``_replaced``
twins, so that undo puts them back) gain ``naive_pipeline`` and ``naive_last_year``
(analytics/forecast/naive.py).  Nullable: the rows frozen before keep NULL and are
scored without a baseline, since what was known at their snapshot is not rebuilt.

Revision ID: r0019
Revises: r0018
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, Double

from analytics.migrations.ops import has_column

revision = "r0019"
down_revision: str | None = "r0018"
branch_labels = None
depends_on = None

TABLES = (
    "forecast_snapshots",
    "forecast_snapshot_totals",
    "forecast_snapshots_replaced",
    "forecast_snapshot_totals_replaced",
)
COLUMNS = ("naive_pipeline", "naive_last_year")


def upgrade() -> None:
    """Add the columns where missing (a freeze's create_all may have made the table with them)."""
    for table in TABLES:
        for column in COLUMNS:
            if not has_column(table, column):
                op.add_column(table, Column(column, Double))


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0019 is not undone")
