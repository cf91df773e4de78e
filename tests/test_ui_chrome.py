"""Small UI pieces of issue 17 items 9 and 10 that need no warehouse."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui.admin_tables import detail_words


def _metrics_script() -> None:
    import streamlit as st

    from ui.widgets import metric

    metric(st, "attainment", "—", "attainment", delta="—")
    metric(st, "attainment", "91.5%", "attainment", delta="-1.1 pp")


def test_a_missing_delta_draws_no_arrow():
    at = AppTest.from_function(_metrics_script).run()
    assert not at.exception
    assert at.metric[0].proto.delta == ""  # no green '↑ —'
    assert at.metric[1].proto.delta == "-1.1 pp"


def test_audit_sentences_in_chinese_and_unknown_ones_as_recorded():
    assert detail_words("signed in") == "已登录"
    assert detail_words("added user analyst (staff S00003)") == "新增用户 analyst（工号 S00003）"
    assert detail_words("added user boss (role director)") == "新增用户 boss（角色 营销总监）"
    assert detail_words("bad password (3 in a row); locked until 2026-12-04 10:00") == (
        "密码错误（连续 3 次）；锁定至 2026-12-04 10:00"
    )
    assert detail_words("something new") == "something new" and detail_words(None) == ""


def test_band_note_words_zero_counts_as_what_they_mean():
    from ui.forecast_tables import band_note

    sim = {"runs": 2000, "slip_deals": 0, "exact_deals": 0, "normal_deals": 0}
    note = band_note(sim, mean="10.0", share="100.0%")
    assert "0 个" not in note and "100.0%" not in note
    assert "尚无赢单样本" in note and "没有在途商机" in note
    sim = {"runs": 2000, "slip_deals": 31, "exact_deals": 12, "normal_deals": 300}
    note = band_note(sim, mean="10.0", share="96.0%")
    assert "31 个赢单样本" in note and "逐笔模拟的商机 12 个（占方差 96.0%），其余 300 个" in note
    assert "全部 5 个在途商机逐笔模拟" in band_note({**sim, "exact_deals": 5, "normal_deals": 0}, "1", "1")


def test_date_axes_tick_in_numbers_and_other_axes_keep_theirs():
    import pandas as pd
    import plotly.graph_objects as go

    from ui.charts import chinese_dates
    from ui.charts_forecast import frozen_history_chart
    from ui.charts_funnel import story_stage_figure

    points = pd.DataFrame(
        {
            "changed_at": pd.to_datetime(["2026-09-20", "2026-10-02"]),
            "stage_after": [1, 2],
            "to_status": ["", ""],
        }
    )
    story = story_stage_figure(points, {0: "零", 1: "一", 2: "二"}, "t")
    assert story.layout.xaxis.tickformat == "%Y-%m-%d" and story.layout.yaxis.tickformat is None
    history = pd.DataFrame({"snapshot_date": [pd.Timestamp("2026-09-20").date()], "expected": [1e6]})
    assert frozen_history_chart(history, 1e6, {"frozen": "f", "today": "d"}, "t").layout.xaxis.tickformat
    months = chinese_dates(go.Figure(go.Bar(x=["2026-09", "2026-10"], y=[1, 2])))
    assert months.layout.xaxis.tickformat is None  # periods written as text stay categories
