"""What a load replaces, said before writing; a shrink needs confirmation; partial-branch exports.

Issue 17 item 2: a 200-row opportunities export replaced a snapshot's 19,571 rows.
The world: org with 浦东 (S101, S102) and 静安 (S201, S202); a full snapshot of
2026-11-20 with 7 deals (浦东 4 rows, 100.0 万元; 静安 3 rows, 180.0 万元).  Every
number below is counted by hand from these rows.  Both backends.
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics import loader
from analytics.cli import main
from analytics.settings import load_settings
from tests.test_loader_helpers import fresh, load, rows, scalar, state

ORG = """工号,姓名,角色,团队,分局,在职
S101,甲,客户经理,浦东一组,浦东,是
S102,乙,客户经理,浦东一组,浦东,是
S201,丙,客户经理,静安一组,静安,是
S202,丁,客户经理,静安一组,静安,是
"""
HEAD = "商机编号,客户名称,产品,客户经理工号,阶段,状态,预计年综合收益,创建日期,导出日期\n"
FULL = [
    ("P1", "S101", 100_000),
    ("P2", "S101", 200_000),
    ("P3", "S102", 300_000),
    ("P4", "S102", 400_000),
    ("J1", "S201", 500_000),
    ("J2", "S201", 600_000),
    ("J3", "S202", 700_000),
]
DAY = "2026-11-20"


def opportunities(deals, day: str = DAY) -> str:
    return HEAD + "".join(
        f"{i},客户{i},IPTV,{owner},2,跟进中,{value},2026-01-05,{day}\n" for i, owner, value in deals
    )


def write(tmp_path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.fixture
def wh(empty_engine, tmp_path):
    """The org and the full snapshot of 2026-11-20, loaded."""
    engine = fresh(empty_engine)
    report = load(
        engine, write(tmp_path, "org.csv", ORG), write(tmp_path, "商机清单_全.csv", opportunities(FULL))
    )
    assert report.outcome == "loaded", report.message
    return engine


def partial(tmp_path) -> str:
    """浦东 only: P1 at a new value and a new deal P5 — 2 rows, 20.0 万元."""
    return write(
        tmp_path, "商机清单_浦东.csv", opportunities([("P1", "S101", 150_000), ("P5", "S102", 50_000)])
    )


def inspect(engine, path: str) -> list[loader.Replacement]:
    results = loader.inspect(engine, [loader.Input.from_path(path)], load_settings())
    return results[0].replacements


def held(engine) -> list[tuple]:
    return rows(engine, "SELECT opportunity_id, owner_id, annual_value FROM opportunity_snapshot ORDER BY 1")


def test_the_preview_names_old_and_new_rows_and_value_of_the_branches_replaced(wh, tmp_path):
    (line,) = inspect(wh, partial(tmp_path))
    assert (line.key_name, line.key, line.branches, line.kept_rows) == ("snapshot_date", DAY, ("浦东",), 3)
    assert (line.old_rows, line.old_value, line.new_rows, line.new_value) == (4, 1_000_000.0, 2, 200_000.0)
    assert line.shrink == pytest.approx(0.8)  # value 100.0 → 20.0 万元 (rows: −50 %)
    assert line.needs_confirmation(load_settings().replace_shrink_confirm_share)
    assert line.sentence() == (
        "快照日期 2026-11-20：现有 4 行（100.0 万元） → 导入后 2 行（20.0 万元）（减少 80.0%）；"
        "只替换文件中的分公司：浦东（其他分公司的 3 行保留）"
    )
    assert line.confirmation() == "确认用 2 行（20.0 万元）替换快照日期 2026-11-20 浦东 的 4 行（100.0 万元）"


def test_a_file_covering_every_branch_or_an_unknown_owner_replaces_the_whole_date(wh, tmp_path):
    both = write(tmp_path, "both.csv", opportunities([("P1", "S101", 100_000), ("J1", "S201", 500_000)]))
    (line,) = inspect(wh, both)
    assert (line.old_rows, line.old_value, line.new_rows, line.branches) == (7, 2_800_000.0, 2, ())
    unknown = write(tmp_path, "unknown.csv", opportunities([("P1", "S101", 100_000), ("X1", "S999", 1)]))
    (line,) = inspect(wh, unknown)
    assert (line.old_rows, line.new_rows, line.branches, line.kept_rows) == (7, 2, (), 0)
    growing = write(tmp_path, "new_day.csv", opportunities(FULL[:1], day="2026-11-27"))
    (line,) = inspect(wh, growing)  # a new date: nothing held, nothing to confirm
    assert (line.key, line.old_rows, line.old_value, line.new_rows, line.new_value) == (
        "2026-11-27", 0, 0.0, 1, 100_000.0,
    )  # fmt: skip
    assert not line.needs_confirmation(0.2)


def test_a_shrinking_load_is_refused_unless_confirmed_and_nothing_changes(wh, tmp_path):
    before = state(wh)
    history = scalar(wh, "SELECT count(*) FROM load_history")
    report = load(wh, partial(tmp_path))
    assert report.outcome == "unconfirmed" and not report.ok
    assert "4 行（100.0 万元） → 导入后 2 行（20.0 万元）" in report.message
    assert state(wh) == before and scalar(wh, "SELECT count(*) FROM load_history") == history


def test_a_partial_branch_load_keeps_other_branches_and_undo_restores_exactly(wh, tmp_path):
    before = state(wh)
    report = load(wh, partial(tmp_path), confirm_shrink=True)
    assert report.outcome == "loaded" and report.files[0].replaced == 4
    assert held(wh) == [
        ("J1", "S201", 500_000), ("J2", "S201", 600_000), ("J3", "S202", 700_000),
        ("P1", "S101", 150_000), ("P5", "S102", 50_000),
    ]  # fmt: skip
    assert rows(wh, "SELECT snapshot_date, row_count FROM snapshots") == [(date(2026, 11, 20), 5)]
    loader.undo(wh, report.files[0].load_id, "tester")
    assert state(wh) == before


def test_a_deal_that_moved_into_the_files_branch_is_replaced_not_doubled(wh, tmp_path):
    moved = [*FULL[:4], ("J1", "S101", 550_000)]  # J1 now owned in 浦东
    path = write(tmp_path, "moved.csv", opportunities(moved))
    (line,) = inspect(wh, path)
    assert (line.old_rows, line.old_value, line.new_rows, line.new_value, line.kept_rows) == (
        5, 1_500_000.0, 5, 1_550_000.0, 2,
    )  # fmt: skip
    assert load(wh, path).outcome == "loaded"  # grows: no confirmation needed
    assert [i for i, _, _ in held(wh)] == ["J1", "J2", "J3", "P1", "P2", "P3", "P4"]
    assert scalar(wh, "SELECT owner_id FROM opportunity_snapshot WHERE opportunity_id = 'J1'") == "S101"


def test_an_org_file_in_the_batch_decides_the_branches_the_preview_and_the_load_replace(wh, tmp_path):
    """S102 moves to 静安 in the batch's own org, listed after the 浦东-only file.

    The load writes the org first, so 浦东's held rows are then P1 and P2 only
    (P3, P4 belong to S102, now 静安): 2 rows, 30.0 万元, replaced; 5 kept.
    Counted against the old org the preview said 4 rows, 100.0 万元, 3 kept.
    """
    moved_org = ORG.replace("S102,乙,客户经理,浦东一组,浦东", "S102,乙,客户经理,静安一组,静安")
    files = [
        write(tmp_path, "商机清单_浦东.csv", opportunities([("P1", "S101", 150_000)])),
        write(tmp_path, "org_moved.csv", moved_org),
    ]
    results = loader.inspect(wh, [loader.Input.from_path(f) for f in files], load_settings())
    (line,) = results[0].replacements
    assert (line.old_rows, line.old_value, line.new_rows, line.kept_rows, line.branches) == (
        2, 300_000.0, 1, 5, ("浦东",),
    )  # fmt: skip
    assert [(r.key_name, r.old_rows, r.new_rows) for r in results[1].replacements] == [("org", 4, 4)]
    report = load(wh, *files, confirm_shrink=True)
    assert report.outcome == "loaded", report.message
    assert [(r.old_rows, r.kept_rows) for r in report.files[0].replacements] == [(2, 5)]
    assert held(wh) == [
        ("J1", "S201", 500_000), ("J2", "S201", 600_000), ("J3", "S202", 700_000),
        ("P1", "S101", 150_000), ("P3", "S102", 300_000), ("P4", "S102", 400_000),
    ]  # fmt: skip


def test_revenue_budget_and_org_lines(wh, tmp_path):
    revenue = "帐期,分局,产品,金额\n202610,浦东,IPTV,100\n202610,静安,IPTV,300\n202611,浦东,IPTV,50\n"
    assert load(wh, write(tmp_path, "rev.csv", revenue)).outcome == "loaded"
    lines = inspect(wh, write(tmp_path, "rev2.csv", "帐期,分局,产品,金额\n202611,浦东,IPTV,80\n"))
    assert [(r.key, r.old_rows, r.old_value, r.new_rows, r.new_value) for r in lines] == [
        ("202611", 1, 50.0, 1, 80.0)
    ]
    org = inspect(wh, write(tmp_path, "org2.csv", ORG.splitlines()[0] + "\n" + ORG.splitlines()[1] + "\n"))
    assert [(r.key_name, r.old_rows, r.new_rows, r.old_value) for r in org] == [("org", 4, 1, None)]
    assert org[0].needs_confirmation(0.2)  # a one-person org file would drop three people


def run(engine, *args: str) -> int:
    return main(["load", "--db", engine.url.render_as_string(hide_password=False), *args])


def test_the_load_command_refuses_without_confirm_shrink_and_loads_with_it(wh, tmp_path, capsys):
    path, before = partial(tmp_path), state(wh)
    assert run(wh, path) == 1
    out = capsys.readouterr().out
    assert "将替换的数据" in out and "--confirm-shrink" in out
    assert "快照日期 2026-11-20：现有 4 行（100.0 万元） → 导入后 2 行（20.0 万元）" in out
    assert state(wh) == before
    assert run(wh, path, "--confirm-shrink") == 0
    out = capsys.readouterr().out
    assert "只替换文件中的分公司：浦东" in out
    assert len(held(wh)) == 5
    # The steps after the commit see the whole date: derived facts and the week's frozen forecast.
    assert scalar(wh, "SELECT count(*) FROM cache_opportunity_facts") == 5
    newest = scalar(wh, "SELECT max(load_id) FROM load_history WHERE outcome = 'loaded'")
    assert scalar(wh, "SELECT count(*) FROM forecast_freezes WHERE load_id = :i", i=newest) == 1
