"""Every role × every report: what a user gets is exactly their scope.

The allowed set is computed here directly from the org and snapshot tables,
independently of analytics/scope.py, and every report registered in
analytics.reports is checked against it, so a report added later is covered
without touching this file.

The demo org names its 金融 teams without their branch, so the team manager's
金融一组 (浦东) has namesakes in other branches: a team is its branch and name
together, and nothing of a namesake may reach the manager.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import text

from analytics import auth
from analytics.cli import main
from analytics.context import Context
from analytics.reports import REPORTS, run_report
from analytics.scope import Filters, team_key
from analytics.settings import load_settings
from analytics.warehouse import replace_all
from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD, drop_engine, new_engine

ROLES = ["director", "branch_head", "team_manager", "account_manager", "analyst"]


def allowed_opportunities(engine, username: str, as_of) -> pd.DataFrame:
    """Opportunities in the user's scope, straight from the tables."""
    user = next(u for u in auth.list_users(engine) if u["username"] == username)
    condition, params = {
        "director": ("TRUE", {}),
        "branch_head": ("s.branch = :v", {"v": user["branch"]}),
        "team_manager": ("s.branch = :b AND s.team = :v", {"b": user["branch"], "v": user["team"]}),
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
    if {"team", "branch"} <= set(frame.columns) and username == "team_manager":
        teams = frame[["branch", "team"]].dropna().drop_duplicates()
        assert set(teams.itertuples(index=False, name=None)) <= set(
            allowed[["branch", "team"]].dropna().itertuples(index=False, name=None)
        )


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


def user_row(engine, username: str) -> dict:
    return next(u for u in auth.list_users(engine) if u["username"] == username)


def namesake_opportunities(engine, as_of) -> tuple[dict, set[str]]:
    """The team manager, and the opportunities of their team's namesakes in other branches."""
    manager = user_row(engine, "team_manager")
    sql = """
        SELECT o.opportunity_id
        FROM opportunity_snapshot o JOIN org s ON s.staff_id = o.owner_id
        WHERE o.snapshot_date = (SELECT MAX(snapshot_date) FROM snapshots WHERE snapshot_date <= :as_of)
          AND s.team = :team AND s.branch <> :branch
    """
    with engine.connect() as conn:
        rows = conn.execute(text(sql), {"as_of": as_of, "team": manager["team"], "branch": manager["branch"]})
        return manager, {row[0] for row in rows}


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_a_team_manager_sees_nothing_of_a_same_named_team_in_another_branch(demo_warehouse, report):
    engine, as_of = demo_warehouse["engine"], demo_warehouse["as_of"]
    manager, namesakes = namesake_opportunities(engine, as_of)
    assert namesakes, "the demo org should repeat the team manager's team name in another branch"
    frame = run_report(report, context_for(demo_warehouse, "team_manager"))
    if "opportunity_id" in frame.columns:
        assert not set(frame["opportunity_id"].dropna()) & namesakes
    if {"team", "branch"} <= set(frame.columns):
        rows = frame[(frame["team"] == manager["team"]) & (frame["branch"] != manager["branch"])]
        assert rows.empty, f"{report}: rows of {manager['team']} in other branches"


def renamed_namesakes(frames: dict, branch: str, team: str) -> dict:
    """The demo frames with every other branch's team of this name given a name of its own."""
    out = dict(frames)
    for table in ("org", "org_history"):
        frame = frames[table].copy()
        other = (frame["team"] == team) & (frame["branch"] != branch)
        frame.loc[other, "team"] = frame.loc[other, "branch"] + frame.loc[other, "team"]
        out[table] = frame
    return out


@pytest.fixture(scope="module")
def renamed_warehouse(demo_warehouse, tmp_path_factory, pg_available):
    """The demo warehouse again, with the team manager's namesake teams renamed."""
    from analytics.demo.generate import generate

    backend = demo_warehouse["backend"]
    manager = user_row(demo_warehouse["engine"], "team_manager")
    engine = new_engine(backend, tmp_path_factory, pg_available)
    frames = renamed_namesakes(generate(7, DEMO_AS_OF, scale=0.05), manager["branch"], manager["team"])
    replace_all(engine, frames, loaded_by="demo", label="demo renamed")
    auth.ensure_demo_users(engine, DEMO_PASSWORD)
    assert user_row(engine, "team_manager")["staff_id"] == manager["staff_id"]
    yield {**demo_warehouse, "engine": engine}
    drop_engine(backend, engine)


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_renaming_a_namesake_team_changes_nothing_its_manager_sees(demo_warehouse, renamed_warehouse, report):
    """Every figure, aggregates included: the namesakes in other branches were never counted."""
    shared = run_report(report, context_for(demo_warehouse, "team_manager"))
    unique = run_report(report, context_for(renamed_warehouse, "team_manager"))
    when_loaded = [c for c in shared.columns if "load" in c]  # the two warehouses were loaded apart
    pd.testing.assert_frame_equal(
        shared.drop(columns=when_loaded).reset_index(drop=True),
        unique.drop(columns=when_loaded).reset_index(drop=True),
        check_dtype=False,
        rtol=1e-9,
    )


def test_a_team_filter_names_one_team(demo_warehouse):
    """A director's team filter branch/team gives exactly the team manager's opportunities."""
    engine, as_of = demo_warehouse["engine"], demo_warehouse["as_of"]
    manager, namesakes = namesake_opportunities(engine, as_of)
    own = allowed_opportunities(engine, "team_manager", as_of)
    key = team_key(manager["branch"], manager["team"])
    listed = run_report("opportunities", context_for(demo_warehouse, "director", Filters(teams=(key,))))
    assert set(listed["opportunity_id"]) == set(own["opportunity_id"])
    assert not set(listed["opportunity_id"]) & namesakes


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_line_takes_a_team_with_its_branch_or_a_unique_name(demo_warehouse, capsys):
    engine, as_of = demo_warehouse["engine"], demo_warehouse["as_of"]
    manager, _ = namesake_opportunities(engine, as_of)
    base = ["report", "overview", "--db", demo_warehouse["url"], "--as-user", "director", "--format", "json"]
    code, _, err = run_cli(capsys, *base, "--filter", f"team={manager['team']}")
    assert code == 2 and "several branches" in err and team_key(manager["branch"], manager["team"]) in err
    key = team_key(manager["branch"], manager["team"])
    code, out, _ = run_cli(capsys, *base, "--as-of", str(as_of), "--filter", f"team={key}")
    open_rows = allowed_opportunities(engine, "team_manager", as_of).query("status == 'open'")
    assert code == 0 and json.loads(out)[0]["open_count"] == len(open_rows)
    # A name only one branch has is still accepted bare; the team manager's own name is unique to them.
    org_teams = (
        allowed_opportunities(engine, "director", as_of)[["branch", "team"]].dropna().drop_duplicates()
    )
    unique = org_teams.groupby("team")["branch"].nunique().loc[lambda n: n == 1].index[0]
    code, out, _ = run_cli(capsys, *base, "--as-of", str(as_of), "--filter", f"team={unique}")
    assert code == 0
    code, out, _ = run_cli(
        capsys, "report", "overview", "--db", demo_warehouse["url"], "--as-user", "team_manager",
        "--as-of", str(as_of), "--filter", f"team={manager['team']}", "--format", "json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)[0]["open_count"] == len(open_rows)


def test_team_scope_and_filter_bind_branch_and_name_together():
    from analytics.scope import Scope, build_predicate

    evil = "金融一组' OR '1'='1"
    predicate = build_predicate(
        Scope.of_team("浦东", evil), Filters(teams=(team_key("静安", evil),)), "o", "opportunity"
    )
    assert evil not in predicate.sql
    assert predicate.params == {
        "scope_branch": "浦东",
        "scope_team": evil,
        "f_teams_0_branch": "静安",
        "f_teams_0_team": evil,
    }
    assert "o.branch = :scope_branch AND o.team = :scope_team" in predicate.sql
    revenue = build_predicate(Scope.of_team("浦东", "金融一组"), Filters(), "r", "revenue")
    assert "r.team_branch = :scope_branch" in revenue.sql  # the owner's team's branch, not the contract's
    assert build_predicate(Scope("team", team="金融一组"), Filters(), "o", "opportunity").sql == "(1 = 0)"
    with pytest.raises(ValueError, match="branch"):
        build_predicate(Scope.company(), Filters(teams=("金融一组",)), "o", "opportunity")


def test_narrow_nothing_is_false_under_any_filter_or_date_range():
    """The kept tables (the trend's sums, A's deal values) answer only a question with no filter."""
    from datetime import date

    assert Filters().narrow_nothing()
    assert not Filters(products=("综合VPN",)).narrow_nothing()
    assert not Filters(teams=(team_key("浦东", "金融一组"),)).narrow_nothing()
    assert not Filters(start=date(2026, 1, 1)).narrow_nothing()
    assert not Filters(end=date(2026, 12, 31)).narrow_nothing()
