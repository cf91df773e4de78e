"""预算完成, 收入预测 and 预测校准 in AppTest: the figures shown equal the analytics values.

Runs on the small demo warehouse of both backends; its snapshots are frozen
first (as ``analytics demo`` does) so the calibration page has frozen
forecasts to score.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.context import Context
from analytics.forecast.calibration import calibration
from analytics.forecast.freeze import freeze_all
from analytics.forecast.yearend import year_end_forecast
from analytics.metrics.attainment import budget_attainment
from analytics.scope import Filters
from analytics.settings import load_settings
from tests.conftest import serve_to_apptest
from ui.format import count, pct, points, wan

APP = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def frozen_demo(demo_warehouse):
    freeze_all(demo_warehouse["engine"], load_settings())
    return demo_warehouse


@pytest.fixture
def app_env(frozen_demo, monkeypatch):
    yield from serve_to_apptest(frozen_demo, monkeypatch)


def open_page(env, username: str, page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["auth_token"] = auth.create_session(env["engine"], username, load_settings())
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(page).run()


def ctx_for(env, username: str, filters: Filters | None = None) -> Context:
    settings = load_settings()
    scope = auth.scope_for_user(env["engine"], username, settings)
    return Context(env["engine"], scope, settings, env["as_of"], filters or Filters())


def shown(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("username", ["director", "branch_head"])
def test_attainment_page_shows_the_analytics_values(app_env, username):
    at = open_page(app_env, username, "pages/attainment.py")
    assert not at.exception, at.exception
    frame = budget_attainment(ctx_for(app_env, username))
    overall = frame[frame["level"] == "overall"].iloc[0]
    values = shown(at)
    assert values["预算完成率"] == pct(overall["attainment"])
    assert values["同口径时序进度"] == pct(overall["period_progress"])
    assert values["收入数据截至帐期"] == str(int(overall["data_through"]))
    assert any(
        str(int(overall["data_through"])) in caption.value and "同口径" in caption.value
        for caption in at.caption
    )  # data_through and the like-for-like basis always shown
    metric = next(m for m in at.metric if m.label == "预算完成率")
    assert metric.proto.delta == points(overall["period_gap"]) and metric.proto.help
    table = at.dataframe[0].value
    assert len(table) == len(frame[frame["level"] == "product"])
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert any(trace.get("type") == "indicator" for f in figures for trace in f["data"])


def test_forecast_page_shows_the_analytics_values(app_env):
    at = open_page(app_env, "director", "pages/forecast.py")
    assert not at.exception, at.exception
    result = year_end_forecast(ctx_for(app_env, "director"))
    overall = result["overall"]
    values = shown(at)
    assert values["年末收入预测（万元）"] == wan(overall["forecast_expected"])
    assert values["存量收入延续（万元）"] == wan(overall["run_rate"])
    assert values["在途商机预期收入（万元）"] == wan(overall["pipeline_expected"])
    assert values["预算缺口（万元）"] == wan(overall["gap"])
    # The band as three whole figures (issue 16: the range was cut off on screen).
    assert (values["P10（万元）"], values["P50（万元）"], values["P90（万元）"]) == tuple(
        wan(overall[q]) for q in ("p10", "p50", "p90")
    )
    assert values["需新增一阶段商机（万元）"] == wan(overall["new_pipeline_needed"])
    if result["basis"]["note"] == "too_late":  # the demo's as_of is late November
        assert any("今年剩余时间太短" in w.value for w in at.warning)
    fan = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert any(trace.get("fill") == "tonexty" for f in fan for trace in f["data"])
    top = at.dataframe[1].value
    assert len(top) == len(result["contributors"])


def test_forecast_page_follows_the_filters(app_env):
    at = open_page(app_env, "director", "pages/forecast.py", branch="浦东")
    assert not at.exception, at.exception
    expected = year_end_forecast(ctx_for(app_env, "director", Filters(branches=("浦东",))))["overall"]
    assert shown(at)["年末收入预测（万元）"] == wan(expected["forecast_expected"])


def test_calibration_page_shows_the_analytics_values(app_env):
    at = open_page(app_env, "director", "pages/calibration.py")
    assert not at.exception, at.exception
    result = calibration(ctx_for(app_env, "director"))
    values = shown(at)
    assert values["Brier 分数（校准概率）"] == f"{result['summary']['brier_score']:.4f}"
    assert values["Brier 分数（仅按阶段）"] == f"{result['summary']['brier_baseline']:.4f}"
    assert values["回测预测数"] == count(result["summary"]["predictions"])
    assert values["已评分的冻结预测"] == count(result["frozen_summary"]["scored"])
    assert values["落入 P10–P90 的比例"] == pct(result["frozen_summary"]["coverage"])
    assert result["summary"]["predictions"] > 0 and result["frozen_summary"]["scored"] > 0
    assert len(at.get("plotly_chart")) >= 2
    verdict = "整体在抽样区间内" if result["summary"]["curve_within"] else "超出抽样区间"
    assert any(f"可靠性曲线{verdict}" in c.value for c in at.caption)  # the curve judged as a whole


@pytest.mark.parametrize("page", ["pages/attainment.py", "pages/forecast.py", "pages/calibration.py"])
def test_pages_say_so_when_there_is_nothing_to_show(app_env, page):
    at = open_page(app_env, "analyst", page)
    assert not at.exception, at.exception
    assert at.info, "an empty scope is said in words"
