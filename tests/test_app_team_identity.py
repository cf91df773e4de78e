"""Pages name a team by branch and name: the demo's 金融一组 is three teams.

A director's team picker, sidebar team filter, process chart and scorecard
scatter keep 浦东/金融一组, 静安/金融一组 and 黄浦/金融一组 apart, and the team
page shows exactly the chosen one's members.  Runs on the small demo warehouse
of both backends.
"""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.context import Context
from analytics.metrics.explorer import opportunity_list
from analytics.metrics.workload import workload
from analytics.scope import Filters, Scope, team_key
from analytics.settings import load_settings

APP = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "app.py")
NAMESAKES = {team_key(branch, "金融一组") for branch in ("浦东", "静安", "黄浦")}


def page(env, username: str, path: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["auth_token"] = auth.create_session(env["engine"], username, load_settings())
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def test_team_picker_and_filter_offer_each_namesake_and_show_only_its_members(app_env):
    at = page(app_env, "director", "pages/team.py")
    assert NAMESAKES <= set(at.selectbox(key="wl_team_choice").options)
    assert NAMESAKES <= set(at.multiselect(key="filter_team").options)
    at.selectbox(key="wl_team_choice").set_value(team_key("静安", "金融一组")).run()
    assert not at.exception, at.exception
    ctx = Context(app_env["engine"], Scope.company(), load_settings(), app_env["as_of"], Filters())
    table = workload(ctx)
    jingan = table[(table["branch"] == "静安") & (table["team"] == "金融一组")]
    members = next(d.value for d in at.dataframe if "指标" in d.value.columns)
    assert len(members.columns) == 1 + len(jingan) + 1  # figure, each 静安 member, team median


def test_process_chart_and_scatter_keep_namesakes_apart(app_env):
    at = page(app_env, "director", "pages/process.py")
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["x"]
    assert len(bars) == len(set(bars)) and NAMESAKES & set(bars)
    at = page(app_env, "director", "pages/workload.py")
    traces = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    names = [trace["name"] for trace in traces if trace.get("showlegend")]
    assert len(names) == len(set(names)) and NAMESAKES & set(names)


def test_an_opportunitys_story_names_its_team_with_the_branch(app_env):
    settings = load_settings()
    scope = auth.scope_for_user(app_env["engine"], "team_manager", settings)
    mine = opportunity_list(Context(app_env["engine"], scope, settings, app_env["as_of"], Filters()))
    at = page(app_env, "team_manager", "pages/explorer.py", opportunity=mine["opportunity_id"].iloc[0])
    assert any(f"团队: {team_key(scope.branch, scope.team)}" in c.value for c in at.caption)


def test_every_table_that_names_a_team_names_its_branch_too(app_env):
    for path in ("pages/problems.py", "pages/process.py", "pages/workload.py"):
        at = page(app_env, "director", path)
        tables = [
            d.value for d in at.dataframe if "团队" in d.value.columns or "团队（当时）" in d.value.columns
        ]
        assert tables, path
        assert all("分局" in table.columns for table in tables), path


def test_a_links_bare_team_name_is_applied_only_when_it_names_one_team(app_env):
    at = page(app_env, "director", "pages/home.py", team="徐汇政企一组")
    assert at.multiselect(key="filter_team").value == [team_key("徐汇", "徐汇政企一组")]
    at = AppTest.from_file(APP, default_timeout=120)  # the page a link lands on says it
    at.session_state["auth_token"] = auth.create_session(app_env["engine"], "director", load_settings())
    at.query_params["team"] = "金融一组"
    at.run()
    assert not at.exception, at.exception
    assert at.multiselect(key="filter_team").value == []
    assert any("在多个分局都有" in w.value for w in at.warning)
    at = page(app_env, "director", "pages/home.py", team=team_key("黄浦", "金融一组"))
    assert at.multiselect(key="filter_team").value == [team_key("黄浦", "金融一组")]
