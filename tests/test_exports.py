"""Every Excel export writes data as data: text never becomes a formula or a link, money is in
the unit its header says.  Explorer, workload, the loader's validation report and the command
line, on both backends (issue 13 items 2 and 12, issue 17 item 1)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import openpyxl
import pandas as pd
import pytest

from analytics import audit, auth, loader
from analytics.cli import main
from analytics.context import Context
from analytics.exports import explorer_book, export_book, export_workbook, to_excel, workload_book
from analytics.metrics.explorer import ListSearch, opportunity_list
from analytics.metrics.workload import workload
from analytics.money import to_wan
from analytics.scope import Filters
from analytics.settings import load_settings
from analytics.warehouse import replace_all
from tests.conftest import drop_engine, new_engine
from tests.tiny_world import AS_OF, build_frames
from ui.catalogue import label

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\tx",
    "http://example.com",
    "=1+1",
    "-1+cmd|' /C calc'!A0",
]
"""Text Excel would run, link or turn into a number if it guessed."""
RISKY = [p for p in PAYLOADS if not p.startswith("http")]
OWNER_NAMES = {"A1": PAYLOADS[0], "A2": PAYLOADS[1], "A3": PAYLOADS[3]}
PASSWORD = "export-test-2026"


def zh(key: str) -> str:
    return label(key, "zh")


@pytest.fixture(scope="module")
def world(backend, tmp_path_factory, pg_available):
    """The tiny world with formula-like customer, opportunity and manager names, and demo users."""
    engine = new_engine(backend, tmp_path_factory, pg_available)
    frames = build_frames()
    snap = frames["opportunity_snapshot"]
    ids = sorted(snap["opportunity_id"].unique(), key=lambda i: int(i[1:]))
    customer = {oid: PAYLOADS[i % len(PAYLOADS)] for i, oid in enumerate(ids)}
    snap["customer_name"] = snap["opportunity_id"].map(customer)
    snap["name"] = snap["opportunity_id"].map(
        {oid: PAYLOADS[(i + 1) % len(PAYLOADS)] for i, oid in enumerate(ids)}
    )
    frames["org"]["name"] = frames["org"]["staff_id"].map(OWNER_NAMES).fillna(frames["org"]["name"])
    replace_all(engine, frames, loaded_by="test", label="fixture")
    auth.ensure_demo_users(engine, PASSWORD)
    yield {"engine": engine, "url": engine.url.render_as_string(hide_password=False), "frames": frames}
    drop_engine(backend, engine)


def ctx_for(world, username: str) -> Context:
    settings = load_settings()
    scope = auth.scope_for_user(world["engine"], username, settings)
    return Context(world["engine"], scope, settings, AS_OF, Filters())


def sheet_of(content: bytes, name: str | None = None):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return book[name] if name else book.worksheets[0]


def column(sheet, header: str) -> list:
    """The cells under ``header`` (row 1), one per data row."""
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


def assert_no_formula_or_link(sheet) -> None:
    """No cell of the sheet is a formula or carries a hyperlink."""
    assert not sheet._hyperlinks, "the sheet holds hyperlinks"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
            assert cell.hyperlink is None, f"{cell.coordinate} is a link"


def assert_plain_text(cells, expected: set[str]) -> None:
    """Each expected text is there as a string cell, kept as text when re-entered (quote prefix)."""
    by_value = {cell.value: cell for cell in cells}
    for text in expected:
        assert text in by_value, f"{text!r} not written as it was: {sorted(map(repr, by_value))[:12]}"
        cell = by_value[text]
        assert cell.data_type == "s", f"{text!r} written as {cell.data_type}"
        if text in RISKY:
            assert cell.quotePrefix, f"{text!r} would turn into a formula when edited"


# ----------------------------------------------------------------------------- the writer


def test_a_frame_exported_as_it_is_keeps_text_as_text(tiny_engine):
    """The pages' generic path (export_workbook with {name: frame}) on hostile text."""
    frame = pd.DataFrame(
        {"客户名称": PAYLOADS, "金额": range(len(PAYLOADS)), "日期": [date(2026, 6, 30)] * 8}
    )
    content = export_workbook(tiny_engine, "director", {"x": frame}, "writer test")
    sheet = sheet_of(content)
    assert_no_formula_or_link(sheet)
    assert_plain_text(column(sheet, "客户名称"), set(PAYLOADS))
    amounts = column(sheet, "金额")
    assert [c.value for c in amounts] == list(range(len(PAYLOADS))) and amounts[0].data_type == "n"
    assert column(sheet, "日期")[0].is_date
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C9"


# ----------------------------------------------------------------------------- explorer


def test_explorer_export_keeps_names_as_text(world):
    ctx = ctx_for(world, "director")
    content = export_book(world["engine"], "director", explorer_book(ctx, ListSearch(), zh))
    sheet = sheet_of(content, zh("page_explorer"))
    assert_no_formula_or_link(sheet)
    assert_plain_text(column(sheet, zh("customer_name")), set(PAYLOADS))
    assert_plain_text(column(sheet, zh("name")), set(PAYLOADS))
    assert_plain_text(column(sheet, zh("owner_name")), set(OWNER_NAMES.values()))


def test_explorer_export_money_is_in_wan_as_its_header_says(world):
    """年综合收益（万元）of O1 (120,000 yuan) is 12.0, formatted with one decimal."""
    ctx = ctx_for(world, "director")
    sheet = sheet_of(export_book(world["engine"], "director", explorer_book(ctx, ListSearch(), zh)))
    assert zh("annual_value") == "年综合收益（万元）"
    ids = [c.value for c in column(sheet, zh("opportunity_id"))]
    values = column(sheet, zh("annual_value"))
    snap = world["frames"]["opportunity_snapshot"]
    yuan = snap[snap["snapshot_date"] == AS_OF].set_index("opportunity_id")["annual_value"]
    assert len(ids) == len(yuan) == 10
    for oid, cell in zip(ids, values, strict=True):
        assert cell.data_type == "n" and cell.value == yuan[oid] / 10_000
        assert cell.number_format == "#,##0.0"
    assert values[ids.index("O1")].value == 12.0


# ----------------------------------------------------------------------------- workload


def test_workload_export_keeps_names_as_text_and_money_in_wan(world):
    ctx = ctx_for(world, "director")
    table = workload(ctx)
    content = export_book(world["engine"], "director", workload_book(ctx, zh, table))
    sheet = sheet_of(content, zh("page_workload"))
    assert_no_formula_or_link(sheet)
    owners = column(sheet, zh("wl_owner"))
    assert_plain_text(owners, set(OWNER_NAMES.values()))
    by_owner = table.set_index("owner_name")
    header = zh("wl_open_value")
    assert "万元" in header
    for owner, cell in zip(owners, column(sheet, header), strict=True):
        assert cell.value == pytest.approx(to_wan(by_owner.loc[owner.value, "open_value"]))
        assert cell.number_format == "#,##0.0"
    rate = column(sheet, zh("wl_win_rate_adjusted"))[0]
    assert rate.number_format == "0.0%" and 0 <= rate.value <= 1


# ----------------------------------------------------------------------------- validation report


def hostile_report() -> loader.BatchReport:
    quarantine = pd.DataFrame(
        {
            "file_name": [PAYLOADS[0]] * len(PAYLOADS),
            "line_no": range(2, 2 + len(PAYLOADS)),
            "field": PAYLOADS,
            "raw_value": PAYLOADS,
            "reason": PAYLOADS,
            "raw_row": PAYLOADS,
        }
    )
    files = [
        loader.FileResult(name=p, rows_in=1, quarantined=1, outcome="loaded", message=p) for p in PAYLOADS
    ]
    return loader.BatchReport("b1", "loaded", files, warnings=list(PAYLOADS), quarantine=quarantine)


def test_validation_report_workbook_keeps_text_as_text():
    """The upload page's download (loader.to_excel)."""
    content = loader.to_excel(hostile_report())
    for name, header in (("汇总", "文件"), ("隔离行", "原始值"), ("隔离行", "原因"), ("警告", "警告")):
        sheet = sheet_of(content, name)
        assert_no_formula_or_link(sheet)
        assert_plain_text(column(sheet, header), set(PAYLOADS))
    assert [c.value for c in column(sheet_of(content, "隔离行"), "行号")][:2] == [2, 3]


def test_load_report_xlsx_from_the_command_line(empty_engine, tmp_path, capsys):
    """``load FILE --report x.xlsx``: quarantined cells holding formulas stay text."""
    path = tmp_path / "=1+1.csv"
    head = (
        "商机编号,客户名称,产品,客户经理工号,阶段,状态,预计年综合收益,创建日期,预计签约日期,关闭日期,导出日期"
    )
    lines = [head, "E001,好客户,IPTV,S003,1,跟进中,1000,2024-01-01,2024-03-01,,2024-03-08"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(line.split(",") for line in lines[:2])
        csv.writer(handle).writerows(
            [
                f"E{i + 2:03d}",
                "好客户",
                "IPTV",
                "S003",
                "1",
                "跟进中",
                "1000",
                "2024-01-01",
                p,
                "",
                "2024-03-08",
            ]
            for i, p in enumerate(RISKY)
        )
    out = tmp_path / "report.xlsx"
    url = empty_engine.url.render_as_string(hide_password=False)
    assert main(["load", "--db", url, str(path), "--report", str(out)]) == 0, capsys.readouterr().out
    sheet = sheet_of(out.read_bytes(), "隔离行")
    assert_no_formula_or_link(sheet)
    quarantined = {c.value.strip() for c in column(sheet, "原始值")}
    assert {p.strip() for p in RISKY} <= quarantined
    assert_plain_text(column(sheet, "原始值"), {c for c in RISKY if c == c.strip()})
    assert_no_formula_or_link(sheet_of(out.read_bytes(), "汇总"))


# ----------------------------------------------------------------------------- command line


def run_report(world, capsys, name: str, user: str, out, *extra: str) -> int:
    argv = ["report", name, "--db", world["url"], "--as-user", user, "--as-of", str(AS_OF)]
    code = main([*argv, "--format", "xlsx", "--out", str(out), *extra])
    capsys.readouterr()
    return code


def test_cli_xlsx_is_the_page_workbook_scoped_and_audited(world, tmp_path, capsys):
    """An account manager's export holds only their rows, in 万元, and is in the audit log."""
    out = tmp_path / "mine.xlsx"
    assert run_report(world, capsys, "opportunities", "account_manager", out) == 0
    sheet = sheet_of(out.read_bytes(), zh("page_explorer"))
    assert_no_formula_or_link(sheet)
    assert {c.value for c in column(sheet, zh("owner_name"))} == {OWNER_NAMES["A1"]}
    ids = sorted(c.value for c in column(sheet, zh("opportunity_id")))
    assert ids == ["O1", "O10", "O2", "O3"]
    page = export_book(
        world["engine"], "x", explorer_book(ctx_for(world, "account_manager"), ListSearch(), zh)
    )
    expected = sheet_of(page)
    assert [[c.value for c in r] for r in sheet.iter_rows()] == [
        [c.value for c in r] for r in expected.iter_rows()
    ]
    values = dict(
        zip(
            [c.value for c in column(sheet, zh("opportunity_id"))],
            column(sheet, zh("annual_value")),
            strict=True,
        )
    )
    assert values["O1"].value == 12.0  # 120,000 yuan under 年综合收益（万元）
    entry = audit.recent(world["engine"], limit=5, action="export", username="account_manager").iloc[0]
    assert (
        "explorer" in entry["detail"] and "command line" in entry["detail"] and "(4 rows)" in entry["detail"]
    )


def test_cli_xlsx_workload_and_any_report(world, tmp_path, capsys):
    out = tmp_path / "workload.xlsx"
    assert run_report(world, capsys, "workload", "director", out) == 0
    sheet = sheet_of(out.read_bytes(), zh("page_workload"))
    assert_plain_text(column(sheet, zh("wl_owner")), set(OWNER_NAMES.values()))
    assert zh("wl_open_value") in [c.value for c in sheet[1]]
    other = tmp_path / "problems.xlsx"
    assert run_report(world, capsys, "problems", "director", other) == 0
    assert_no_formula_or_link(sheet_of(other.read_bytes()))
    details = audit.recent(world["engine"], limit=2, action="export", username="director")["detail"].tolist()
    assert details[0].startswith("report problems") and details[1].startswith("workload")


def test_cli_xlsx_needs_an_output_file(world, capsys):
    argv = ["report", "workload", "--db", world["url"], "--as-user", "director", "--format", "xlsx"]
    assert main(argv) == 2
    assert "--out" in capsys.readouterr().err


@pytest.mark.parametrize("before", [True, False])
def test_db_before_or_after_the_subcommand(world, capsys, before):
    """README's ``python -m analytics --db URL load`` form and the subcommand's own --db."""
    db = ["--db", world["url"]]
    rest = ["report", "overview", "--as-user", "director", "--as-of", str(AS_OF), "--format", "json"]
    argv = [*db, *rest] if before else [*rest, *db]
    assert main(argv) == 0
    assert '"open_count": 6' in capsys.readouterr().out


def test_db_after_wins_over_db_before(world, tmp_path, capsys):
    missing = f"duckdb:///{tmp_path / 'nowhere' / 'x.duckdb'}"
    argv = ["--db", missing, "report", "overview", "--db", world["url"], "--as-user", "director"]
    assert main([*argv, "--as-of", str(AS_OF), "--format", "json"]) == 0


def test_db_before_a_users_action(world, capsys):
    assert main(["--db", world["url"], "users", "list"]) == 0
    assert "account_manager" in capsys.readouterr().out


# ----------------------------------------------------------------------------- one 万元 conversion


def test_screens_and_exports_share_one_wan_conversion():
    """No screen divides by 10,000 by hand: every 万元 figure goes through analytics.money.to_wan.

    (The label catalogue's texts are not figures and are left out.)"""
    from pathlib import Path

    from ui.format import wan

    root = Path(__file__).resolve().parent.parent
    by_hand = re.compile(r"(/|\*)\s*(1\s*/\s*)?(10_?000(\.0)?|1e4)\b|\bWAN\s*=\s*10_?000")
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in [*(root / "ui").glob("*.py"), *(root / "pages").glob("*.py")]
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if by_hand.search(line.split("#")[0])
    ]
    assert not offenders, f"万元 converted by hand (use analytics.money.to_wan): {offenders}"
    assert wan(6_600_000) == "660.0" and to_wan(6_600_000) == 660.0


def test_demo_budget_workbook_keeps_names_as_text(tmp_path):
    """The demo's contract-format 收入预算.xlsx (the one other xlsxwriter write) guesses nothing."""
    from analytics.demo.export import _budget

    budget = pd.DataFrame(
        {"year": [2026, 2026], "branch": [PAYLOADS[0], "http://example.com"], "product": ["+1+1", "综合VPN"]}
    ).assign(month=pd.array([1, None], dtype="Int64"), amount=[1.0, 2.0])
    (path,) = _budget({"budget": budget}, tmp_path)
    sheet = sheet_of(path.read_bytes())
    assert_no_formula_or_link(sheet)
    assert [c.value for c in column(sheet, "分局")] == [PAYLOADS[0], "http://example.com"]
    assert [c.data_type for c in column(sheet, "产品")] == ["s", "s"]


def test_without_db_the_cli_reads_sjgk_database_url_only(world, monkeypatch, capsys):
    monkeypatch.setenv("SJGK_DATABASE_URL", world["url"])
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    argv = ["report", "overview", "--as-user", "director", "--as-of", str(AS_OF), "--format", "json"]
    assert main(argv) == 0
    assert '"open_count": 6' in capsys.readouterr().out


def test_kinds_inferred_for_a_report_frame():
    """A report frame without specs: Decimal (PostgreSQL NUMERIC) and numbers as numbers, text as text."""
    from decimal import Decimal

    frame = pd.DataFrame(
        {
            "amount": pd.Series([Decimal("1.5"), None], dtype=object),
            "count": [1, 2],
            "ids": pd.Series(["001", "=2"], dtype=object),
            "flag": [True, False],
            "day": [date(2026, 1, 1), None],
        }
    )
    sheet = sheet_of(to_excel({"r": frame}))
    assert [(c.value, c.data_type) for c in column(sheet, "amount")] == [(1.5, "n"), (None, "n")]
    assert [(c.value, c.data_type) for c in column(sheet, "ids")] == [("001", "s"), ("=2", "s")]
    assert [c.value for c in column(sheet, "flag")] == [True, False]
    assert column(sheet, "day")[0].is_date and column(sheet, "day")[1].value is None


def test_cli_out_writes_text_formats_to_the_file(world, tmp_path, capsys):
    out = tmp_path / "overview.csv"
    argv = ["report", "overview", "--db", world["url"], "--as-user", "director", "--as-of", str(AS_OF)]
    assert main([*argv, "--format", "csv", "--out", str(out)]) == 0
    assert "written to" in capsys.readouterr().out
    assert pd.read_csv(out)["open_count"].tolist() == [6]


def test_exports_name_each_teams_branch(world):
    """A team is its branch and name (金融一组 exists in several branches): both exports say the branch."""
    ctx = ctx_for(world, "director")
    explorer = sheet_of(export_book(world["engine"], "director", explorer_book(ctx, ListSearch(), zh)))
    branch_of = opportunity_list(ctx, ListSearch()).set_index("opportunity_id")["branch"]
    assert branch_of.notna().all()
    ids = [c.value for c in column(explorer, zh("opportunity_id"))]
    assert [c.value for c in column(explorer, zh("branch"))] == [branch_of[i] for i in ids]
    table = workload(ctx)
    scorecard = sheet_of(export_book(world["engine"], "director", workload_book(ctx, zh, table)))
    assert [c.value for c in column(scorecard, zh("branch"))] == table["branch"].tolist()
