"""Undo restores the company totals of the frozen forecasts it replaced (issue 16). Both backends.

A resend of a week's snapshot freezes that week again, company total included
(forecast_snapshot_totals); undoing the resend must put back the totals of the
first load exactly as frozen then, and undoing the first load takes them out.
"""

from __future__ import annotations

import pytest

from analytics import loader
from tests.test_loader_freeze import NOV13, NOV20, _day, run, snapshot_load, week_changed
from tests.test_loader_helpers import fresh, rows, scalar

TOTALS = "SELECT * FROM forecast_snapshot_totals ORDER BY snapshot_date, horizon, year, month"


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


def totals_of(engine, day) -> list:
    return [r for r in rows(engine, TOTALS) if _day(r[0]) == day]


def test_undo_restores_the_company_totals_it_replaced(wh, tmp_path):
    first = run(wh)
    before = rows(wh, TOTALS)
    assert totals_of(wh, NOV20), "the first load freezes the week's company total"
    horizons = rows(wh, "SELECT DISTINCT horizon, naive_pipeline IS NULL FROM forecast_snapshot_totals")
    # Every horizon's totals carry the naive baselines (r0019: undo must put them back too).
    assert set(horizons) == {("year_end", False), ("next_quarter", False), ("next_12_months", False)}
    resend = run(wh, [week_changed(tmp_path)])
    load_id = resend.files[0].load_id
    again = totals_of(wh, NOV20)
    assert again and again != [r for r in before if _day(r[0]) == NOV20]  # 40 deals fewer: other totals
    assert loader.undo(wh, load_id, "tester") == [load_id]
    assert rows(wh, TOTALS) == before  # the first load's totals, exactly as frozen then
    assert scalar(wh, "SELECT count(*) FROM forecast_snapshot_totals_replaced") == 0
    loader.undo(wh, snapshot_load(first, NOV20), "tester", cascade=True)
    assert totals_of(wh, NOV20) == [] and totals_of(wh, NOV13)  # gone with the snapshot; the other kept
