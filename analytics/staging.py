"""Staging views: raw tables cleaned once, the only thing metric queries read.

Each view lives in ``analytics/queries/stg_<name>.sql`` (one model per file, as
in jaffle-shop).  Views are dropped and recreated on every start so that a
changed definition never leaves a stale one behind.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from analytics.queries import read_sql

STAGING_VIEWS = (
    "stg_org",
    "stg_org_history",
    "stg_snapshots",
    "stg_opportunity_snapshot",
    "stg_stage_history",
    "stg_activities",
    "stg_support_requests",
    "stg_contracts",
    "stg_revenue",
    "stg_revenue_periods",
    "stg_budget",
    "stg_targets",
)


def create_views(conn: Connection) -> None:
    """Drop and recreate every staging view (names are constants, not input)."""
    for name in reversed(STAGING_VIEWS):
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")
    for name in STAGING_VIEWS:
        conn.execute(text(f"CREATE VIEW {name} AS\n{read_sql(name)}"))
