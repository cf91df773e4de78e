"""Every role × every report: what a user gets is exactly their scope.

The allowed set is computed here directly from the org and snapshot tables,
independently of analytics/scope.py, and every report registered in
analytics.reports is checked against it, so a report added later is covered
without touching this file.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from analytics import auth
from analytics.context import Context
from analytics.reports import REPORTS, run_report
from analytics.scope import Filters
from analytics.settings import load_settings

ROLES = ["director", "branch_head", "team_manager", "account_manager", "analyst"]


def allowed_opportunities(engine, username: str, as_of) -> pd.DataFrame:
    """Opportunities in the user's scope, straight from the tables."""
    user = next(u for u in auth.list_users(engine) if u["username"] == username)
    condition, params = {
        "director": ("TRUE", {}),
        "branch_head": ("s.branch = :v", {"v": user["branch"]}),
        "team_manager": ("s.team = :v", {"v": user["team"]}),
        "account_manager": ("o.owner_id = :v", {"v": user["staff_id"]}),
        "analyst": ("FALSE", {}),
    }[username]
    sql = f"""
        SELECT o.opportunity_id, o.owner_id, o.status, CAST(o.annual_value AS DOUBLE PRECISION) AS annual_value,
               s.branch, s.team
        FROM opportunity_snapshot o LEFT JOIN org s ON s.staff_id = o.owner_id
        WHERE o.snapshot_date = (SELECT MAX(snapshot_date) FROM snapshots WHERE snapshot_date <= :as_of)
          AND {condition}
    """
    with engine.connect() as conn:
        result = conn.execute(text(sql), {"as_of": as_of, **params})
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def context_for(env, username: str, filters: Filters | None = None) -> Context:
    settings = load_settings()
    scope = auth.scope_for_user(env["engine"], username, settings)
    return Context(env["engine"], scope, settings, env["as_of"], filters or Filters())


@pytest.mark.parametrize("username", ROLES)
def test_overview_totals_equal_the_users_own_scope(demo_warehouse, username):
    allowed = allowed_opportunities(demo_warehouse["engine"], username, demo_warehouse["as_of"])
    got = run_report("overview", context_for(demo_warehouse, username)).iloc[0]
    open_rows = allowed[allowed["status"] == "open"]
    assert got["open_count"] == len(open_rows)
    assert got["open_value"] == pytest.approx(open_rows["annual_value"].sum())
    if username != "analyst":
        assert len(open_rows) > 0, "the demo user should have data to check"


@pytest.mark.parametrize("report", sorted(REPORTS))
@pytest.mark.parametrize("username", ROLES)
def test_no_report_shows_rows_outside_the_scope(demo_warehouse, username, report):
    allowed = allowed_opportunities(demo_warehouse["engine"], username, demo_warehouse["as_of"])
    frame = run_report(report, context_for(demo_warehouse, username))
    if "opportunity_id" in frame.columns:
        assert set(frame["opportunity_id"].dropna()) <= set(allowed["opportunity_id"])
    if "owner_id" in frame.columns and username in ("account_manager", "analyst"):
        assert set(frame["owner_id"].dropna()) <= set(allowed["owner_id"])
    if "branch" in frame.columns and username == "branch_head":
        assert set(frame["branch"].dropna()) <= set(allowed["branch"].dropna())
    if "team" in frame.columns and username == "team_manager":
        assert set(frame["team"].dropna()) <= set(allowed["team"].dropna())


def test_filters_cannot_widen_a_scope(demo_warehouse):
    """An account manager asking for another manager's deals by filter gets nothing."""
    engine, as_of = demo_warehouse["engine"], demo_warehouse["as_of"]
    own = allowed_opportunities(engine, "account_manager", as_of)
    everyone = allowed_opportunities(engine, "director", as_of)
    others = sorted(set(everyone["owner_id"]) - set(own["owner_id"]))[:3]
    ctx = context_for(demo_warehouse, "account_manager", Filters(owners=tuple(others)))
    assert run_report("overview", ctx).iloc[0]["open_count"] == 0
    assert run_report("problems", ctx).empty
    other_branch = sorted(set(everyone["branch"].dropna()) - set(own["branch"].dropna()))[0]
    ctx = context_for(demo_warehouse, "branch_head", Filters(branches=(other_branch,)))
    assert run_report("overview", ctx).iloc[0]["open_count"] == 0
