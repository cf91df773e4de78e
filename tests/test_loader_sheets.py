"""A workbook with several sheets (issue 13, item 4): the first is read, and said so. Both backends.

data-contract.md: ``.xlsx`` — the first sheet unless one is named.  A
营销活动记录.xlsx with a second 填写说明 sheet used to refuse the whole batch;
now its first sheet loads, the preview and the load report name the sheet read
and the others, and the analyst can pick another (``--sheet``, or the upload
page's sheet choice).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from analytics.cli import main
from tests.test_loader_helpers import FIXTURES, fresh, load, rows
from tests.test_loader_pages import app, page_engine, texts  # noqa: F401  (fixtures)

ACTIVITIES = [
    ["活动编号", "商机编号", "客户编号", "工号", "类型", "日期"],
    ["A101", "OPP001", "C001", "S003", "拜访", "2024-02-01"],
    ["A102", "", "C002", "S003", "电话", "2024/2/3"],
]
GUIDE = [["填写说明"], ["日期请按 2024-03-05 填写"], ["类型：拜访、电话、方案"]]


def workbook(path: Path, *sheets: tuple[str, list[list]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, cells in sheets:
        sheet = book.add_worksheet(name)
        for row, values in enumerate(cells):
            sheet.write_row(row, 0, values)
    book.close()
    return path


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


@pytest.fixture
def two_sheets(tmp_path) -> Path:
    return workbook(tmp_path / "营销活动记录.xlsx", ("活动", ACTIVITIES), ("填写说明", GUIDE))


NOTE = "读取工作表 '活动'（工作簿另有：填写说明；可另选工作表）"


def test_the_first_sheet_loads_and_the_report_names_it(wh, two_sheets):
    report = load(wh, str(two_sheets), "org.csv")  # one batch: the workbook no longer stops the other file
    assert report.outcome == "loaded", report.text()
    result = next(f for f in report.files if f.name == two_sheets.name)
    assert (result.kind, result.rows_in, result.loaded, result.quarantined) == ("activities", 2, 2, 0)
    assert NOTE in result.notes and result.choices == ("活动", "填写说明")
    assert NOTE in report.text()
    summary = report.summary_frame().set_index("文件")
    assert summary.loc[two_sheets.name, "说明"] == NOTE
    assert rows(wh, "SELECT activity_id FROM activities ORDER BY 1") == [("A101",), ("A102",)]


def test_the_fixture_budget_workbook_reads_its_first_sheet(wh):
    report = load(wh, "budget_two_sheets.xlsx")
    assert report.outcome == "loaded" and report.loaded == 3
    assert "读取工作表 '收入预算'（工作簿另有：备注1；可另选工作表）" in report.files[0].notes


def test_a_blank_first_sheet_is_passed_over_and_a_missing_sheet_is_refused(wh, tmp_path):
    path = workbook(tmp_path / "活动.xlsx", ("Sheet1", []), ("活动", ACTIVITIES))
    report = load(wh, str(path))
    assert report.outcome == "loaded" and report.loaded == 2
    assert "读取工作表 '活动'（工作簿另有：Sheet1；可另选工作表）" in report.files[0].notes
    report = load(wh, str(path), overrides={"sheet": "说明"})
    assert report.outcome == "refused"
    assert report.files[0].message == "工作簿中没有工作表 '说明'（有：Sheet1、活动）"


def test_the_sheet_option_picks_another_sheet(wh, two_sheets, capsys):
    url = wh.url.render_as_string(hide_password=False)
    assert main(["load", "--db", url, str(two_sheets), "--sheet", "填写说明"]) == 1
    out = capsys.readouterr().out
    # The guide sheet was read (and is no data): its header is what the refusal names.
    assert "无法从表头识别文件类型（表头：填写说明）" in out
    assert "可选 / choices: 活动, 填写说明" in out
    assert main(["load", "--db", url, str(two_sheets), "--sheet", "活动"]) == 0
    assert "读取工作表 '活动'（工作簿另有：填写说明" in capsys.readouterr().out
    assert rows(wh, "SELECT count(*) FROM activities") == [(2,)]


def test_the_upload_preview_names_the_sheet_and_offers_the_others(app, page_engine, two_sheets):  # noqa: F811
    at = app.run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload_files").set_value(
        [
            (two_sheets.name, two_sheets.read_bytes(), "application/octet-stream"),
            ("组织.csv", (FIXTURES / "org.csv").read_bytes(), "text/csv"),
        ]
    )
    at.run()
    assert not at.exception, at.exception
    assert NOTE in texts(at)
    assert not at.button(key="upload_load").disabled
    at.selectbox(key="upload_sheet_0").set_value("填写说明").run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "读取工作表 '填写说明'（工作簿另有：活动；可另选工作表）" in shown
    assert at.button(key="upload_load").disabled  # the guide is no data
