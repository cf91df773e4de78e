"""预算完成, 总览 and 收入预测 say in words what a budget figure is measured against.

A director who filters one team sees that team's revenue against its account
managers' targets, labelled as such, never against the company budget; with a
product chosen too there is no ratio at all and the page says why.  Runs on
the small demo warehouse of both backends (its 浦东/金融一组 has namesakes).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.context import Context
from analytics.metrics.attainment import budget_attainment
from analytics.scope import Filters, Scope, team_key
from analytics.settings import load_settings
from ui.format import pct, wan

APP = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "app.py")
TEAM = team_key("浦东", "金融一组")


def open_page(env, username: str, page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["auth_token"] = auth.create_session(env["engine"], username, load_settings())
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(page).run()


def overall(env, filters: Filters) -> dict:
    ctx = Context(env["engine"], Scope.company(), load_settings(), env["as_of"], filters)
    frame = budget_attainment(ctx)
    return frame[frame["level"] == "overall"].iloc[0].to_dict()


def words(at: AppTest) -> str:
    return " ".join(e.value for kind in (at.caption, at.warning, at.info) for e in kind)


def test_attainment_page_measures_a_team_against_its_targets_and_says_so(app_env):
    at = open_page(app_env, "director", "pages/attainment.py", team=TEAM)
    assert not at.exception, at.exception
    expected = overall(app_env, Filters(teams=(TEAM,)))
    company = overall(app_env, Filters())
    values = {m.label: m.value for m in at.metric}
    assert "年度预算（万元）" not in values and "年度预算" not in values
    target_label = next(label for label in values if label.startswith("年度目标"))
    assert values[target_label] == wan(expected["budget_annual"])
    assert values["预算完成率"] == pct(expected["attainment"])
    assert values["预算完成率"] != pct(expected["actual_ytd"] / company["budget_annual"])
    assert "按目标计算" in words(at) and "个人目标之和" in words(at)


def test_attainment_page_shows_no_ratio_when_nothing_can_follow_the_filters(app_env):
    at = open_page(app_env, "director", "pages/attainment.py", team=TEAM, product="综合VPN")
    assert not at.exception, at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["预算完成率"] == "—" and values["累计预算完成率"] == "—"
    assert "不显示完成率与缺口" in words(at)


@pytest.mark.parametrize("page", ["pages/home.py", "pages/forecast.py"])
def test_home_and_forecast_say_the_basis_too(app_env, page):
    at = open_page(app_env, "director", page, team=TEAM)
    assert not at.exception, at.exception
    assert "按目标计算" in words(at)
    at = open_page(app_env, "director", page, team=TEAM, product="综合VPN")
    assert not at.exception, at.exception
    assert "不显示完成率与缺口" in words(at)
