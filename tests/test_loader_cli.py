"""`python -m analytics load`: the report printed, exit codes, overrides, --report. Both backends."""

from __future__ import annotations

import csv
import re
from datetime import date

import pytest

from analytics.cli import main
from tests.test_loader_helpers import FIXTURES, fresh, rows, scalar


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


def run(engine, *args: str) -> int:
    return main(["load", "--db", engine.url.render_as_string(hide_password=False), *args])


def test_load_prints_the_report_and_writes_quarantined_rows(wh, backend, tmp_path, capsys):
    report = tmp_path / "隔离.csv"
    code = run(wh, str(FIXTURES / "opportunities_errors.csv"), str(FIXTURES / "org.csv"), "--report", str(report),
               "--as-user", "weekly-job")  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert "读入 10 行 = 导入 2 + 隔离 8" in out and "rows in = loaded + quarantined" in out
    assert "预计签约日期 '2024-13-40' 不是有效日期" in out
    # The derived tables are rebuilt and the week's forecast frozen before the command
    # returns; each step after the commit is printed with its real time.
    assert re.search(r"after the commit \((\d+\.\d\d) s\):", out), out
    assert re.search(r"汇总表构建 / derived tables: \d+\.\d\d s", out), out
    assert re.search(r"forecast freeze 2024-03-08: \d+\.\d\d s", out), out
    assert bool(re.search(r"DuckDB checkpoint: \d+\.\d\d s", out)) == (backend == "duckdb"), out
    assert scalar(wh, "SELECT count(*) FROM cache_opportunity_facts") == 2
    assert scalar(wh, "SELECT count(*) FROM forecast_freezes") == 1
    with open(report, encoding="utf-8-sig") as handle:
        quarantined = list(csv.DictReader(handle))
    assert (
        len(quarantined) == 8 and quarantined[0]["行号"] == "2" and quarantined[0]["字段"] == "预计签约日期"
    )
    assert {by for (by,) in rows(wh, "SELECT loaded_by FROM load_history")} == {"weekly-job"}
    assert (
        scalar(wh, "SELECT count(*) FROM audit_log WHERE action = 'upload' AND username = 'weekly-job'") == 1
    )
    assert run(wh, str(FIXTURES / "org.csv")) == 0
    assert "未更改" in capsys.readouterr().out


def test_refused_batch_exits_non_zero_naming_the_problem(wh, capsys):
    assert run(wh, str(FIXTURES / "missing_columns.csv")) == 1
    out = capsys.readouterr().out
    assert "被拒绝" in out and "缺少必填列" in out and "预计年综合收益" in out
    assert "after the commit" not in out
    assert scalar(wh, "SELECT count(*) FROM opportunity_snapshot") == 0


def test_overrides_kind_encoding_snapshot_date_and_sheet(wh, capsys):
    assert run(wh, str(FIXTURES / "big5.csv"), "--encoding", "big5", "--snapshot-date", "2024-03-01") == 0
    assert rows(wh, "SELECT DISTINCT snapshot_date FROM opportunity_snapshot") == [(date(2024, 3, 1),)]
    assert run(wh, str(FIXTURES / "budget_two_sheets.xlsx"), "--sheet", "备注1", "--kind", "budget") == 0
    assert "读取工作表 '备注1'（工作簿另有：收入预算" in capsys.readouterr().out
    assert scalar(wh, "SELECT count(*) FROM budget") == 3


def test_undo_is_the_way_back_from_a_correction(wh, tmp_path, capsys):
    """Reloading a file whose rows a later load replaced changes nothing and names the command
    that undoes the later load; `undo` refuses while later loads depend, names them, and
    with --cascade takes them out too."""
    first = FIXTURES / "opportunities_gbk.csv"
    changed = tmp_path / "商机清单_改.csv"
    changed.write_bytes(
        first.read_bytes().replace("S003,3,跟进中".encode("gbk"), "S003,4,跟进中".encode("gbk"))
    )
    assert run(wh, str(first)) == 0 and run(wh, str(changed)) == 0
    correction = scalar(wh, "SELECT max(load_id) FROM load_history")
    capsys.readouterr()
    assert run(wh, str(first)) == 0
    out = capsys.readouterr().out
    assert "未更改" in out and f"python -m analytics undo {correction}" in out
    assert scalar(wh, "SELECT stage FROM opportunity_snapshot WHERE opportunity_id = 'OPP001'") == 4
    url = wh.url.render_as_string(hide_password=False)
    assert main(["undo", str(correction), "--db", url, "--as-user", "weekly-job"]) == 0
    assert f"#{correction}" in capsys.readouterr().out
    assert scalar(wh, "SELECT stage FROM opportunity_snapshot WHERE opportunity_id = 'OPP001'") == 3
    assert scalar(wh, "SELECT outcome FROM load_history WHERE load_id = :i", i=correction) == "undone"
    later = run(wh, str(changed))
    assert later == 0
    assert main(["undo", str(correction - 1), "--db", url]) == 2  # the reloaded correction depends on it
    err = capsys.readouterr().err
    assert "需先撤销" in err and "--cascade" in err
    assert main(["undo", str(correction - 1), "--db", url, "--cascade"]) == 0
    assert scalar(wh, "SELECT count(*) FROM opportunity_snapshot") == 0
