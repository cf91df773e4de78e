"""The upload and load-history pages in AppTest: preview, load, report, history, undo. Both backends."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.db import ensure_schema
from analytics.settings import load_settings
from tests.conftest import drop_engine, new_engine
from tests.test_loader_helpers import FIXTURES, rows, scalar

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def page_engine(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    ensure_schema(engine)
    auth.ensure_demo_users(engine, "pages-pass-2026")
    yield engine
    drop_engine(backend, engine)


@pytest.fixture
def app(page_engine, monkeypatch):
    """AppTest signed in as the analyst over an empty warehouse, caches cleared."""
    _empty_data(page_engine)
    monkeypatch.setenv("SJGK_DATABASE_URL", page_engine.url.render_as_string(hide_password=False))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["auth_token"] = auth.create_session(page_engine, "analyst", load_settings())
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()


def _empty_data(engine) -> None:
    from sqlalchemy import delete

    from analytics import schema

    keep = {"app_users", "user_sessions", "audit_log"}
    with engine.begin() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            if table.name not in keep:
                conn.execute(delete(table))


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "success", "info", "warning", "error")
        for e in at.get(kind)
    ]
    parts += [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def test_upload_preview_then_load_then_report(app, page_engine):
    at = app.run()
    assert not at.exception, at.exception
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    data = (FIXTURES / "opportunities_errors.csv").read_bytes()
    org = (FIXTURES / "org.csv").read_bytes()
    at.file_uploader(key="upload_files").set_value(
        [("商机.csv", data, "text/csv"), ("组织.csv", org, "text/csv")]
    )
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "商机.csv — 商机清单 · utf-8 · 10 / 8" in shown and "组织.csv — 组织架构" in shown
    assert "这是此类文件的第一次导入" in shown
    assert scalar(page_engine, "SELECT count(*) FROM opportunity_snapshot") == 0  # preview writes nothing
    preview = next(d.value for d in at.dataframe if "opportunity_id" in d.value.columns)
    assert list(preview["opportunity_id"]) == ["E007", "E009"]
    at.button(key="upload_load").click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"读入行数": "15", "导入行数": "7", "隔离行数": "8"}
    assert "导入完成" in texts(at)
    # Each step after the commit, with its time: the derived tables, the week's frozen forecast.
    assert "提交后的步骤" in texts(at)
    assert re.search(r"汇总表构建: \d+\.\d\d s", texts(at)) and re.search(
        r"冻结本周预测 \S+: \d+\.\d\d s", texts(at)
    )
    assert scalar(page_engine, "SELECT count(*) FROM forecast_freezes") == 1
    assert scalar(page_engine, "SELECT count(*) FROM opportunity_snapshot") == 2
    assert at.get("download_button")  # the Excel report
    assert (
        scalar(page_engine, "SELECT count(*) FROM audit_log WHERE action = 'upload' AND username = 'analyst'")
        >= 1
    )
    # A new choice of files previews alone: the last load's report is not shown under it (issue 17 item 10).
    at.file_uploader(key="upload_files").set_value(("组织.csv", org, "text/csv")).run()
    assert not at.exception, at.exception
    assert "导入完成" not in texts(at) and not at.metric and "预览" in texts(at)


def test_encoding_override_fixes_a_doubtful_file(app, page_engine):
    at = app.run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload_files").set_value(
        ("big5.csv", (FIXTURES / "big5.csv").read_bytes(), "text/csv")
    )
    at.run()
    assert "编码不确定" in texts(at)
    assert at.button(key="upload_load").disabled
    at.selectbox(key="upload_encoding_0").set_value("big5").run()
    assert not at.exception, at.exception
    assert "编码不确定" not in texts(at) and not at.button(key="upload_load").disabled
    at.button(key="upload_load").click().run()
    assert scalar(
        page_engine, "SELECT customer_name FROM opportunity_snapshot WHERE opportunity_id = 'OPP1'"
    ) == ("上海浦江證券有限公司1號")


def test_history_lists_loads_and_undoes_with_confirmation(app, page_engine):
    from analytics import loader

    first = loader.load(page_engine, [loader.Input.from_path(FIXTURES / "opportunities_gbk.csv")], username="analyst",
                        settings=load_settings()).files[0].load_id  # fmt: skip
    path = FIXTURES / "opportunities_utf8_bom.csv"  # the same snapshot date: replaces the first
    second = loader.load(page_engine, [loader.Input.from_path(path)], username="analyst",
                         settings=load_settings()).files[0].load_id  # fmt: skip
    at = app.run()
    at.switch_page("pages/load_history.py").run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "编号" in d.value.columns)
    assert list(table["编号"])[:2] == [second, first]
    # Kinds and outcomes in words, nothing missing shown as None (issue 17 item 9).
    assert set(table["类型"]) == {"商机清单"} and set(table["结果"]) == {"已导入"}
    assert not table.isna().any().any()
    at.selectbox(key="history_undo_pick").set_value(first).run()
    assert f"#{second} opportunities_utf8_bom.csv" in texts(at)  # the dependent load is named first
    assert at.button(key="history_undo_button").disabled
    at.checkbox(key=f"history_confirm_{first}").check().run()
    at.button(key="history_undo_button").click().run()
    assert not at.exception, at.exception
    assert f"#{second}、#{first}" in texts(at)
    assert scalar(page_engine, "SELECT count(*) FROM opportunity_snapshot") == 0
    assert rows(page_engine, "SELECT outcome FROM load_history ORDER BY load_id") == [
        ("undone",), ("undone",), ("undo",),
    ]  # fmt: skip
