"""The upload page says what a load replaces and holds a shrinking one until confirmed (issue 17 item 2).

AppTest over the world of tests/test_loader_replacement.py (浦东 4 rows, 100.0 万元;
静安 3 rows, 180.0 万元 on 2026-11-20), on both backends.
"""

from __future__ import annotations

from analytics import loader
from analytics.settings import load_settings
from tests.test_loader_helpers import scalar
from tests.test_loader_pages import app, page_engine, texts  # noqa: F401  (fixtures)
from tests.test_loader_replacement import FULL, ORG, opportunities


def _world(engine, tmp_path) -> None:
    paths = []
    for name, content in (("org.csv", ORG), ("商机清单_全.csv", opportunities(FULL))):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        paths.append(loader.Input.from_path(path))
    report = loader.load(engine, paths, username="tester", settings=load_settings())
    assert report.outcome == "loaded", report.message


def test_a_shrinking_partial_upload_needs_the_checkbox_naming_its_numbers(app, page_engine, tmp_path):  # noqa: F811
    _world(page_engine, tmp_path)
    at = app.run()
    at.switch_page("pages/upload.py").run()
    partial = opportunities([("P1", "S101", 150_000), ("P5", "S102", 50_000)]).encode()
    at.file_uploader(key="upload_files").set_value(("商机清单_浦东.csv", partial, "text/csv")).run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "将替换的数据" in shown
    assert "快照日期 2026-11-20：现有 4 行（100.0 万元） → 导入后 2 行（20.0 万元）（减少 80.0%）" in shown
    assert "只替换文件中的分公司：浦东（其他分公司的 3 行保留）" in shown
    assert "减少超过 20%" in shown
    (box,) = [c for c in at.checkbox if c.key.startswith("upload_confirm_")]
    assert box.label == "确认用 2 行（20.0 万元）替换快照日期 2026-11-20 浦东 的 4 行（100.0 万元）"
    assert at.button(key="upload_load").disabled
    assert scalar(page_engine, "SELECT count(*) FROM opportunity_snapshot") == 7
    box.check().run()
    assert not at.exception, at.exception
    assert not at.button(key="upload_load").disabled
    at.button(key="upload_load").click().run()
    assert not at.exception, at.exception
    assert "导入完成" in texts(at)
    assert scalar(page_engine, "SELECT count(*) FROM opportunity_snapshot") == 5  # 静安's 3 kept
