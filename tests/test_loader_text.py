"""Mojibake and byte order marks never reach the warehouse (issue 13, item 8). Both backends.

A GBK export in which one row was saved as UTF-8: GBK decodes those bytes
without an error, to mojibake (数据专线 → 鏁版嵁涓撶嚎), so that row is
quarantined with the reason.  A row GBK refuses is quarantined too, instead of
stopping the batch; a file with many such rows stops, naming the encodings to
choose from.  A U+FEFF at the start of a data line or inside a cell is removed
(``'\\ufeffZC2025000003'`` joined nothing).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from analytics import schema
from tests.test_loader_helpers import fresh, load, rows

HEADER = "活动编号,商机编号,客户编号,工号,类型,日期"
MOJIBAKE = "数据专线".encode().decode("gbk")  # what GBK makes of the UTF-8 bytes: 鏁版嵁涓撶嚎


def activity(i: int, customer: str = "C001") -> str:
    return f"A{i:03d},OPP{i:03d},{customer},S003,拜访,2024-02-01"


def gbk_file(path: Path, replaced: dict[int, bytes], count: int = 12) -> Path:
    """A GBK activities file (CRLF) whose data line i (1 = first after the header) is ``replaced[i]``."""
    lines = [HEADER.encode("gbk")] + [activity(i).encode("gbk") for i in range(1, count + 1)]
    for index, raw in replaced.items():
        lines[index] = raw
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return path


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


def stored_text(engine) -> str:
    """Every text cell of every data table, joined: what a search for mojibake must not find."""
    cells = []
    for name in schema.DATA_TABLES:
        table = schema.metadata.tables[name]
        text_columns = [c.name for c in table.columns if c.type.python_type is str]
        if text_columns:
            listed = ", ".join(f'"{c}"' for c in text_columns)
            cells += [str(v) for row in rows(engine, f'SELECT {listed} FROM "{name}"') for v in row if v]
    return "\n".join(cells)


def test_a_utf8_row_in_a_gbk_file_is_quarantined_not_mojibake(wh, tmp_path):
    assert "数据专线".encode().decode("gbk") == "鏁版嵁涓撶嚎"  # GBK takes these bytes without an error
    path = gbk_file(tmp_path / "营销活动记录.csv", {5: activity(5, "数据专线").encode()})
    report = load(wh, str(path))
    assert report.outcome == "loaded", report.text()
    (result,) = report.files
    assert (result.encoding, result.rows_in, result.loaded, result.quarantined) == ("gbk", 12, 11, 1)
    (row,) = report.quarantine.itertuples()
    assert row.line_no == 6
    assert row.reason == "第 6 行是 UTF-8 编码，而文件是 GBK：按 GBK 读会成乱码，请按 GBK 重新保存该行"
    assert "数据专线" in row.raw_row  # shown as the analyst wrote it
    assert MOJIBAKE not in stored_text(wh)
    assert rows(wh, "SELECT count(*) FROM activities WHERE activity_id = 'A005'") == [(0,)]


def test_a_row_gbk_refuses_is_quarantined_and_the_rest_loads(wh, tmp_path):
    path = gbk_file(
        tmp_path / "营销活动记录.csv", {3: b"A003,OPP003,C\xff\xff1,S003," + "拜访,2024-02-01".encode("gbk")}
    )
    report = load(wh, str(path))
    assert report.outcome == "loaded", report.text()
    assert (report.rows_in, report.loaded, report.quarantined) == (12, 11, 1)
    assert list(report.quarantine["reason"]) == ["第 4 行不是有效的 GBK 编码"]
    assert "\ufffd" not in stored_text(wh)


def test_the_chosen_encoding_is_line_aware_too(wh, tmp_path):
    path = gbk_file(tmp_path / "营销活动记录.csv", {2: activity(2, "数据专线").encode()})
    report = load(wh, str(path), overrides={"encoding": "GB18030"})
    assert report.outcome == "loaded" and report.quarantined == 1
    assert "第 3 行是 UTF-8 编码，而文件是 GB18030" in report.quarantine["reason"][0]
    assert MOJIBAKE not in stored_text(wh)


def test_many_bad_rows_stop_the_file_with_the_encodings_to_choose(wh, tmp_path):
    utf8 = {i: activity(i, "数据专线").encode() for i in range(1, 13)}
    path = gbk_file(tmp_path / "营销活动记录.csv", utf8)
    path.write_bytes(HEADER.encode("gbk") + b"\r\n" + path.read_bytes().split(b"\r\n", 1)[1])
    report = load(wh, str(path), overrides={"encoding": "gbk"})
    assert report.outcome == "refused"
    assert "文件有 12 行不是有效的 GBK 编码（第一处在第 2 行），可能选错了编码" in report.files[0].message
    assert "utf-8" in report.files[0].choices


def test_a_gbk_row_in_a_utf8_file_is_quarantined(wh, tmp_path):
    lines = [HEADER] + [activity(i, "数据专线") for i in range(1, 13)]
    data = [line.encode() for line in lines]
    data[7] = activity(7, "数据专线").encode("gbk")
    path = tmp_path / "营销活动记录.csv"
    path.write_bytes(b"\n".join(data) + b"\n")
    report = load(wh, str(path))
    assert report.outcome == "loaded", report.text()
    assert report.files[0].encoding == "utf-8"
    assert report.quarantined == 1 and "第 8 行不是有效的 UTF-8 编码" in list(report.quarantine["reason"])
    assert rows(wh, "SELECT DISTINCT customer_id FROM activities") == [("数据专线",)]


@pytest.mark.parametrize(
    ("customer", "encodings"),
    [
        (
            "数据专线",
            ("gbk", "gb18030"),
        ),  # valid GB18030 as it stands: GB18030 is believed, the line set apart
        ("单", ("gbk",)),  # no codec decodes the sample whole: the one setting fewest lines apart
    ],
)
def test_an_odd_row_in_the_sample_does_not_stop_detection(wh, tmp_path, customer, encodings):
    path = gbk_file(tmp_path / "营销活动记录.csv", {2: activity(2, customer).encode()}, count=30)
    report = load(wh, str(path))
    assert report.outcome == "loaded", report.text()
    assert report.files[0].encoding in encodings
    assert (report.loaded, report.quarantined) == (29, 1)
    assert report.quarantine["reason"][0].startswith("第 3 行是 UTF-8 编码")
    assert customer.encode().decode("gbk", "replace") not in stored_text(wh)


def test_a_bad_header_line_refuses_the_file(wh, tmp_path):
    path = gbk_file(tmp_path / "营销活动记录.csv", {})
    path.write_bytes(HEADER.encode() + b"\r\n" + path.read_bytes().split(b"\r\n", 1)[1])
    report = load(wh, str(path), overrides={"encoding": "gbk"})
    assert report.outcome == "refused"
    assert "文件第 1 行（表头）不是有效的 GBK 编码" in report.files[0].message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_bom_inside_the_file_is_removed_not_stored(wh, tmp_path, encoding):
    bom = "\ufeff".encode()
    lines = [HEADER.encode(encoding)] + [
        activity(i).encode("gbk" if encoding == "gbk" else "utf-8") for i in (1, 2, 3)
    ]
    lines[2] = bom + b"ZC2025000003" + lines[2][4:]  # a concatenated export's BOM at a line start
    lines[3] = lines[3].replace(b"C001", bom + b"C001")  # a BOM pasted into a cell
    path = tmp_path / "营销活动记录.csv"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    report = load(wh, str(path), overrides={"encoding": encoding})
    assert report.outcome == "loaded" and report.quarantined == 0, report.text()
    assert rows(wh, "SELECT activity_id, customer_id FROM activities ORDER BY 1") == [
        ("A001", "C001"), ("A003", "C001"), ("ZC2025000003", "C001"),
    ]  # fmt: skip
    assert "\ufeff" not in stored_text(wh)
    assert "已删除文件中的 2 个字节顺序标记（U+FEFF）" in report.files[0].notes


def test_a_bom_in_a_spreadsheet_cell_is_removed(wh, tmp_path):
    path = tmp_path / "营销活动记录.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("活动")
    for row, values in enumerate([HEADER.split(","), activity(1).split(",")]):
        sheet.write_row(row, 0, values)
    sheet.write(1, 0, "\ufeffZC2025000003")
    book.close()
    report = load(wh, str(path))
    assert report.outcome == "loaded", report.text()
    assert rows(wh, "SELECT activity_id FROM activities") == [("ZC2025000003",)]


@pytest.mark.parametrize("width", [3, 120, 2000])  # short lines (int16 sums) and long ones (int32)
def test_utf8_lines_are_found_in_bulk_whatever_their_length(width):
    from analytics.loader.mixed import utf8_lines

    gbk = [(f"A{i},上海浦江证券有限公司,卤茅," + "客" * width).encode("gbk") for i in range(50)]
    lines = list(gbk)
    lines[7] = ("A7,数据专线," + "客" * width).encode()
    lines[49] = ("A49,丢单," + "单" * width).encode()  # the last line, without a newline
    block = b"\n".join(lines)
    spans = utf8_lines(block)
    assert [block[a:b].rstrip(b"\n") for a, b in spans] == [lines[7], lines[49]]
    assert utf8_lines(b"\n".join(gbk)) == []
