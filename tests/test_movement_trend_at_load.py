"""cache_movement_trend is kept per pair (issue 19): a load of a new snapshot builds that
snapshot's pair alone, and what is kept equals a build from scratch and the trend computed
from the snapshots themselves; an undo of the load takes its pair out.

The trend was rebuilt over every snapshot held after each load (8.5 s of the 28 s of
derived tables at 1,000,000 opportunities, growing with every week held).  Both
backends: the sample files loaded, the newest week sent again, then a new week.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import text

from analytics import derived
from analytics.context import Context
from analytics.loader import history
from analytics.metrics import movement as mv
from analytics.scope import Filters, Scope
from analytics.settings import load_settings
from tests.test_loader_freeze import NOV13, NOV20, SAMPLES, run, week_changed
from tests.test_loader_helpers import fresh, rows, scalar

NOV27 = date(2026, 11, 27)
TABLE = "cache_movement_trend"


@pytest.fixture
def loaded(empty_engine, tmp_path, monkeypatch):
    """The samples, then the newest week re-sent (its pair rebuilt), as the weeks arrive."""
    engine = fresh(empty_engine)
    assert run(engine).outcome == "loaded"
    assert run(engine, [week_changed(tmp_path)]).outcome == "loaded"
    return engine


def _builds(monkeypatch) -> list[tuple[date, tuple]]:
    """Record each build of the trend from here on: (as_of, span)."""
    made: list[tuple[date, tuple]] = []
    build = derived._build

    def recorded(engine, model, as_of, *args, **kwargs):
        if model.table == TABLE:
            made.append((_day(as_of), tuple(_day(d) for d in kwargs.get("span", ()))))
        return build(engine, model, as_of, *args, **kwargs)

    monkeypatch.setattr(derived, "_build", recorded)
    return made


def _day(value) -> date:
    return value if type(value) is date else value.date()


def _kept(engine) -> pd.DataFrame:
    frame = pd.read_sql(
        text(f"SELECT * FROM {TABLE} ORDER BY as_of, branch, team, owner_id, waterfall_part, is_new"),
        engine,
    )
    frame["as_of"] = frame["as_of"].map(_day)
    return frame.astype(object).where(frame.notna(), None)


def _from_scratch(engine, monkeypatch) -> pd.DataFrame:
    """Every pair in one pass, as a build with nothing kept."""
    with engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {TABLE}"))
        conn.execute(text(f"DELETE FROM cache_registry WHERE model = '{TABLE}'"))
    monkeypatch.setattr(derived, "_KNOWN_BUILT", set())
    derived.ensure(engine, [TABLE], NOV27, load_settings())
    return _kept(engine)


def _trend_matches_the_snapshots(engine) -> None:
    """The kept trend of the company and of one branch equals the trend from the snapshots."""
    for scope in (Scope.company(), Scope.of_branch(_a_branch(engine))):
        ctx = Context(engine, scope, load_settings(), NOV27, Filters())
        kept, scratch = ctx.query("movement_trend_kept"), ctx.query("movement_trend")
        numbers = [c for c in scratch.columns if c.endswith(("_count", "_fen")) or c.startswith("label_")]
        assert len(scratch) >= 1
        assert list(kept["snapshot_b"]) == list(scratch["snapshot_b"])
        pd.testing.assert_frame_equal(
            kept[numbers].fillna(0).astype("int64"), scratch[numbers].fillna(0).astype("int64")
        )


def _a_branch(engine) -> str:
    return scalar(engine, "SELECT MIN(branch) FROM stg_opportunity_snapshot WHERE branch IS NOT NULL")


def test_a_new_week_builds_its_own_pair_alone_and_equals_a_build_from_scratch(loaded, monkeypatch, tmp_path):
    engine = loaded
    held = sorted(_day(d) for (d,) in rows(engine, f"SELECT DISTINCT as_of FROM {TABLE}"))
    assert held == [NOV20], "two snapshots: one pair, under its later snapshot"
    made = _builds(monkeypatch)
    week = tmp_path / f"商机清单_{NOV27:%Y%m%d}.csv"
    week.write_bytes(
        (SAMPLES / "商机清单_20261120.csv").read_bytes().replace(b",2026/11/20\r\n", b",2026/11/27\r\n")
    )
    report = run(engine, [week])
    assert report.outcome == "loaded", report.text()
    assert [s.error for s in report.after_commit if s.code == "derived"] == [None]
    assert made == [(NOV27, ())], "the load rebuilt the earlier pair, or not the new one"
    incremental = _kept(engine)
    assert sorted(set(incremental["as_of"])) == [NOV20, NOV27]
    assert int(incremental.loc[incremental["as_of"] == NOV27, "deals"].sum()) > 0
    _trend_matches_the_snapshots(engine)
    scratch = _from_scratch(engine, monkeypatch)
    assert made[-1] == (NOV27, (NOV20, NOV27)), "from scratch: both pairs in one pass"
    pd.testing.assert_frame_equal(incremental, scratch)


def test_an_undone_week_takes_its_pair_out(loaded, monkeypatch, tmp_path):
    engine = loaded
    before = _kept(engine)
    week = tmp_path / f"商机清单_{NOV27:%Y%m%d}.csv"
    week.write_bytes(
        (SAMPLES / "商机清单_20261120.csv").read_bytes().replace(b",2026/11/20\r\n", b",2026/11/27\r\n")
    )
    assert run(engine, [week]).outcome == "loaded"
    newest = scalar(engine, "SELECT MAX(load_id) FROM load_history WHERE outcome = 'loaded'")
    history.undo(engine, newest, "tester")
    made = _builds(monkeypatch)
    monkeypatch.setattr(derived, "_KNOWN_BUILT", set())  # a dashboard process of its own
    ctx = Context(engine, Scope.company(), load_settings(), NOV20, Filters())
    trend = mv.movement_trend(ctx)
    assert list(trend["snapshot_b"].map(_day)) == [NOV20]
    assert made == [], "the undo left NOV20's pair as it was: nothing to build"
    pd.testing.assert_frame_equal(_kept(engine), before)
    registered = rows(engine, f"SELECT as_of FROM cache_registry WHERE model = '{TABLE}'")
    snapshots = rows(engine, "SELECT snapshot_date FROM snapshots ORDER BY snapshot_date")
    assert [_day(d) for (d,) in snapshots] == [NOV13, NOV20]
    assert [_day(d) for (d,) in registered] == [NOV20], "the undone week's pair is still registered"
