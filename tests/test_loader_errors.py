"""Each class of error, with its message: quarantined rows, refused files, limits. Both backends."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from analytics.settings import load_settings
from tests.test_loader_helpers import fresh, load, rows, scalar, state


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


REASONS = {
    2: ("预计签约日期", "2024-13-40", "预计签约日期 '2024-13-40' 不是有效日期"),
    3: ("阶段", "9", "阶段 '9' 不是有效阶段"),
    4: ("预计年综合收益", "一千", "预计年综合收益 '一千' 不是有效金额"),
    5: ("客户名称", None, "客户名称 为空（必填）"),
    6: ("关闭日期", "赢单", "状态为 '赢单' 的商机必须填写关闭日期"),
    7: ("状态", "完成", "状态 '完成' 不是可识别的值（可用：跟进中、赢单、丢单、中止）"),
    9: ("商机编号", "E007", "商机编号 'E007' 在本文件中重复（第 8 行已有，保留第一行）"),
    10: (None, "E008,好客户,IPTV,S003,1,跟进中,1000", "第 10 行有 7 列，表头有 11 列（列数不齐）"),
}


def test_bad_rows_are_quarantined_with_line_field_value_and_reason(wh):
    report = load(wh, "opportunities_errors.csv")
    assert report.outcome == "loaded"
    (result,) = report.files
    assert (result.rows_in, result.loaded, result.quarantined) == (10, 2, 8)
    assert rows(wh, "SELECT opportunity_id, stage FROM opportunity_snapshot ORDER BY 1") == [
        ("E007", 1),
        ("E009", 1),
    ]
    stored = rows(
        wh, "SELECT line_no, field, raw_value, reason, raw_row, file_name FROM quarantine ORDER BY line_no"
    )
    assert [r[0] for r in stored] == sorted(REASONS)
    for line, field, raw, reason, raw_row, file_name in stored:
        want_field, want_raw, want_reason = REASONS[line]
        assert (field, raw) == (want_field, want_raw)
        assert reason.startswith(want_reason), reason
        assert file_name == "opportunities_errors.csv" and raw_row
    assert scalar(wh, "SELECT rows_in - rows_loaded - rows_quarantined FROM load_history") == 0
    assert list(report.quarantine["line_no"]) == sorted(REASONS)


def refused(engine, *names, settings=None, **overrides):
    before = state(engine)
    report = load(engine, *names, settings=settings, overrides=overrides)
    assert report.outcome == "refused" and not report.ok
    assert state(engine) == before  # a refusal writes no data
    outcomes = rows(engine, "SELECT outcome FROM load_history")
    assert outcomes and {o for (o,) in outcomes} == {"refused"}
    return report


def test_missing_required_columns_refuse_the_file_naming_fields_and_accepted_headers(wh):
    report = refused(wh, "missing_columns.csv")
    message = report.files[0].message
    assert "缺少必填列" in message
    assert "预计年综合收益（annual_value，可用表头：预计年综合收益、年综合收益" in message
    assert "创建日期（created_date" in message


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "文件为空"),
        ("blank.csv", "文件为空"),
        ("header_only.csv", "文件只有表头，没有数据行"),
        ("latin1.csv", "编码不确定"),
        ("big5.csv", "编码不确定"),
        ("build.py", "不支持的文件类型 '.py'"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_clear_message(wh, name, message):
    report = refused(wh, name)
    assert message in report.files[0].message


def test_doubtful_encoding_shows_the_choice_and_loads_when_chosen(wh):
    report = refused(wh, "big5.csv")
    assert "big5" in report.files[0].choices
    report = load(wh, "big5.csv", overrides={"encoding": "big5"})
    assert report.outcome == "loaded" and report.loaded == 3
    assert scalar(wh, "SELECT customer_name FROM opportunity_snapshot WHERE opportunity_id = 'OPP1'") == (
        "上海浦江證券有限公司1號"
    )


def test_wrong_encoding_override_is_refused_not_mojibake(wh):
    report = refused(wh, "opportunities_gbk.csv", encoding="utf-8")
    assert "不是有效的 UTF-8 编码" in report.files[0].message


def test_a_sheet_can_be_chosen(wh):
    report = load(wh, "budget_two_sheets.xlsx", overrides={"sheet": "备注1"})
    assert report.outcome == "loaded" and report.loaded == 3


def test_file_over_the_size_limit_is_refused(wh):
    settings = load_settings().with_overrides(max_upload_mb=0)
    report = refused(wh, "org.csv", settings=settings)
    assert "超过上限 0 MB（设置 max_upload_mb）" in report.files[0].message


def test_one_refused_file_refuses_the_whole_batch(wh):
    report = refused(wh, "org.csv", "missing_columns.csv")
    assert [f.outcome for f in report.files] == ["refused", "refused"]
    assert "同批次" in report.files[0].message
    assert scalar(wh, "SELECT count(*) FROM org") == 0


def test_unrecognised_file_lists_the_kinds(wh, tmp_path):
    notes = tmp_path / "说明.csv"
    notes.write_text("说明,日期\n这不是数据,2024-01-01\n", encoding="utf-8")
    report = refused(wh, str(notes))
    assert (
        "无法从表头识别文件类型" in report.files[0].message
        and "商机清单（opportunities）" in report.files[0].message
    )


def test_ragged_rows_blank_lines_and_quoted_newlines_keep_true_line_numbers(wh, tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text(
        '年度,工号,目标金额,备注\n2024,S1,100,"两行\n备注"\n\n2024,S2,200\n2024,S3,x,\n2024,S4,400,ok\n',
        encoding="utf-8",
    )
    report = load(wh, str(path))
    assert (report.rows_in, report.loaded, report.quarantined) == (4, 2, 2)
    assert rows(wh, "SELECT line_no, reason FROM quarantine ORDER BY line_no") == [
        (5, "第 5 行有 3 列，表头有 4 列（列数不齐）"),
        (6, "目标金额 'x' 不是有效金额（如 1234.5、1,234.50、¥1,234、12.5万），或超出范围"),
    ]
    assert rows(wh, "SELECT line_no FROM raw_rows ORDER BY 1") == [(2,), (7,)]


def test_snapshot_date_override_and_default(wh, tmp_path):
    report = load(wh, "opportunities_gbk.csv", overrides={"snapshot_date": date(2024, 3, 1)})
    assert report.files[0].covered == [date(2024, 3, 1)]
    path = tmp_path / "opps.csv"
    path.write_text("商机编号,客户名称,产品,客户经理工号,阶段,状态,预计年综合收益,创建日期\n"
                    "X1,客户,IPTV,S1,1,跟进中,100,2024-01-01\n", encoding="utf-8")  # fmt: skip
    report = load(wh, str(path))
    assert report.files[0].covered == [date(2024, 3, 8)]  # no 导出日期: the load date


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_control_characters_past_the_sample_quarantine_their_rows(wh, tmp_path, encoding):
    """Detection judges the first part of a file; decoding sees the rest (NUL would break PostgreSQL)."""
    lines = [f"2024,S{i:06d},{i},好" for i in range(40_000)]  # past detect.JUDGED_CHARS
    lines[30_000] = "2024,S\x00030000,30000,好"
    lines[30_001] = "2024,S030001,30001,\x0b好"
    path = tmp_path / "targets.csv"
    path.write_bytes(("年度,工号,目标金额,备注\n" + "\n".join(lines) + "\n").encode(encoding))
    report = load(wh, str(path))
    assert report.outcome == "loaded", report.text()
    assert (report.rows_in, report.loaded, report.quarantined) == (40_000, 39_998, 2)
    assert rows(wh, "SELECT line_no, field, raw_value, reason FROM quarantine ORDER BY line_no") == [
        (30_002, "工号", "S?030000", "工号 'S?030000' 含控制字符（以 ? 显示），可能是文件损坏或编码不对"),
        (30_003, "备注", "?好", "备注 '?好' 含控制字符（以 ? 显示），可能是文件损坏或编码不对"),
    ]
    assert scalar(wh, "SELECT count(*) FROM targets WHERE staff_id LIKE 'S%'") == 39_998


def test_padded_cells_parse_as_if_trimmed(wh, tmp_path):
    """Cells are parsed as read and, only when that fails, again trimmed (cells.Retry): same values."""
    path = tmp_path / "商机清单.csv"
    header = "商机编号,客户名称,产品,客户经理工号,阶段,状态,预计年综合收益(万元),创建日期,关闭日期,重点商机,导出日期"
    path.write_text(
        f"{header}\n"
        "P1, 甲 ,IPTV,S1,\t阶段3 ,跟进中,1.5,2024-01-02,,是　,2024-03-08\n"
        'P2,乙,IPTV,S1,2,\u3000赢单,"\u00a01,234.50 ",20240103 , 2024年3月1日,\t否, 2024-03-08 \n'
        "P3,丙,IPTV,S1,1,跟进中,2,2024-01-04,,Y, 2024-03-09\n"
        "P4,丁,IPTV,S1,1,跟进中, 一千 ,2024-01-05,,否,2024-03-08\n",
        encoding="utf-8",
    )
    report = load(wh, str(path))
    assert (report.rows_in, report.loaded, report.quarantined) == (4, 3, 1), report.text()
    assert rows(
        wh,
        "SELECT snapshot_date, opportunity_id, customer_name, stage, status, annual_value, created_date,"
        " closed_date, key_flag FROM opportunity_snapshot ORDER BY 2",
    ) == [
        (date(2024, 3, 8), "P1", "甲", 3, "open", D("15000.00"), date(2024, 1, 2), None, True),
        (date(2024, 3, 8), "P2", "乙", 2, "won", D("12345000.00"), date(2024, 1, 3), date(2024, 3, 1), False),
        (date(2024, 3, 9), "P3", "丙", 1, "open", D("20000.00"), date(2024, 1, 4), None, True),
    ]
    assert rows(wh, "SELECT line_no, raw_value FROM quarantine") == [(5, "一千")]
    assert rows(wh, "SELECT snapshot_date, row_count FROM snapshots ORDER BY 1") == [
        (date(2024, 3, 8), 2),
        (date(2024, 3, 9), 1),
    ]
