"""Revision 3: a DuckDB warehouse's opportunity_snapshot loses the primary key it was created with.

The key (snapshot_date, opportunity_id) is enforced by PostgreSQL only (why:
dialect.primary_key_on_postgresql_only); DuckDB warehouses created before that
change kept theirs, and with it an index costing about 1.5 s of every
million-row load.  DuckDB cannot drop a primary key, so the table is rebuilt:
renamed, created again as revision 1 declares it, filled, and the old one
dropped, all in the migration's transaction.  Nothing to do anywhere else.

Revision ID: r0003
Revises: r0002
"""

from __future__ import annotations

from alembic import op

from analytics.dialect import holds_unwanted_primary_key
from analytics.migrations.versions.r0001_baseline import opportunity_snapshot

revision = "r0003"
down_revision: str | None = "r0002"
branch_labels = None
depends_on = None

KEYED = "opportunity_snapshot_keyed"


def upgrade() -> None:
    """Rebuild opportunity_snapshot without its key where the key should not be."""
    bind = op.get_bind()
    if not holds_unwanted_primary_key(bind, "opportunity_snapshot"):
        return
    op.rename_table("opportunity_snapshot", KEYED)
    opportunity_snapshot.create(bind)
    names = ", ".join(c.name for c in opportunity_snapshot.columns)
    op.execute(f"INSERT INTO opportunity_snapshot ({names}) SELECT {names} FROM {KEYED}")
    op.drop_table(KEYED)


def downgrade() -> None:
    """Not supported: warehouses only move forward (restore a backup to go back)."""
    raise NotImplementedError("r0003 is not undone")
