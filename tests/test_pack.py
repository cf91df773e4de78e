"""The meeting pack (issue 18): the Excel workbook opened back with openpyxl, on DuckDB and
PostgreSQL.  Every number on the cover and in the sections equals what ``report`` prints for
the same user and date; 万元 cells hold yuan / 10,000; customer names that look like formulas
come back as text; the charts exist; an account manager's pack holds only their deals."""

from __future__ import annotations

import io
import math

import openpyxl
import openpyxl.utils.cell
import pandas as pd
import pytest

from analytics.settings import load_settings
from tests.pack_world import AS_OF, INJECTIONS, make, pack_world_fixture, report  # noqa: F401 (fixture)
from ui.catalogue import label


@pytest.fixture(scope="module")
def director_book(pack_world):
    built = make(pack_world, pack_world["users"]["director"])
    return built, openpyxl.load_workbook(io.BytesIO(built.content))


def sheet_rows(ws) -> tuple[list[str], list[tuple]]:
    """Header and data rows of a pack sheet (notes above the header skipped: the frozen row)."""
    header_row = int(ws.freeze_panes[1:]) - 1
    width = openpyxl.utils.cell.range_boundaries(ws.auto_filter.ref)[2]  # the table, not chart data
    rows = list(ws.iter_rows(min_row=header_row, max_col=width, values_only=True))
    return list(rows[0]), rows[1:]


def close(a, b) -> bool:
    return (a is None and b is None) or math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)


def test_cover_numbers_equal_report(director_book, pack_world, capsys):
    _built, book = director_book
    user = pack_world["users"]["director"]
    overview = report(capsys, pack_world, "overview", user)[0]
    forecast = next(r for r in report(capsys, pack_world, "forecast", user) if r["level"] == "overall")
    header, rows = sheet_rows(book[label("pk_cover")])
    assert header == ["项目", "金额（万元）", "比率", "数量", "内容"]
    cover = {row[0]: row[1:] for row in rows}
    wan = {
        "actual_ytd": overview["actual_ytd"], "open_value": overview["open_value"],
        "fc_p10": forecast["p10"], "fc_p50": forecast["p50"], "fc_p90": forecast["p90"],
        "fc_gap": forecast["gap"], "fc_forecast_expected": forecast["forecast_expected"],
    }  # fmt: skip
    for key, yuan in wan.items():
        assert close(cover[label(key)][0], yuan / 10_000), key  # 万元 = yuan / 10,000
    like_for_like = {"attainment": "attainment", "att_period_progress": "period_progress",
                     "att_period_gap": "period_gap"}  # fmt: skip
    for key, column in like_for_like.items():  # the headline compares like with like, as 总览
        assert close(cover[label(key)][1], overview[column]), key
    basis = cover[label("pk_progress_basis")][3]
    assert str(int(overview["data_through"])) in basis and str(AS_OF) in basis
    for key in ("open_count", "key_open_count", "problem_count"):
        assert cover[label(key)][2] == overview[key], key
    assert cover[label("pk_key_problem_count")][2] == overview["key_problem_count"]
    assert cover[label("as_of")][3] == str(AS_OF)
    assert cover[label("pk_recipient")][3] == user


def test_sections_equal_report(director_book, pack_world, capsys):
    _built, book = director_book
    user = pack_world["users"]["director"]
    attainment = pd.DataFrame(report(capsys, pack_world, "attainment", user))
    header, rows = sheet_rows(book[label("pk_section_attainment")])
    sheet = pd.DataFrame(rows, columns=header)
    assert len(sheet) == len(attainment)
    assert math.isclose(
        sheet[label("actual_ytd")].sum(), attainment["actual_ytd"].sum() / 10_000, rel_tol=1e-9
    )
    overall = sheet[sheet[label("att_level")] == label("pk_level_overall")].iloc[0]
    expected = attainment[attainment["level"] == "overall"].iloc[0]
    assert close(overall[label("attainment")], expected["attainment"])
    assert close(overall[label("pk_budget_annual_wan")], expected["budget_annual"] / 10_000)

    workload = pd.DataFrame(report(capsys, pack_world, "workload", user))
    header, rows = sheet_rows(book[label("pk_section_workload")])
    sheet = pd.DataFrame(rows, columns=header)
    assert len(sheet) == len(workload)
    assert math.isclose(
        sheet[label("wl_open_value")].sum(), workload["open_value"].sum() / 10_000, rel_tol=1e-9
    )
    assert label("wl_open_value") + label("wl_median_suffix") in header

    problems = report(capsys, pack_world, "problems", user)
    header, rows = sheet_rows(book[label("pk_section_problems")])
    assert len(rows) == min(len(problems), load_settings().pack_table_rows)
    assert [r[1] for r in rows] == [p["opportunity_id"] for p in problems][: len(rows)]

    funnel = report(capsys, pack_world, "funnel", user)
    header, rows = sheet_rows(book[label("pk_section_funnel")])
    assert [r[1] for r in rows] == [f["reached"] for f in funnel]


def test_formula_like_customers_come_back_as_text(director_book):
    _, book = director_book
    header, rows = sheet_rows(book[label("wk_key_deals")])
    customers = {r[header.index(label("customer_name"))] for r in rows}
    assert set(INJECTIONS) <= customers
    ws = book[label("wk_key_deals")]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value in INJECTIONS:
                assert cell.data_type == "s", cell.coordinate  # a string, not a formula
                assert cell.quotePrefix, cell.coordinate


def test_charts_exist(director_book):
    _, book = director_book
    assert len(book[label("pk_section_attainment")]._charts) == 1
    assert len(book[label("pk_section_movement")]._charts) == 1


def test_capped_table_says_how_many_were_left_out(pack_world, monkeypatch):
    monkeypatch.setenv("SJGK_PACK_TABLE_ROWS", "3")
    built = make(pack_world, pack_world["users"]["director"])
    ws = openpyxl.load_workbook(io.BytesIO(built.content))[label("pk_section_problems")]
    _header, rows = sheet_rows(ws)
    assert len(rows) == 3
    notes = " ".join(str(c.value) for row in ws.iter_rows(max_row=5) for c in row if c.value)
    total = built.pack.section("problems").tables[0].total
    assert f"共 {total:,} 行" in notes and f"另有 {total - 3:,} 行未列出" in notes
    assert "python -m analytics report problems" in notes


def test_account_manager_pack_holds_only_their_deals(pack_world):
    user = pack_world["users"]["account_manager"]
    built = make(pack_world, user)
    book = openpyxl.load_workbook(io.BytesIO(built.content))
    manager = built.pack.scope_label
    owners = set()
    for key in ("pk_section_problems", "wk_key_deals", "pk_section_workload"):
        header, rows = sheet_rows(book[label(key)])
        column = header.index(label("wl_owner") if key == "pk_section_workload" else label("owner_name"))
        owners |= {r[column] for r in rows}
    assert len(owners) == 1, owners
    assert next(iter(owners)) in manager
