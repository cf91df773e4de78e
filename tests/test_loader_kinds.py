"""Every kind of file, every encoding, date, amount, period and flag form, on both backends.

Expected values are worked out by hand from the fixture files
(tests/fixtures/loader/build.py writes them).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal as D

import pytest

from tests.test_loader_helpers import TODAY, fresh, load, rows, scalar


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


OPPORTUNITIES = [
    # id, stage, status, annual_value, expected_close, created, closed, user_count, flags (demo, influence, key, abnormal),
    # business_type, origin, owner
    ("OPP001", 3, "open", D("125000.00"), date(2024, 3, 5), date(2024, 1, 2), None, 10,
     (True, False, True, False), "basic", "mined", "S003"),
    ("OPP002", 2, "open", D("12345000.00"), date(2024, 3, 5), date(2024, 1, 10), None, None,
     (False, False, False, False), "transformation", "dispatched", "S003"),
    ("OPP003", 4, "won", D("80000.00"), date(2024, 3, 5), date(2024, 1, 15), date(2024, 3, 1), 30,
     (True, False, True, False), "transformation", "mined", "S004"),
    ("OPP004", 3, "lost", D("5000.00"), date(2024, 3, 5), date(2024, 1, 20), date(2024, 3, 5), None,
     (False, False, False, False), "basic", "mined", "S004"),
    ("OPP005", 5, "terminated", D("200000.00"), date(2024, 3, 5), date(2023, 12, 1), date(2024, 3, 2), None,
     (False, True, False, True), "transformation", "dispatched", "S009"),
]  # fmt: skip
OPP_SQL = """SELECT opportunity_id, stage, status, annual_value, expected_close_date, created_date, closed_date,
    user_count, demonstration, influence, key_flag, abnormal, business_type, origin, owner_id
    FROM opportunity_snapshot WHERE snapshot_date = :day ORDER BY opportunity_id"""


def opportunities(engine, day=date(2024, 3, 8)) -> list[tuple]:
    return [(*r[:8], tuple(bool(x) for x in r[8:12]), *r[12:]) for r in rows(engine, OPP_SQL, day=day)]


@pytest.mark.parametrize(
    ("name", "encoding", "customer"),
    [
        ("opportunities_gbk.csv", "gbk", "上海浦江证券有限公司"),
        ("opportunities_gb18030.csv", "gb18030", "上海䶮丰证券有限公司"),
        ("opportunities_utf8_en.csv", "utf-8", "上海浦江证券有限公司"),
        ("opportunities_utf8_bom.csv", "utf-8-sig", "上海浦江证券有限公司"),
    ],
)
def test_opportunities_in_every_encoding_give_the_same_rows(wh, name, encoding, customer):
    report = load(wh, name)
    assert report.outcome == "loaded", report.text()
    (result,) = report.files
    assert (result.encoding, result.kind, result.rows_in, result.loaded, result.quarantined) == (
        encoding, "opportunities", 5, 5, 0,
    )  # fmt: skip
    assert opportunities(wh) == OPPORTUNITIES
    assert (
        scalar(wh, "SELECT customer_name FROM opportunity_snapshot WHERE opportunity_id = 'OPP001'")
        == customer
    )
    assert rows(wh, "SELECT snapshot_date, row_count FROM snapshots") == [(date(2024, 3, 8), 5)]
    extra = [json.loads(r[0]) for r in rows(wh, "SELECT extra FROM raw_rows ORDER BY line_no")]
    note = "Note" if "_en" in name else "备注"
    assert extra == [{note: "重点跟进"}] + [{note: None}] * 4
    assert any("S009" in w for w in report.warnings)  # unknown owner: loaded and listed


def test_org_with_role_names_and_default_active(wh):
    report = load(wh, "org.csv")
    assert report.files[0].kind == "org" and report.quarantined == 0
    assert rows(wh, "SELECT staff_id, role, team, branch, active FROM org ORDER BY staff_id") == [
        ("S001", "director", None, None, True),
        ("S002", "branch_head", None, "浦东", True),
        ("S003", "account_manager", "浦东金融一组", "浦东", True),
        ("S004", "account_manager", "浦东金融一组", "浦东", True),
        ("S005", "industry_manager", "浦东金融一组", "浦东", False),
    ]
    assert rows(wh, "SELECT count(*), min(valid_from), max(valid_to) FROM org_history") == [(5, TODAY, None)]


def test_stage_history_terminal_rows_have_no_stage(wh):
    report = load(wh, "stage_history.csv")
    assert report.loaded == 6
    got = rows(wh, "SELECT opportunity_id, from_stage, to_stage, to_status, changed_at FROM stage_history "
                   "ORDER BY opportunity_id, changed_at")  # fmt: skip
    assert got == [
        ("OPP001", None, 0, "open", datetime(2024, 1, 2, 9, 0)),
        ("OPP001", 0, 1, "open", datetime(2024, 1, 20)),
        ("OPP001", 1, 3, "open", datetime(2024, 2, 1, 10, 30)),
        ("OPP003", 3, None, "won", datetime(2024, 3, 1, 10, 0)),
        ("OPP004", 2, None, "lost", datetime(2024, 3, 5)),
        ("OPP999", None, 1, "open", datetime(2024, 2, 2)),
    ]
    assert any("OPP999" in w and "快照" in w for w in report.warnings)


def test_activities_tab_separated_with_every_type(wh):
    report = load(wh, "activities.txt")
    assert report.files[0].delimiter == "\t"
    assert rows(wh, "SELECT activity_id, opportunity_id, type, activity_date FROM activities ORDER BY 1") == [
        ("A001", "OPP001", "visit", date(2024, 2, 1)),
        ("A002", None, "call", date(2024, 2, 3)),
        ("A003", "OPP003", "senior_visit", date(2024, 2, 5)),
        ("A004", "OPP003", "solution_review", date(2024, 2, 7)),
    ]


def test_support_requests_gbk(wh):
    load(wh, "support_requests.csv")
    assert rows(
        wh, "SELECT request_id, type, requested_date, resolved_date FROM support_requests ORDER BY 1"
    ) == [
        ("R001", "technical", date(2024, 2, 1), date(2024, 2, 5)),
        ("R002", "resource", date(2024, 2, 10), None),
    ]


def test_contracts_every_amount_form(wh):
    load(wh, "contracts.csv")
    assert rows(wh, "SELECT contract_id, signed_date, amount, term_months FROM contracts ORDER BY 1") == [
        ("HT001", date(2024, 3, 1), D("1234.50"), 12),
        ("HT002", date(2024, 3, 2), D("1234.50"), 24),
        ("HT003", date(2024, 3, 3), D("1234.00"), 36),
        ("HT004", date(2024, 3, 4), D("125000.00"), 12),
    ]
    # -300.00 parses, but only revenue may be negative (data-contract.md): HT005 is quarantined.
    assert rows(wh, "SELECT line_no, field, raw_value FROM quarantine") == [(6, "合同金额", "-300.00")]


def test_revenue_every_period_form_and_wan_header(wh):
    load(wh, "revenue.csv")
    assert rows(
        wh, "SELECT period, contract_id, branch, fee_item, amount FROM revenue ORDER BY period, 2"
    ) == [
        (202402, "HT001", "浦东", "收入调整", D("-300.00")),
        (202403, "HT001", "浦东", "月租费", D("1234.50")),
        (202403, "HT002", "浦东", "月租费", D("1234.50")),
        (202403, "HT003", "浦东", "调测费", D("1234.00")),
        (202403, "HT004", "浦东", "月租费", D("125000.00")),
    ]
    report = load(wh, "revenue_wan.csv", confirm_shrink=True)  # 202403: 4 rows → 1
    assert report.files[0].mapping[-1] == {"header": "金额 (万元)", "field": "amount", "unit": "万元"}
    assert rows(wh, "SELECT period, amount FROM revenue WHERE period IN (202403, 202404) ORDER BY 1") == [
        (202403, D("1234.56")),
        (202404, D("15000.00")),
    ]


def test_budget_xlsx_in_wan_with_annual_row(wh):
    report = load(wh, "budget.xlsx")
    assert report.files[0].encoding == "xlsx" and report.loaded == 3
    assert rows(wh, "SELECT year, branch, product, month, amount FROM budget ORDER BY product, month") == [
        (2024, "浦东", "IPTV", 1, D("15000.00")),
        (2024, "浦东", "IPTV", 2, D("20000.00")),
        (2024, "浦东", "数据专线", None, D("1200000.00")),
    ]
    assert any("2024" in w and "收入" in w for w in report.warnings)  # budget year with no revenue


def test_xlsx_date_and_number_cells(wh):
    load(wh, "contracts.xlsx")
    assert rows(wh, "SELECT contract_id, signed_date, amount, term_months FROM contracts ORDER BY 1") == [
        ("HTX1", date(2024, 3, 5), D("1234.50"), 12),
        ("HTX2", date(2024, 3, 6), D("1000.00"), None),
    ]


def test_targets(wh):
    load(wh, "targets.csv")
    assert rows(wh, "SELECT year, staff_id, amount FROM targets ORDER BY 2") == [
        (2024, "S003", D("500000.00")),
        (2024, "S004", D("300000.00")),
    ]


def test_zip_batch_loads_in_contract_order_and_skips_the_readme(wh):
    report = load(wh, "batch.zip")
    assert report.outcome == "loaded"
    assert [f.name for f in report.files] == [
        "batch.zip/导出/stage_history.csv", "batch.zip/导出/opportunities_gbk.csv", "batch.zip/导出/org.csv",
    ]  # fmt: skip
    order = rows(wh, "SELECT kind FROM load_history ORDER BY load_id")
    assert order == [("org",), ("opportunities",), ("stage_history",)]
    assert len({f.load_id for f in report.files}) == 3
    warnings = " ".join(report.warnings)
    assert "S009" in warnings and "S003" not in warnings  # org of the same batch counts
    assert "OPP999" in warnings and "OPP001" not in warnings


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory):
    """The demo exporter's files for a small demo world (the loader's realistic input)."""
    from analytics.demo.export import export
    from analytics.demo.generate import generate

    frames = generate(7, date(2026, 11, 20), scale=0.02)
    folder = tmp_path_factory.mktemp("demo_export")
    export(frames, folder)
    return frames, folder


def test_demo_export_round_trip_gives_the_same_row_counts(wh, demo_export):
    frames, folder = demo_export
    report = load(wh, str(folder), today=date(2026, 11, 20))
    assert report.outcome == "loaded", report.text()
    assert report.quarantined == 0, report.text()
    assert report.rows_in == report.loaded
    snap = frames["opportunity_snapshot"]
    newest = sorted(snap["snapshot_date"].unique())[-2:]  # the exporter writes the two newest snapshots
    expected = {
        "org": len(frames["org"]),
        "opportunity_snapshot": int(snap["snapshot_date"].isin(newest).sum()),
        "snapshots": 2,
        **{t: len(frames[t]) for t in ("stage_history", "activities", "support_requests", "contracts",
                                        "revenue", "budget", "targets")},
    }  # fmt: skip
    got = {table: scalar(wh, f"SELECT count(*) FROM {table}") for table in expected}
    assert got == expected
