"""A batch is all or nothing: a failure mid-batch, a SIGKILLed loader, a locked warehouse.

Each test compares the whole warehouse state (data, shadow tables, raw
copies) before and after, on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from analytics.loader import write
from tests.test_loader_helpers import FIXTURES, STATE_TABLES, fresh, load, rows, scalar, state


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


ROOT = Path(__file__).resolve().parent.parent
BATCH = ("opportunities_gbk.csv", "stage_history.csv", "revenue.csv", "contracts.csv")


def test_a_failure_mid_batch_leaves_the_warehouse_unchanged(wh, monkeypatch):
    load(wh, "org.csv", "revenue_wan.csv")
    before = state(wh)
    calls = []
    real = write.apply_file

    def failing(conn, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full (simulated)")
        return real(conn, *args, **kwargs)

    monkeypatch.setattr(write, "apply_file", failing)
    with pytest.raises(write.LoadError, match="整批已回滚，仓库未做任何更改：disk full"):
        load(wh, *BATCH)
    assert len(calls) == 3  # two files were written inside the transaction before the failure
    assert state(wh) == before
    assert {o for (o,) in rows(wh, "SELECT outcome FROM load_history WHERE load_id > 2")} == {"failed"}
    monkeypatch.undo()
    assert load(wh, *BATCH).outcome == "loaded"  # nothing was damaged


def test_a_database_error_mid_batch_rolls_back(wh):
    """The warehouse itself fails on the last file (its shadow table is missing): nothing stays."""
    load(wh, "revenue_wan.csv")
    tables = tuple(t for t in STATE_TABLES if t != "budget_replaced")
    before = state(wh, tables)
    with wh.begin() as conn:
        conn.execute(text("ALTER TABLE budget_replaced RENAME TO budget_replaced_away"))
    try:
        with pytest.raises(write.LoadError, match="整批已回滚"):
            load(wh, "org.csv", "opportunities_gbk.csv", "budget.xlsx")
        assert state(wh, tables) == before
    finally:
        with wh.begin() as conn:
            conn.execute(text("ALTER TABLE budget_replaced_away RENAME TO budget_replaced"))


def _run_loader(url: str, pause: float, *names: str) -> subprocess.Popen:
    env = {**os.environ, write.PAUSE_ENV: str(pause), "PYTHONPATH": str(ROOT)}
    paths = [str(FIXTURES / n) for n in names]
    return subprocess.Popen(
        [sys.executable, "-m", "analytics", "load", "--db", url, "--as-user", "killed", *paths],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_loader_killed_mid_batch_leaves_the_warehouse_unchanged(wh):
    load(wh, "org.csv", "revenue_wan.csv")
    before = state(wh)
    url = wh.url.render_as_string(hide_password=False)
    wh.dispose()  # a DuckDB file has one writer process: let the loader open it
    process = _run_loader(url, 120, *BATCH)
    deadline = time.monotonic() + 60
    line = ""
    while "paused mid-batch" not in line and time.monotonic() < deadline:
        line = process.stderr.readline()
        assert line or process.poll() is None, process.stdout.read()
    assert "paused mid-batch" in line
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert state(wh) == before  # reopened: the uncommitted batch never happened
    assert scalar(wh, "SELECT count(*) FROM load_history WHERE loaded_by = 'killed'") == 0
    assert load(wh, *BATCH).outcome == "loaded"


def test_a_locked_duckdb_file_stops_the_command_with_a_clear_message(wh, backend):
    if backend != "duckdb":
        pytest.skip("file locking is a DuckDB matter")
    url = wh.url.render_as_string(hide_password=False)
    with wh.connect() as conn:
        conn.execute(text("SELECT 1"))  # this process holds the file, as the dashboard would
        process = _run_loader(url, 0, "org.csv")
        out, err = process.communicate(timeout=60)
    assert process.returncode == 2, out + err
    assert "in use by another process" in err and "Traceback" not in err
