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
