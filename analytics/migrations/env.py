"""Alembic's environment: runs the revisions in versions/ on the connection it is given.

The application passes its open connection (analytics.migrations.upgrade) and
owns the transaction, so the migration and whatever the caller does with it
(the staging views) commit or roll back together.  Run from the alembic command
line instead (e.g. ``revision --autogenerate``), it connects to the
``database_url`` setting and compares with analytics/schema.py.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from analytics import dialect, schema
from analytics.migrations import include_object
from analytics.settings import load_settings

DUCKDB = dialect.DuckDBImpl  # defined on importing dialect: Alembic's DDL for DuckDB


def record(
    ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]
) -> None:
    """Note each revision applied, for the caller to report."""
    context.config.attributes.setdefault("applied", []).append(step.up_revision_id)


def run(conn: Connection) -> None:
    """Every revision still to run, in one transaction (the caller's, when it holds one)."""
    context.configure(
        connection=conn,
        target_metadata=schema.metadata,
        include_object=include_object,
        on_version_apply=record,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Migrate on the connection the application gave, else on the configured warehouse."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    with create_engine(load_settings().database_url).begin() as own:
        run(own)


# Alembic executes this file as a script of its own (module "env_py"); imported as a
# package module (a test that imports every module), there is nothing to run.
if __name__ != "analytics.migrations.env":
    main()
