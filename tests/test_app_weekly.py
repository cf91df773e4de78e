"""周例会 in AppTest: the page shows what analytics.metrics.movement computes, on the hand-made
movement world (tests/movement_world.py) and on the demo warehouse, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.settings import load_settings
from analytics.warehouse import replace_all
from tests import movement_world as world
from tests.conftest import drop_engine, new_engine

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "pages/weekly.py"
PASSWORD = "weekly-pass-2026"


@pytest.fixture(scope="module")
def weekly_world(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, world.build_frames(), loaded_by="test", label="fixture")
    auth.add_user(engine, "boss", PASSWORD, staff_id="D1")
    auth.add_user(engine, "zhang", PASSWORD, staff_id="A1")
    yield {"engine": engine, "url": engine.url.render_as_string(hide_password=False)}
    drop_engine(backend, engine)


@pytest.fixture
def world_env(weekly_world, monkeypatch):
    monkeypatch.setenv("SJGK_DATABASE_URL", weekly_world["url"])
    st.cache_data.clear()
    st.cache_resource.clear()
    yield weekly_world
    st.cache_data.clear()
    st.cache_resource.clear()


def page(env, username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["auth_token"] = auth.create_session(env["engine"], username, load_settings())
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at: AppTest, column: str, *more: str):
    """The first table on the page with these columns (tables are not widgets: no key look-up)."""
    return next(d.value for d in at.dataframe if {column, *more} <= set(d.value.columns))


def test_headline_and_waterfall_by_hand(world_env):
    at = page(world_env, "boss")
    shown = metrics(at)
    assert shown["期初在途（万元）"] == "33.6" and shown["期末在途（万元）"] == "24.5"
    assert shown["有变化的商机"] == "9"
    assert any("2026-06-23 → 2026-06-30" in c.value for c in at.caption)
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert chart["type"] == "waterfall"
    assert chart["y"] == pytest.approx(
        [33.600048, 0.800001, 2.6, 2.0, -1.000005, -3.0, -2.0, -1.5, -7.000033, 24.500011]
    )


def test_movement_table_lists_every_moved_deal_with_labels(world_env):
    at = page(world_env, "boss")
    table = table_with(at, "变化", "金额 A（万元）")
    assert len(table) == 9
    row = table.set_index("商机编号").loc["M1"]
    assert row["变化"] == "推进、延期、金额变化"
    assert (row["阶段 A"], row["阶段 B"]) == ("2", "3")
    new = table.set_index("商机编号")
    assert "None" not in set(new["阶段 A"]) and "—" in set(new["阶段 A"])  # a new deal has no stage in A
    at.selectbox(key="wk_table_label").set_value("removed").run()
    assert list(table_with(at, "变化", "金额 A（万元）")["商机编号"]) == ["M6"]


def test_a_bar_opens_its_deals(world_env):
    at = page(world_env, "boss")
    at.selectbox(key="wk_part").set_value("start").run()
    assert not at.exception
    bar = at.dataframe[0].value
    assert set(bar["商机编号"]) == {"M1", "M2", "M3", "M4", "M5", "M6", "M11", "M12", "M13"}
    at.selectbox(key="wk_part").set_value("increase").run()
    assert list(at.dataframe[0].value["商机编号"]) == ["M1"]


def test_key_deals_removed_deals_and_trend(world_env):
    at = page(world_env, "boss")
    keys = table_with(at, "⚠", "延期次数")
    assert list(keys["商机编号"]) == ["M1", "M2", "M6"]
    assert list(keys["⚠"]) == ["⚠", "⚠", ""]
    assert list(keys["待响应支撑"]) == [1, 0, 0]
    removed = table_with(at, "商机名称", "金额 A（万元）")
    assert list(removed["商机编号"]) == ["M6"]
    assert not any("对比快照（A）" in d.value.columns for d in at.dataframe), (
        "the trend waits to be asked for"
    )
    at.toggle(key="wk_show_trend").set_value(True).run()
    trend = table_with(at, "对比快照（A）", "本期快照（B）")
    assert len(trend) == 2 and list(trend["期末在途"]) == [9, 7]


def test_groups_key_on_branch_and_team(world_env):
    at = page(world_env, "boss")
    teams = table_with(at, "分局", "团队", "期初在途")
    assert sorted(zip(teams["分局"], teams["团队"], strict=True)) == [("徐汇", "一组"), ("浦东", "一组")]


def test_picking_snapshot_a(world_env):
    at = page(world_env, "boss")
    at.selectbox(key="wk_snapshot_a").set_value(world.S0).run()
    assert not at.exception
    assert any("2026-06-16 → 2026-06-30" in c.value for c in at.caption)
    at.selectbox(key="wk_snapshot_b").set_value(world.S0).run()
    assert any("两个快照" in i.value for i in at.info)


def test_account_manager_sees_only_their_movements(world_env):
    at = page(world_env, "zhang")
    table = table_with(at, "变化", "金额 A（万元）")
    assert set(table["商机编号"]) == {"M1", "M2", "M7", "M9"}
    assert metrics(at)["期末在途（万元）"] == "22.6"


@pytest.mark.parametrize(
    "username", ["director", "branch_head", "team_manager", "account_manager", "analyst"]
)
def test_page_runs_for_every_role_on_the_demo(app_env, username):
    at = page(app_env, username)
    if username != "analyst":
        assert at.get("plotly_chart"), "the waterfall is drawn"


def test_owner_scope_gets_the_pipeline_bridge(world_env):
    at = page(world_env, "zhang")
    assert any("本范围没有冻结的年末预测" in c.value for c in at.caption)
    assert "B 在途预期收入（万元）" in metrics(at)
    charts = [json.loads(c.proto.spec)["data"][0] for c in at.get("plotly_chart")]
    assert any("B 在途预期" in c["x"] for c in charts)


@pytest.fixture
def frozen_env(forecast_engine, monkeypatch):
    """The forecast world with every snapshot's forecast frozen and a director to sign in."""
    from analytics.forecast.freeze import freeze_all

    freeze_all(forecast_engine, load_settings())
    if not any(u["username"] == "boss" for u in auth.list_users(forecast_engine)):
        auth.add_user(forecast_engine, "boss", PASSWORD, staff_id="D1")
    yield from serve(
        {"engine": forecast_engine, "url": forecast_engine.url.render_as_string(hide_password=False)},
        monkeypatch,
    )


def serve(env, monkeypatch):
    monkeypatch.setenv("SJGK_DATABASE_URL", env["url"])
    st.cache_data.clear()
    st.cache_resource.clear()
    yield env
    st.cache_data.clear()
    st.cache_resource.clear()


def test_why_the_forecast_moved(frozen_env):
    from analytics.context import Context
    from analytics.forecast.bridge import forecast_change
    from analytics.metrics.movement import snapshot_pair
    from analytics.scope import Scope
    from tests import forecast_world

    at = page(frozen_env, "boss")
    ctx = Context(frozen_env["engine"], Scope.company(), load_settings(), forecast_world.AS_OF)
    bridge = forecast_change(ctx, snapshot_pair(ctx))
    shown = metrics(at)
    assert shown["B 冻结预测（万元）"] == f"{bridge.expected_b_fen / 1_000_000:,.1f}"
    charts = [json.loads(c.proto.spec)["data"][0] for c in at.get("plotly_chart")]
    bridge_chart = next(c for c in charts if "新入账收入" in c["x"])
    assert bridge_chart["y"][1] == pytest.approx(4.67)  # 46,700 booked since A
    movers = table_with(at, "影响（万元）", "原因")
    assert list(movers["商机编号"]) == list(bridge.movers["opportunity_id"])


def test_weekly_in_english(world_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["auth_token"] = auth.create_session(world_env["engine"], "boss", load_settings())
    at.session_state["language"] = "en"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    table = table_with(at, "Movements", "Value A (10k CNY)")
    assert table.set_index("Opportunity").loc["M1", "Movements"] == "advanced, slipped, value changed"
