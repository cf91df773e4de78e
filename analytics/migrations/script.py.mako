"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision: str | None = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Say what changes and why; freeze any table definition used here (never import analytics.schema)."""
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("${up_revision} is not undone")
