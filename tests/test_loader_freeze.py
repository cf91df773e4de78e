"""The week's frozen forecast follows the load that brought the snapshot. Both backends.

A load (analytics/ingest.py) commits, then freezes each snapshot it brought,
timing every step after the commit; a freeze cut short (a failure, ``kill -9``
between commit and freeze) is completed by the next load or start; undo takes
the frozen rows out with the snapshot and puts back those a later load set
aside; an older warehouse without ``forecast_snapshots.load_id`` is upgraded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from analytics import ingest, loader, schema
from analytics.cli import main
from analytics.db import ensure_schema
from analytics.forecast import freeze
from analytics.settings import load_settings
from tests.test_loader_helpers import fresh, rows, scalar

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
FILES = sorted(p for p in SAMPLES.iterdir() if p.name != "README.txt")
NOV13, NOV20 = date(2026, 11, 13), date(2026, 11, 20)
FROZEN = (  # named columns: a re-added column (load_id, below) moves to the end of SELECT *
    f"SELECT {', '.join(c.name for c in schema.forecast_snapshots.columns)} FROM forecast_snapshots "
    "ORDER BY snapshot_date, horizon, year, month, branch, product"
)


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


def run(engine, paths=FILES, **options) -> loader.BatchReport:
    inputs = [loader.Input.from_path(Path(p)) for p in paths]
    return ingest.ingest(engine, inputs, username="tester", settings=load_settings(), **options)


def frozen_dates(engine) -> set[date]:
    return {_day(d) for (d,) in rows(engine, "SELECT DISTINCT snapshot_date FROM forecast_snapshots")}


def _day(value) -> date:
    return value if type(value) is date else value.date()


def snapshot_load(report: loader.BatchReport, day: date) -> int:
    return next(f.load_id for f in report.files if f.name == f"商机清单_{day:%Y%m%d}.csv")


def test_each_loaded_snapshot_is_frozen_and_each_step_after_the_commit_is_timed(wh, backend):
    report = run(wh)
    assert report.outcome == "loaded", report.text()
    assert frozen_dates(wh) == {NOV13, NOV20}
    steps = [(s.code, s.detail) for s in report.after_commit]
    checkpoint = [("checkpoint", "")] if backend == "duckdb" else []  # PostgreSQL has none
    assert steps == [
        ("derived", ""),
        ("backtest", ""),
        ("past_rates", ""),
        ("calibration", ""),
        *checkpoint,
        ("freeze", str(NOV13)),
        ("freeze", str(NOV20)),
    ]
    assert all(s.seconds > 0 and s.error is None for s in report.after_commit)
    assert "after the commit" in report.text() and f"forecast freeze {NOV20}: " in report.text()
    assert "calibration backtest sums: " in report.text()
    # 周例会's default A (NOV13, a week before NOV20): its win rates are ready for the bridge
    past = "SELECT DISTINCT as_of FROM cache_past_win_rates"
    assert [_day(d) for (d,) in rows(wh, past)] == [NOV13]
    held = rows(wh, "SELECT snapshot_date, load_id FROM forecast_freezes ORDER BY 1")
    assert [(_day(d), i) for d, i in held] == [
        (NOV13, snapshot_load(report, NOV13)),
        (NOV20, snapshot_load(report, NOV20)),
    ]
    assert {i for (i,) in rows(wh, "SELECT DISTINCT load_id FROM forecast_snapshots")} == {i for _, i in held}
    assert freeze.unfrozen(wh) == []
    again = run(wh)  # nothing new: nothing to freeze or build
    assert again.outcome == "unchanged" and again.after_commit == []


def test_the_upload_progress_names_each_step_after_the_commit_as_it_starts(wh):
    assert run(wh).outcome == "loaded"
    said: list[tuple[float, str]] = []
    steps = ingest.finish(wh, load_settings(), progress=lambda fraction, text: said.append((fraction, text)))
    assert [text for _, text in said] == [
        f"{label}…" for _, label in (ingest.DERIVED, ingest.BACKTEST, ingest.PAST_RATES, ingest.CALIBRATION)
    ]
    assert [f for f, _ in said] == sorted(f for f, _ in said) and said[-1][0] < 1
    assert [s.code for s in steps if s.code != "checkpoint"] == [
        "derived",
        "backtest",
        "past_rates",
        "calibration",
    ]
    assert all(s.seconds > 0 and s.error is None for s in steps)


def week_changed(tmp_path) -> Path:
    """The 2026-11-20 snapshot sent again with its last 40 deals missing."""
    lines = (SAMPLES / "商机清单_20261120.csv").read_bytes().split(b"\r\n")
    path = tmp_path / "商机清单_20261120_重发.csv"
    path.write_bytes(b"\r\n".join([*lines[:-41], b""]))
    return path


def test_undo_takes_out_its_frozen_forecast_and_restores_the_one_it_replaced(wh, tmp_path):
    first = run(wh)
    before = rows(wh, FROZEN)
    assert len([r for r in before if _day(r[0]) == NOV20]) > 0
    horizon = list(schema.forecast_snapshots.columns.keys()).index("horizon")
    week = [r for r in before if _day(r[0]) == NOV20]
    assert {r[horizon] for r in week} == {"year_end", "next_quarter", "next_12_months"}  # all set aside
    resend = run(wh, [week_changed(tmp_path)])
    load_id = resend.files[0].load_id
    assert [(s.code, s.detail) for s in resend.after_commit if s.code != "checkpoint"] == [
        ("derived", ""),
        ("backtest", ""),
        ("past_rates", ""),
        ("calibration", ""),
        ("freeze", str(NOV20)),
    ]
    assert {
        i for (d, i) in rows(wh, "SELECT snapshot_date, load_id FROM forecast_snapshots") if _day(d) == NOV20
    } == {load_id}
    resent = [r for r in rows(wh, FROZEN) if _day(r[0]) == NOV20 and r[horizon] == "next_12_months"]
    assert resent and resent != [r for r in week if r[horizon] == "next_12_months"]  # 40 deals fewer
    assert loader.undo(wh, load_id, "tester") == [load_id]
    assert rows(wh, FROZEN) == before  # the frozen rows of the first load, exactly as frozen then
    assert scalar(wh, "SELECT count(*) FROM forecast_snapshots_replaced") == 0
    assert scalar(wh, "SELECT count(*) FROM forecast_freezes WHERE load_id = :i", i=load_id) == 0
    assert freeze.unfrozen(wh) == []
    loader.undo(wh, snapshot_load(first, NOV20), "tester", cascade=True)
    assert frozen_dates(wh) == {NOV13}  # no frozen forecast left for a snapshot no longer held


def test_a_failed_freeze_is_completed_by_the_next_load(wh, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated crash in the freeze")

    monkeypatch.setattr(freeze, "freeze_forecasts", broken)
    report = run(wh)
    assert report.ok and frozen_dates(wh) == set()
    failed = [s for s in report.after_commit if s.code == "freeze"]
    assert len(failed) == 2 and all(s.error == "simulated crash in the freeze" for s in failed)
    assert "retried at the next load or start" in report.text()
    assert [d for d, _ in freeze.unfrozen(wh)] == [NOV13, NOV20]
    monkeypatch.undo()
    again = run(wh)  # the same files: nothing to load, but the freezes still to do are done
    assert again.outcome == "unchanged"
    assert [s.detail for s in again.after_commit if s.code == "freeze"] == [str(NOV13), str(NOV20)]
    assert frozen_dates(wh) == {NOV13, NOV20} and freeze.unfrozen(wh) == []


KILLED_AT_FREEZE = (
    "import os, sys\n"
    "from analytics.forecast import freeze\n"
    "freeze.freeze_forecasts = lambda *args, **kwargs: os._exit(9)\n"
    "from analytics.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_a_load_killed_between_commit_and_freeze_is_completed_at_the_next_start(wh, capsys):
    url = wh.url.render_as_string(hide_password=False)
    wh.dispose()  # a DuckDB file has one writer process: let the loader open it
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT_FREEZE, "load", "--db", url, *map(str, FILES)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert killed.returncode == 9, killed.stdout + killed.stderr
    assert scalar(wh, "SELECT count(*) FROM snapshots") == 2  # committed
    assert frozen_dates(wh) == set()
    wh.dispose()
    assert main(["demo", "--if-empty", "--db", url]) == 0  # what `make run` does first
    out = capsys.readouterr().out
    assert f"forecast freeze {NOV13}: " in out and f"forecast freeze {NOV20}: " in out
    assert frozen_dates(wh) == {NOV13, NOV20}
    assert main(["demo", "--if-empty", "--db", url]) == 0
    assert "forecast freeze" not in capsys.readouterr().out  # done once


def test_an_older_warehouse_gains_the_load_id_and_its_freezes_count_as_done(wh):
    run(wh)
    frozen = rows(wh, FROZEN)
    with wh.begin() as conn:  # as a warehouse frozen before freezes were recorded (and migrations)
        conn.execute(text("ALTER TABLE forecast_snapshots DROP COLUMN load_id"))
        conn.execute(text("DELETE FROM forecast_freezes"))
        conn.execute(text("DROP TABLE alembic_version"))
    ensure_schema(wh)
    assert rows(wh, FROZEN) == frozen
    assert freeze.unfrozen(wh) == []
    ensure_schema(wh)  # idempotent
    assert rows(wh, FROZEN) == frozen and scalar(wh, "SELECT count(*) FROM forecast_freezes") == 2
