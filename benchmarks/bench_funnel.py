"""Funnel-area metrics at scale: 1 M opportunities, ~5 M stage changes, weekly snapshots.

Builds a synthetic warehouse directly with DuckDB SQL (range() and hash-based
columns, not the demo generator) in a temporary DuckDB file, then times each
metric function (through Context.query: template, scope, SQLAlchemy, pandas)
against a bare SQL statement computing the same aggregate straight on DuckDB
over the raw tables, and prints the ratio.  Targets: ratio ≤ 1.5×, warm
compute < 300 ms.  Not part of the test run:

    .venv/bin/python benchmarks/bench_funnel.py [--opportunities 1000000] [--snapshots 12] [--db FILE]

``--db FILE`` keeps the synthetic warehouse in FILE (and reuses it when it exists).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.context import Context
from analytics.db import ensure_schema
from analytics.metrics.classes import class_summary
from analytics.metrics.durations import longest_open_stints, stage_durations, stage_durations_trend
from analytics.metrics.funnel import funnel, funnel_breakdown
from analytics.metrics.problems import problem_groups, problem_opportunities
from analytics.metrics.process_quality import process_quality
from analytics.scope import Filters, Scope
from analytics.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_funnel_data import BARE, build

AS_OF = date(2026, 6, 30)
RUNS = 3


def timed_pair(ours: Callable[[], object], bare: Callable[[], object]) -> tuple[float, float]:
    """(our median, bare median) in ms; runs alternate so load drifts hit both alike."""
    bare()  # warm the bare statement too
    ours_ms, bare_ms = [], []
    for _ in range(RUNS):
        for run, into in ((ours, ours_ms), (bare, bare_ms)):
            start = time.perf_counter()
            run()
            into.append((time.perf_counter() - start) * 1000)
    return statistics.median(ours_ms), statistics.median(bare_ms)


def bare_params(settings: Settings) -> dict:
    """The same windows the metric functions compute, for the bare statements."""
    return {
        "as_of": AS_OF,
        "cohort_start": date(2025, 7, 1),
        "stale_window_start": AS_OF - timedelta(days=settings.stale_window_days),
        "idle_since": AS_OF - timedelta(days=settings.idle_days),
        "key_top_share": settings.key_top_share,
        "stale_min_days": settings.stale_min_days,
        "shown": settings.longest_stints_shown,
    }


METRICS = {
    "funnel": funnel,
    "funnel_breakdown": funnel_breakdown,
    "class_summary": class_summary,
    "stage_durations": stage_durations,
    "stage_durations_trend": stage_durations_trend,
    "longest_open_stints": longest_open_stints,
    "problem_opportunities": problem_opportunities,
    "problem_groups": problem_groups,
    "process_quality": process_quality,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=1_000_000)
    parser.add_argument("--snapshots", type=int, default=12)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.duckdb"
        reuse = path.exists()
        engine = create_engine(f"duckdb:///{path}")
        ensure_schema(engine)
        raw = engine.raw_connection()
        con = raw.driver_connection
        if not reuse:
            started = time.perf_counter()
            counts = build(con, args.opportunities, args.snapshots, AS_OF)
            built = ", ".join(f"{k} {v:,}" for k, v in counts.items())
            print(f"built in {time.perf_counter() - started:.1f} s: {built}")
        settings = Settings()
        ctx = Context(engine, Scope.company(), settings, AS_OF, Filters())
        params = bare_params(settings)
        print(
            f"{'metric':<24}{'rows':>8}{'cold ms':>9}{'warm ms':>9}{'bare ms':>9}{'ratio':>7}  ≤1.5×  <300ms"
        )
        for name, function in METRICS.items():
            start = time.perf_counter()
            rows = len(function(ctx))
            cold = (time.perf_counter() - start) * 1000
            sql = BARE[name]
            bound = {k: v for k, v in params.items() if f"${k}" in sql}
            warm, bare = timed_pair(
                lambda f=function: f(ctx), lambda s=sql, b=bound: con.execute(s, b).fetch_df()
            )
            ratio = warm / bare
            print(
                f"{name:<24}{rows:>8}{cold:>9.0f}{warm:>9.0f}{bare:>9.0f}{ratio:>6.2f}×  "
                f"{'ok' if ratio <= 1.5 else 'no':<5}  {'ok' if warm < 300 else 'no'}"
            )
        raw.close()
        engine.dispose()


if __name__ == "__main__":
    main()
