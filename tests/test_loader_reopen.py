"""A reopened deal (issue 13, item 5): 原阶段 may be a terminal status. Both backends.

A 阶段变更记录 row ``丢单 → 确认客户需求`` is a lost deal reopened at stage 2.  It
loads (from_stage takes every spelling to_stage takes; a status is stored as no
from_stage), and the reopening starts a new stint in stage 2 at the change date:
worked by hand, R1 entered stage 2 on 2024-01-10, was lost on 2024-02-01 and
reopened on 2024-04-20, so at 2024-04-30 its current stint is 10 days old, not
the 119 days since its creation it showed while the row was quarantined.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from analytics.context import Context
from analytics.metrics.durations import longest_open_stints
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from tests.test_loader_helpers import fresh, load, rows

AS_OF = date(2024, 4, 30)
SNAPSHOT = """商机编号,客户名称,产品,客户经理工号,阶段,状态,预计年综合收益,创建日期,导出日期
R1,重开客户,数据专线,S003,确认客户需求,跟进中,1000,2024-01-02,2024-04-30
"""
HISTORY = """商机编号,原阶段,新阶段,变更时间,操作人工号
R1,,1,2024-01-02,S003
R1,1,确认客户需求,2024-01-10,S003
R1,确认客户需求,丢单,2024-02-01,S003
R1,丢单,确认客户需求,2024-04-20 09:30:00,S003
R1,已丢单,2,2024-04-21,S003
R1,lost,阶段2,2024-04-22,S003
R1,中止,2,2024-04-23,S003
R1,跟进中,2,2024-04-24,S003
"""


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


def _write(tmp_path, history: str) -> tuple[str, str]:
    snapshot, changes = tmp_path / "商机清单.csv", tmp_path / "阶段变更记录.csv"
    snapshot.write_text(SNAPSHOT, encoding="utf-8")
    changes.write_text(history, encoding="utf-8")
    return str(snapshot), str(changes)


def test_a_from_status_row_loads_with_no_from_stage(wh, tmp_path):
    report = load(wh, *_write(tmp_path, HISTORY))
    assert report.outcome == "loaded", report.text()
    history = report.files[1]
    # Every spelling new 阶段 takes is taken by 原阶段; 跟进中 is no stage and no terminal status.
    assert (history.rows_in, history.loaded, history.quarantined) == (8, 7, 1)
    (reason,) = list(report.quarantine["reason"])
    assert reason == "原阶段 '跟进中' 既不是阶段 0–5，也不是 赢单/丢单/中止"
    got = rows(
        wh, "SELECT from_stage, to_stage, to_status, changed_at FROM stage_history ORDER BY changed_at"
    )
    assert got[2:4] == [
        (2, None, "lost", datetime(2024, 2, 1)),
        (None, 2, "open", datetime(2024, 4, 20, 9, 30)),
    ]
    assert [r[0] for r in got[4:]] == [None, None, None]


def test_the_reopening_starts_the_current_stint_at_its_date(wh, tmp_path):
    report = load(wh, *_write(tmp_path, "\n".join(HISTORY.splitlines()[:5]) + "\n"))
    assert report.outcome == "loaded" and report.quarantined == 0, report.text()
    ctx = Context(wh, Scope.company(), Settings(), AS_OF, Filters())
    stints = longest_open_stints(ctx)
    (deal,) = stints[stints["opportunity_id"] == "R1"].itertuples()
    assert deal.stage == 2
    assert deal.stint_entered_date == date(2024, 4, 20)
    assert deal.stint_age_days == 10
    assert not deal.stale
