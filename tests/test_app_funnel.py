"""The funnel-area pages in AppTest: the figures shown equal analytics', empty filters say so.

Runs against the small demo warehouse (both backends) signed in through a session
token, like tests/test_app_home.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.context import Context
from analytics.metrics.durations import stage_durations
from analytics.metrics.explorer import ListSearch, opportunity_list, opportunity_story
from analytics.metrics.funnel import funnel, funnel_breakdown, funnel_totals
from analytics.metrics.problems import problem_groups
from analytics.metrics.process_quality import process_quality
from analytics.scope import Filters
from analytics.settings import load_settings
from ui.format import count, pct, wan

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EMPTY_PERIOD = {"created_from": "2010-01-01", "created_to": "2010-01-31"}


def open_page(env, page: str, username: str = "director", **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["auth_token"] = auth.create_session(env["engine"], username, load_settings())
    at.run()
    at.switch_page(f"pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def context(env, username: str = "director") -> Context:
    settings = load_settings()
    scope = auth.scope_for_user(env["engine"], username, settings)
    return Context(env["engine"], scope, settings, env["as_of"], Filters())


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at: AppTest, *columns: str, nth: int = 0) -> pd.DataFrame:
    """The nth dataframe shown that has all these (translated) columns."""
    frames = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    return frames[nth]


def test_funnel_page_figures_equal_analytics(app_env):
    at = open_page(app_env, "funnel")
    expected = funnel(context(app_env))
    totals = funnel_totals(expected)
    shown = metric_values(at)
    assert shown["队列商机数"] == count(totals["cohort"])
    assert shown["赢单"] == count(totals["won"])
    assert shown["赢单金额（万元）"] == wan(totals["won_value"])
    assert shown["队列赢单率"] == pct(totals["win_rate_cohort"])
    assert shown["关闭赢单率"] == pct(totals["win_rate_closed"])
    assert all(m.proto.help for m in at.metric)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["x"] == [*expected["reached"].tolist(), totals["won"]]
    table = at.dataframe[0].value
    assert table["到达数"].tolist() == expected["reached"].tolist()
    assert table["转化率"].tolist() == pytest.approx((expected["conversion"] * 100).tolist(), nan_ok=True)
    assert any("数据新鲜度" in c.value for c in at.caption)


def test_funnel_drill_down_lists_the_opportunities_behind_a_stage(app_env):
    at = open_page(app_env, "funnel")
    expected = funnel(context(app_env))
    at.selectbox(key="drill_stage").set_value(3).run()
    reached = int(expected.loc[expected["stage"] == 3, "reached"].iloc[0])
    assert any(c.value == f"共 {reached:,} 个商机" for c in at.caption)
    assert len(table_with(at, "到达最高阶段")) == reached
    assert at.page_link and "explorer" in at.page_link[0].proto.page


def test_funnel_breakdown_cell_drill_down(app_env):
    at = open_page(app_env, "funnel")
    at.segmented_control(key="funnel_dimension").set_value("origin").run()
    at.selectbox(key="drill_stage").set_value(1).run()
    at.selectbox(key="drill_segment_origin").set_value("dispatched").run()
    cells = funnel_breakdown(context(app_env))
    cell = cells[
        (cells["dimension"] == "origin") & (cells["segment"] == "dispatched") & (cells["stage"] == 1)
    ]
    assert len(table_with(at, "到达最高阶段")) == int(cell["reached"].iloc[0])
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert spec["data"][0]["type"] == "heatmap"


def test_funnel_page_with_an_empty_period_says_so(app_env):
    at = open_page(app_env, "funnel", **EMPTY_PERIOD)
    assert at.info and "没有数据" in at.info[0].value
    assert not at.get("plotly_chart")


def test_durations_page_equals_analytics(app_env):
    at = open_page(app_env, "durations")
    expected = stage_durations(context(app_env))
    table = at.dataframe[0].value
    assert table["中位天数"].tolist() == pytest.approx(expected["median_days"].tolist(), nan_ok=True)
    assert table["P90天数"].tolist() == pytest.approx(expected["p90_days"].tolist(), nan_ok=True)
    assert table["停滞数"].tolist() == expected["stale_count"].tolist()
    assert len(at.get("plotly_chart")) == 2


def test_durations_page_with_an_empty_period_says_so(app_env):
    at = open_page(app_env, "durations", **EMPTY_PERIOD)
    assert at.info and not at.get("plotly_chart")


def test_explorer_opens_on_open_deals_key_first_and_searches(app_env):
    """Issue 17 item 7: the page opens on open deals, key first then by value; clearing the
    status lists everything in scope."""
    at = open_page(app_env, "explorer", username="branch_head")
    everything = opportunity_list(context(app_env, "branch_head"))
    expected = opportunity_list(context(app_env, "branch_head"), ListSearch(statuses=("open",)))
    assert 0 < len(expected) < len(everything)
    assert any(
        c.value == f"共 {len(expected):,} 个商机（范围内合计 {len(everything):,} 个）" for c in at.caption
    )
    shown = table_with(at, "商机编号", "标签")
    assert shown["商机编号"].tolist() == expected["opportunity_id"].tolist()
    keys = expected["is_key"].tolist()
    assert keys == sorted(keys, reverse=True)  # key first
    for flag in (True, False):  # then by value, larger first
        values = expected[expected["is_key"] == flag]["annual_value"].tolist()
        assert values == sorted(values, reverse=True)
    at.multiselect(key="explorer_status").set_value([]).run()
    assert len(table_with(at, "商机编号", "标签")) == len(everything)
    assert at.download_button
    at.text_input(key="explorer_search").input("no-such-opportunity-xyz").run()
    assert at.info and "没有符合" in at.info[0].value


def test_explorer_story_in_scope_and_out_of_scope(app_env):
    mine = opportunity_list(context(app_env, "account_manager"))
    everyone = opportunity_list(context(app_env))
    outside = everyone[~everyone["opportunity_id"].isin(mine["opportunity_id"])]["opportunity_id"].iloc[0]
    at = open_page(
        app_env, "explorer", username="account_manager", opportunity=mine["opportunity_id"].iloc[0]
    )
    assert any("商机故事" in s.value for s in at.subheader) and not at.warning
    at = open_page(app_env, "explorer", username="account_manager", opportunity=outside)
    assert [w.value for w in at.warning] == ["未找到该商机，或不在您的查看范围内。"]
    assert not any("商机故事" in s.value for s in at.subheader)


def test_story_shows_activity_and_support_types_in_words(app_env):
    """Issue 17 item 9: visit, technical … are 拜访, 技术 in the story; no 'None' cell in its tables."""
    ctx = context(app_env)
    ids = opportunity_list(ctx)["opportunity_id"]
    told = next(i for i in ids if len((s := opportunity_story(ctx, i))["activities"]) and len(s["support"]))
    at = open_page(app_env, "explorer", opportunity=told)
    assert not at.exception
    types = {v for d in at.dataframe for v in d.value.get("类型", [])}
    assert types and types <= {
        "拜访",
        "电话",
        "方案",
        "会议",
        "高层拜访",
        "方案论证会",
        "技术",
        "资源",
        "业务",
    }
    for frame in (d.value for d in at.dataframe):
        assert not frame.isna().any().any(), frame


def test_explorer_with_an_empty_period_says_so(app_env):
    at = open_page(app_env, "explorer", **EMPTY_PERIOD)
    assert at.info and not at.dataframe


def test_problems_page_equals_analytics(app_env):
    at = open_page(app_env, "problems", username="branch_head")
    groups = problem_groups(context(app_env, "branch_head"))
    total = groups[groups["level"] == "total"].iloc[0]
    shown = metric_values(at)
    assert shown["问题商机"] == count(total["problem_count"])
    # Issue 17 item 7: the share flagged, problem deals over open deals in scope.
    share = total["problem_count"] / total["open_count"]
    assert 0 < share < 1 and total["problem_share"] == pytest.approx(share)
    assert shown["问题商机占在途商机"] == pct(share)
    told = f"在途商机 {count(total['open_count'])} 个中，问题商机 {count(total['problem_count'])} 个。"
    assert told in [c.value for c in at.caption]
    assert shown["风险金额"] == wan(total["value_at_risk"]) + " 万元"
    owners = table_with(at, "问题商机数", "客户经理")
    assert owners["问题商机数"].tolist() == groups[groups["level"] == "owner"]["problem_count"].tolist()


def test_problems_page_with_an_empty_period_says_so(app_env):
    at = open_page(app_env, "problems", **EMPTY_PERIOD)
    assert [i.value for i in at.info] == ["当前筛选范围内没有问题商机。"]


def test_process_page_equals_analytics(app_env):
    at = open_page(app_env, "process")
    quality = process_quality(context(app_env))
    total = quality[quality["level"] == "total"].iloc[0]
    shown = metric_values(at)
    assert shown["阶段变更"] == count(total["changes"])
    assert shown["跳阶段"] == f"{count(total['skipped_stages'])} · {pct(total['skipped_share'])}"
    teams = table_with(at, "跳阶段", "分局")
    assert teams["跳阶段"].tolist() == quality[quality["level"] == "team"]["skipped_stages"].tolist()


def test_process_page_with_an_empty_period_says_so(app_env):
    at = open_page(app_env, "process", **EMPTY_PERIOD)
    assert at.info and not at.get("plotly_chart")


def test_every_code_shown_has_a_label_in_both_languages():
    """Labels looked up from codes (t(f"class_{code}") …) exist, which the literal-key check cannot see."""
    from analytics.metrics.classes import CLASS_ORDER
    from analytics.metrics.explorer import SORTS, STORY_PARTS
    from analytics.metrics.funnel import DIMENSIONS
    from ui.catalogue import LABELS

    keys = [f"class_{c}" for c in CLASS_ORDER] + [f"dim_{d}" for d in DIMENSIONS]
    keys += [f"stage_{k}" for k in (0, 1, 2, 3, 4, 5, "won")] + [f"sort_{s}" for s in ("default", *SORTS)]
    keys += [f"status_{s}" for s in ("open", "won", "lost", "terminated")] + [
        "origin_mined",
        "origin_dispatched",
    ]
    keys += [f"story_{p}" for p in STORY_PARTS] + [
        f"label_is_{n}" for n in ("key", "competitive", "terminated", "abnormal", "problem")
    ]
    missing = [k for k in keys if k not in LABELS]
    assert not missing
