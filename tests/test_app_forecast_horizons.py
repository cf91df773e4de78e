"""收入预测 in December leads with next year (issue 16 item 3), and shows the window's figures.

A small demo generated as of 2026-12-04 (revenue through November) with the
2026 budget copied to 2027, so next year's budget is loaded; both backends.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.context import Context
from analytics.forecast.horizons import lead_horizon, window_forecast
from analytics.scope import Filters
from analytics.settings import load_settings
from analytics.warehouse import replace_all
from tests.conftest import drop_engine, new_engine, serve_to_apptest
from ui.format import wan

APP = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "app.py")
DECEMBER = date(2026, 12, 4)
PASSWORD = "demo-pass-2026"


@pytest.fixture(scope="module")
def december_demo(backend, tmp_path_factory, pg_available):
    from analytics.demo.generate import generate

    frames = generate(7, DECEMBER, scale=0.05)
    budget = frames["budget"]
    frames["budget"] = pd.concat([budget, budget.assign(year=2027)], ignore_index=True)
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, frames, loaded_by="demo", label="demo")
    auth.ensure_demo_users(engine, PASSWORD)
    yield {"url": engine.url.render_as_string(hide_password=False), "engine": engine, "as_of": DECEMBER}
    drop_engine(backend, engine)


@pytest.fixture
def app_env(december_demo, monkeypatch):
    yield from serve_to_apptest(december_demo, monkeypatch)


def test_december_opens_on_next_year_with_its_band_and_budget(app_env):
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["auth_token"] = auth.create_session(app_env["engine"], "director", load_settings())
    at.run()
    at = at.switch_page("pages/forecast.py").run()
    assert not at.exception, at.exception
    settings = load_settings()
    scope = auth.scope_for_user(app_env["engine"], "director", settings)
    ctx = Context(app_env["engine"], scope, settings, DECEMBER, Filters())
    assert lead_horizon(ctx) == "next_year"
    radio = next(r for r in at.radio if r.label == "预测期")
    assert radio.value == "next_year"
    expected = window_forecast(ctx, "next_year")
    assert (expected["first_period"], expected["last_period"]) == (202701, 202712)
    values = {m.label: m.value for m in at.metric}
    assert (values["P10（万元）"], values["P50（万元）"], values["P90（万元）"]) == tuple(
        wan(expected["overall"][q]) for q in ("p10", "p50", "p90")
    )
    assert values["预测期收入（万元）"] == wan(expected["overall"]["forecast_expected"])
    assert values["预测期预算（万元）"] == wan(expected["overall"]["budget"])
    assert values["预算缺口（万元）"] == wan(expected["overall"]["gap"])
    assert expected["overall"]["p10"] < expected["overall"]["p90"]  # not a collapsed band
    assert any("2027-01" in c.value and "2027-12" in c.value for c in at.caption)
    # The year-end is one click away and shows its own page.
    at = radio.set_value("year_end").run()
    assert not at.exception, at.exception
    assert "年末收入预测（万元）" in {m.label for m in at.metric}


def test_calibration_page_shows_the_company_band_and_coverage_by_months_ahead(app_env):
    from analytics.forecast.calibration import calibration
    from analytics.forecast.freeze import freeze_all
    from ui.format import count, pct

    settings = load_settings()
    freeze_all(app_env["engine"], settings)
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["auth_token"] = auth.create_session(app_env["engine"], "director", settings)
    at.run()
    at = at.switch_page("pages/calibration.py").run()
    assert not at.exception, at.exception
    scope = auth.scope_for_user(app_env["engine"], "director", settings)
    result = calibration(Context(app_env["engine"], scope, settings, DECEMBER, Filters()))
    company = result["frozen_company_summary"]
    assert company["scored"] > 0
    values = {m.label: m.value for m in at.metric}
    assert values["已评分的公司合计"] == count(company["scored"])
    assert values["公司合计区间覆盖率"] == pct(company["coverage"])
    assert not any("只在查看全公司" in c.value for c in at.caption)  # the whole company: no excuse shown
    lead = result["frozen_by_lead"]
    assert len(lead) and lead["months_ahead"].min() >= 0
    assert any(len(frame.value) == len(lead) and "提前月数" in frame.value.columns for frame in at.dataframe)
    # Every frozen horizon's backtest, in one table (issue 16 item 4).
    by_horizon = result["frozen_by_horizon"]
    assert set(by_horizon["horizon"]) == {"year_end", "next_quarter", "next_12_months"}
    table = next(frame.value for frame in at.dataframe if "独立结果数" in frame.value.columns)
    assert len(table) == len(by_horizon) and {"年底", "下季度", "未来12个月"} <= set(table["预测期"])
    # The two naive baselines beside the P50, frozen with every horizon (the windows' too).
    naive = ["朴素管道 误差率", "朴素管道 偏差", "去年同期 误差率", "去年同期 偏差"]
    assert set(naive) <= set(table.columns)
    assert (table[naive] != "—").all().all()
