"""Every benchmark runs, once, on tiny data: a bench that went stale fails here, not at 1 M rows.

bench_home crashed for weeks (it replayed a query without a bind the query had
since gained) because nothing ran it.  Each ``benchmarks/bench_*.py`` with a
main is run in its own process with the tiny arguments below, all of them at
once (a few seconds of CPU each); the test asserts exit status 0.  A new bench
must declare its tiny mode here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHES = ROOT / "benchmarks"
TINY = {
    "bench_all": [
        *["--tmp", "--scale", "0.05", "--repeats", "1", "--pages", "home,funnel,team"],
        *["--load-rows", "2000", "--load-sample", "500", "--browser-pages", "1"],
    ],
    "bench_calibration": ["--scale", "0.05", "--repeats", "1"],
    "bench_demo": ["--scale", "0.05", "--max-seconds", "300", "--max-mb", "2048"],
    "bench_forecast": ["--deals", "2000", "--runs", "200", "--repeat", "1"],
    "bench_forecast_quality": ["--seeds", "7", "--scale", "0.05", "--rebuild"],
    "bench_funnel": ["--opportunities", "2000", "--snapshots", "3", "--runs", "1"],
    "bench_home": ["--scale", "0.05", "--repeats", "1"],
    "bench_load": ["--rows", "2000", "--repeat", "1", "--sample", "500"],
    "bench_movement": ["--opportunities", "2000", "--snapshots", "3", "--runs", "1"],
    "bench_pack": ["--scale", "0.05", "--repeats", "1"],
    "bench_workload": ["--scale", "0.05", "--repeats", "1"],
}
"""The arguments that make each benchmark run in seconds."""


def runnable() -> list[str]:
    """The benchmark scripts (modules imported by them, without a main, are not run)."""
    return sorted(
        p.stem
        for p in BENCHES.glob("bench_*.py")
        if 'if __name__ == "__main__"' in p.read_text(encoding="utf-8")
    )


def run(name: str) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("SJGK_")
    }  # defaults, not the tests' warehouse
    return subprocess.run(
        [sys.executable, str(BENCHES / f"{name}.py"), *TINY[name]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.fixture(scope="module")
def results() -> dict[str, subprocess.CompletedProcess]:
    """Every benchmark's run, a few at a time (its own process each)."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip(TINY, pool.map(run, TINY), strict=True))


def test_every_benchmark_has_a_tiny_mode():
    assert set(runnable()) == set(TINY), "declare the new benchmark's tiny arguments in TINY"


@pytest.mark.timeout(400)
@pytest.mark.parametrize("name", sorted(TINY))
def test_benchmark_runs_on_tiny_data(results, name):
    result = results[name]
    assert result.returncode == 0, (
        f"{name} exited {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    assert result.stdout.strip(), f"{name} printed nothing"


@pytest.mark.timeout(300)
def test_the_steps_after_a_weekly_load_are_timed_on_a_copy(tmp_path):
    """``bench_load --after-commit W --new-week``: next week's snapshot written into a copy of
    W as a load writes it, and every step a load sets off timed, the new week's freeze among
    them; W itself is left as it was."""
    from datetime import timedelta

    from sqlalchemy import create_engine, text

    from analytics.demo.generate import generate
    from analytics.warehouse import replace_all
    from tests.conftest import DEMO_AS_OF

    warehouse = tmp_path / "w.duckdb"
    engine = create_engine(f"duckdb:///{warehouse}")
    replace_all(engine, generate(7, DEMO_AS_OF, scale=0.01), loaded_by="demo", label="demo")
    engine.dispose()
    before = warehouse.read_bytes()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SJGK_")}
    result = subprocess.run(
        [sys.executable, str(BENCHES / "bench_load.py"), "--after-commit", str(warehouse), "--new-week"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=280,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    week = DEMO_AS_OF + timedelta(days=7)
    assert "next week's snapshot loaded" in result.stdout
    for step in ("0_derived", "backtest", "calibration", f"freeze_{week:%Y-%m-%d}"):
        assert step in result.stdout, result.stdout
    assert warehouse.read_bytes() == before
    with create_engine(f"duckdb:///{warehouse}").connect() as conn:
        assert conn.execute(text("SELECT MAX(snapshot_date) FROM snapshots")).scalar() == DEMO_AS_OF
