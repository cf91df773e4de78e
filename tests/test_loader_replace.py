"""Replacement rules per kind, idempotence, and exact undo. Both backends.

"state" is every data table, every shadow table and the raw copies (see
tests/test_loader_helpers.py): undo must give back exactly the state before.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from analytics import loader
from analytics.context import Context
from analytics.metrics.attainment import overall_attainment
from analytics.scope import Scope
from analytics.settings import load_settings
from analytics.warehouse import data_version
from tests.fixtures.loader.build import opportunities
from tests.test_loader_helpers import STATE_TABLES, fresh, load, rows, scalar, state


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


DATA_ONLY = tuple(t for t in STATE_TABLES if not t.endswith("_replaced") and t != "raw_rows")


def write(tmp_path, name: str, content: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return str(path)


def changed_snapshot(tmp_path) -> str:
    """The GBK fixture for the same 导出日期, OPP005 dropped and OPP001 moved to stage 4."""
    text = opportunities().replace("S003,3,跟进中", "S003,4,跟进中")
    text = "\r\n".join(line for line in text.split("\r\n") if not line.startswith("OPP005"))
    return write(tmp_path, "商机清单_改.csv", text, "gbk")


def test_a_byte_identical_file_twice_changes_nothing(wh):
    first = load(wh, "opportunities_gbk.csv")
    before, history = state(wh), rows(wh, "SELECT * FROM load_history")
    again = load(wh, "opportunities_gbk.csv")
    assert again.outcome == "unchanged" and again.ok
    assert f"第 {first.files[0].load_id} 号导入" in again.files[0].message
    assert state(wh) == before and rows(wh, "SELECT * FROM load_history") == history


def test_an_identical_file_changes_nothing_after_its_rows_were_replaced_but_loads_when_read_differently(
    wh, tmp_path
):
    first = load(wh, "opportunities_gbk.csv").files[0].load_id
    correction = load(wh, changed_snapshot(tmp_path)).files[0].load_id
    before = state(wh)
    again = load(wh, "opportunities_gbk.csv")  # would silently revert the correction
    assert again.outcome == "unchanged" and state(wh) == before
    assert (
        f"第 {first} 号导入" in again.files[0].message
        and f"#{correction} 商机清单_改.csv" in again.files[0].message
    )
    assert scalar(wh, "SELECT count(*) FROM opportunity_snapshot") == 4
    loader.undo(wh, correction, "tester")  # the way back the message names
    assert scalar(wh, "SELECT count(*) FROM opportunity_snapshot") == 5
    other_day = load(wh, "opportunities_gbk.csv", overrides={"snapshot_date": date(2024, 3, 1)})
    assert other_day.outcome == "loaded"
    assert (
        load(wh, "opportunities_gbk.csv", overrides={"snapshot_date": date(2024, 3, 1)}).outcome
        == "unchanged"
    )


def test_a_new_file_for_a_held_snapshot_date_replaces_that_snapshot_only(wh, tmp_path):
    load(wh, "opportunities_gbk.csv", overrides={"snapshot_date": date(2024, 3, 1)})
    load(wh, "opportunities_gbk.csv")
    report = load(wh, changed_snapshot(tmp_path))
    assert (report.files[0].written, report.files[0].replaced) == (4, 5)
    got = rows(
        wh, "SELECT snapshot_date, count(*), max(stage) FROM opportunity_snapshot GROUP BY 1 ORDER BY 1"
    )
    assert got == [(date(2024, 3, 1), 5, 5), (date(2024, 3, 8), 4, 4)]
    assert rows(wh, "SELECT snapshot_date, row_count FROM snapshots ORDER BY 1") == [
        (date(2024, 3, 1), 5), (date(2024, 3, 8), 4),
    ]  # fmt: skip
    assert scalar(wh, "SELECT stage FROM opportunity_snapshot WHERE opportunity_id = 'OPP001' "
                      "AND snapshot_date = '2024-03-08'") == 4  # fmt: skip


def test_revenue_replaces_exactly_the_periods_it_contains(wh):
    load(wh, "revenue.csv")  # 202402 (1 row) and 202403 (4 rows)
    report = load(wh, "revenue_wan.csv", confirm_shrink=True)  # 202403 (4 rows → 1) and 202404
    assert report.files[0].covered == [202403, 202404]
    assert rows(wh, "SELECT period, contract_id, amount FROM revenue ORDER BY period") == [
        (202402, "HT001", D("-300.00")),
        (202403, "HT001", D("1234.56")),
        (202404, "HT001", D("15000.00")),
    ]


def test_budget_and_targets_replace_their_year(wh, tmp_path):
    load(wh, "budget.xlsx", "targets.csv")
    load(wh, write(tmp_path, "b2025.csv", "年度,分局,产品,预算金额\n2025,浦东,IPTV,100\n"))
    load(wh, write(tmp_path, "b2024.csv", "年度,分局,产品,预算金额\n2024,徐汇,IPTV,7\n"), confirm_shrink=True)
    load(wh, write(tmp_path, "t2024.csv", "年度,工号,目标金额\n2024,S003,1\n"), confirm_shrink=True)
    assert rows(wh, "SELECT year, branch, amount FROM budget ORDER BY year") == [
        (2024, "徐汇", D("7.00")), (2025, "浦东", D("100.00")),
    ]  # fmt: skip
    assert rows(wh, "SELECT year, staff_id, amount FROM targets") == [(2024, "S003", D("1.00"))]


def test_stage_history_and_activities_append_without_duplicates(wh, tmp_path):
    load(wh, "stage_history.csv", "activities.txt")
    more_history = (
        "商机编号,原阶段,新阶段,变更时间,操作人工号\n"
        "OPP001,,0,2024-01-02 09:00:00,S003\nOPP003,3,赢单,2024-03-01 10:00:00,S004\n"
        "OPP001,3,4,2024-03-06,S003\nOPP001,3,4,2024-03-06,S003\n"
    )
    more_activities = (
        "活动编号\t工号\t类型\t日期\nA001\tS003\t拜访\t2024-02-01\nA005\tS003\t会议\t2024-03-01\n"
    )
    report = load(wh, write(tmp_path, "h2.csv", more_history), write(tmp_path, "a2.txt", more_activities))
    history, activities = report.files
    assert (history.rows_in, history.loaded, history.written) == (4, 4, 1)
    assert (activities.rows_in, activities.loaded, activities.written) == (2, 2, 1)
    assert scalar(wh, "SELECT count(*) FROM stage_history") == 7
    assert scalar(wh, "SELECT count(*) FROM activities") == 5


def test_contracts_and_support_requests_replace_by_id(wh, tmp_path):
    load(wh, "contracts.csv")
    load(
        wh, write(tmp_path, "c2.csv", "合同编号,签订日期,合同金额\nHT001,2024-03-01,99\nHT006,2024-03-06,6\n")
    )
    assert rows(wh, "SELECT contract_id, amount FROM contracts WHERE contract_id IN ('HT001', 'HT006') ORDER BY 1") == [
        ("HT001", D("99.00")), ("HT006", D("6.00")),
    ]  # fmt: skip
    # HT001-HT004 and HT006: HT005's amount is negative, which only revenue may be (quarantined).
    assert scalar(wh, "SELECT count(*) FROM contracts") == 5


def test_org_replaces_the_hierarchy_and_keeps_who_was_where(wh):
    load(wh, "org.csv")  # on 2024-03-08
    load(wh, "org_moved.csv", today=date(2024, 4, 1))
    assert rows(wh, "SELECT staff_id, team FROM org ORDER BY 1") == [
        ("S001", None), ("S002", None), ("S003", "浦东制造一组"), ("S004", "浦东金融一组"), ("S006", "浦东制造一组"),
    ]  # fmt: skip
    got = rows(
        wh, "SELECT staff_id, team, valid_from, valid_to FROM org_history ORDER BY staff_id, valid_from"
    )
    march, april, end = date(2024, 3, 8), date(2024, 4, 1), date(2024, 3, 31)
    assert got == [
        ("S001", None, march, None),
        ("S002", None, march, None),
        ("S003", "浦东金融一组", march, end),
        ("S003", "浦东制造一组", april, None),
        ("S004", "浦东金融一组", march, None),
        ("S005", "浦东金融一组", march, end),
        ("S006", "浦东制造一组", april, None),
    ]


def test_undo_returns_exactly_to_the_state_before_each_load(wh, tmp_path):
    states, ids = [], []
    for names, kwargs in [
        (("org.csv",), {}),
        (("opportunities_gbk.csv", "stage_history.csv", "revenue.csv"), {}),
        (
            ("org_moved.csv", changed_snapshot(tmp_path), "revenue_wan.csv"),
            {"today": date(2024, 4, 1), "confirm_shrink": True},
        ),
    ]:
        states.append(state(wh))
        ids.append([f.load_id for f in load(wh, *names, **kwargs).files])
    version = data_version(wh)
    for batch in reversed(ids):  # newest batch first, newest file first: nothing depends on them
        before = states[ids.index(batch)]
        for load_id in sorted(batch, reverse=True):
            assert loader.undo(wh, load_id, "tester") == [load_id]
        assert state(wh) == before
    assert data_version(wh) != version
    assert {o for (o,) in rows(wh, "SELECT DISTINCT outcome FROM load_history")} == {"undone", "undo"}
    assert scalar(wh, "SELECT count(*) FROM audit_log WHERE action = 'upload' AND detail LIKE '撤销%'") == 7


def test_undo_names_later_dependent_loads_first_and_cascades(wh, tmp_path):
    before = state(wh)
    first = load(wh, "opportunities_gbk.csv", "stage_history.csv").files
    independent = load(wh, "targets.csv").files[0].load_id
    overlapping = write(
        tmp_path, "h.csv", "商机编号,新阶段,变更时间\nOPP001,0,2024-01-02 09:00:00\nOPP002,1,2024-01-11\n"
    )
    second = load(wh, changed_snapshot(tmp_path), overlapping).files
    opp_first = next(f.load_id for f in first if f.kind == "opportunities")
    later = [d["load_id"] for d in loader.undo_plan(wh, opp_first)]
    assert later == [f.load_id for f in second if f.kind == "opportunities"]
    with pytest.raises(loader.UndoRefused, match="需先撤销") as refusal:
        loader.undo(wh, opp_first, "tester")
    assert refusal.value.dependents[0]["load_id"] == later[0]
    history_first = next(f.load_id for f in first if f.kind == "stage_history")
    assert [d["load_id"] for d in loader.undo_plan(wh, history_first)] == [
        f.load_id for f in second if f.kind == "stage_history"
    ]
    undone = loader.undo(wh, opp_first, "tester", cascade=True)
    assert undone == [later[0], opp_first]
    loader.undo(wh, history_first, "tester", cascade=True)
    loader.undo(wh, independent, "tester")
    assert state(wh) == before


def test_undo_refuses_what_cannot_be_undone(wh):
    report = load(wh, "targets.csv")
    load_id = report.files[0].load_id
    loader.undo(wh, load_id, "tester")
    with pytest.raises(loader.UndoRefused, match="不能撤销"):
        loader.undo(wh, load_id, "tester")
    with pytest.raises(loader.UndoRefused, match="没有第 999 号导入"):
        loader.undo(wh, 999, "tester")
    again = load(wh, "targets.csv")  # an undone file is no longer "already loaded"
    assert again.outcome == "loaded"


SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def revenue_resend(tmp_path, name: str, factor: float) -> str:
    """The sample ODS revenue for 202608–202609 only, every amount times ``factor``."""
    lines = (SAMPLES / "收入列帐.csv").read_bytes().decode("gbk").splitlines()
    kept = [lines[0]]
    for line in lines[1:]:
        if line.startswith(("2026-08", "2026-09")):
            cells = line.split(",")
            cells[5] = f"{float(cells[5]) * factor:.6f}"
            kept.append(",".join(cells))
    return write(tmp_path, name, "\r\n".join(kept) + "\r\n", "gbk")


def actual_ytd(engine) -> float:
    ctx = Context(engine, Scope.company(), load_settings(), date(2026, 11, 20))
    return float(overall_attainment(ctx)["actual_ytd"])


def test_reloading_preliminary_revenue_does_not_revert_the_ods_resend(wh, tmp_path):
    """Issue 13.6: the folder of preliminary files loaded again after the corrected re-send."""
    load(
        wh, *(SAMPLES / n for n in ("组织架构.csv", "收入预算.xlsx", "收入列帐.csv", "商机清单_20261120.csv"))
    )
    preliminary = revenue_resend(tmp_path, "收入列帐_初版.csv", 0.5)
    first = load(wh, preliminary, confirm_shrink=True).files[0]  # half the value: confirmed
    corrected = load(wh, revenue_resend(tmp_path, "收入列帐_更正.csv", 1.0)).files[0]
    assert corrected.replaced == first.written == 274
    correct_ytd, before = actual_ytd(wh), state(wh)
    again = load(wh, preliminary)
    assert again.outcome == "unchanged" and state(wh) == before
    assert actual_ytd(wh) == pytest.approx(correct_ytd)
    message = again.files[0].message
    assert f"第 {first.load_id} 号导入" in message and f"#{corrected.load_id} 收入列帐_更正.csv" in message
    assert "导入记录" in message and "撤销" in message
