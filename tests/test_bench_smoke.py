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
