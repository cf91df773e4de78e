"""周例会 at scale: the week-over-week movement of 1 M opportunities over 12 weekly snapshots.

Builds the synthetic warehouse of bench_funnel_data.py (1 M opportunities, a
snapshot every week; expected close dates move now and then, so deals slip)
in a temporary DuckDB file, builds the derived tables for snapshots A and B
(once per load and date, not timed), then times, in the same run:

* each per-pair call the 周例会 page makes when opened (analytics/pages.py,
  PAGE_CALLS["weekly"]: the waterfall and groups, the first page of the
  movement table and of the key deals, the removed deals when there are any,
  the forecast bridge — not available here: no frozen forecasts) through
  analytics (scope, templates, SQLAlchemy, DataFrames) against the very
  statements it sends replayed on a raw DuckDB connection (the bare SQL), and
  their ratio;
* their sum, the page's computation for one pair (target < 1 s warm);
* apart: one bar's deals (on a click) and the trend over every snapshot held
  (not per pair).

    .venv/bin/python benchmarks/bench_movement.py [--opportunities 1000000] [--snapshots 12] [--db FILE]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_funnel_data import build
from replay import RecordingContext, replay

from analytics.db import ensure_schema
from analytics.derived import MODELS, ensure
from analytics.forecast.bridge import forecast_change
from analytics.metrics import movement as mv
from analytics.scope import Filters, Scope
from analytics.settings import Settings

AS_OF = date(2026, 6, 30)
RUNS = 5
TARGET_MS = 1000


def timed_pair(
    ours: Callable[[], object], bare: Callable[[], object], runs: int
) -> tuple[float, float, float]:
    """(our median, bare median, our median CPU) in ms, warm; runs alternate so load drifts hit
    both alike. CPU time (all of the process's threads) is what the call costs whatever else
    the machine runs; wall time on a busy machine is mostly waiting."""
    ours()
    bare()
    ours_ms, bare_ms, cpu_ms = [], [], []
    for _ in range(runs):
        for run, into in ((ours, ours_ms), (bare, bare_ms)):
            start, cpu = time.perf_counter(), time.process_time()
            run()
            into.append((time.perf_counter() - start) * 1000)
            if into is ours_ms:
                cpu_ms.append((time.process_time() - cpu) * 1000)
    return statistics.median(ours_ms), statistics.median(bare_ms), statistics.median(cpu_ms)


def page_calls(pair: mv.SnapshotPair, moved: mv.Movement) -> dict[str, Callable]:
    """What pages/weekly.py computes for one pair when opened (first pages of 50 rows)."""
    calls = {
        "pair_or_none": lambda ctx: mv.pair_or_none(ctx, None, None),
        "movement": lambda ctx: mv.movement(ctx, pair),
        "movement_list (table)": lambda ctx: mv.movement_list(ctx, pair, None, None, "value", 50, 0),
        "movement_key_deals": lambda ctx: mv.movement_key_deals(ctx, pair, 50, 0),
        "forecast_change": lambda ctx: forecast_change(ctx, pair),
    }
    removed = moved.counts["removed"]
    if removed:  # the page asks for the removed deals only when there are some
        calls["movement_list (removed)"] = lambda ctx: mv.movement_list(
            ctx, pair, "removed", None, "value", removed, 0
        )
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=1_000_000)
    parser.add_argument("--snapshots", type=int, default=12)
    parser.add_argument("--db", type=Path, default=None, help="reuse (or keep) the warehouse file")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs of each side (medians compared)")
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
            print(
                f"built in {time.perf_counter() - started:.1f} s: "
                + ", ".join(f"{k} {v:,}" for k, v in counts.items())
            )
        settings = Settings()
        ctx = RecordingContext(engine, Scope.company(), settings, AS_OF, Filters())
        pair = mv.snapshot_pair(ctx)
        started = time.perf_counter()
        for day in (pair.a, pair.b):
            ensure(engine, list(MODELS), day, settings)
        print(
            f"pair {pair.a} → {pair.b}; derived tables of both built: {time.perf_counter() - started:.1f} s"
        )
        moved = mv.movement(ctx, pair)
        fall = moved.waterfall
        print(
            f"open {fall.counts['start']:,} → {fall.counts['end']:,}; moved {moved.labelled:,}; "
            f"waterfall adds up: {fall.adds_up()}"
        )
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'call':<26}{'rows':>8}{'warm ms':>9}{'bare SQL':>9}{'ratio':>7}{'cpu ms':>8}")
        total = bare_total = cpu_total = 0.0
        for name, call in page_calls(pair, moved).items():
            ctx.sent.clear()
            result = call(ctx)
            sent = list(ctx.sent)
            warm, bare, cpu = timed_pair(lambda c=call: c(ctx), lambda s=sent: replay(con, s), args.runs)
            total, bare_total, cpu_total = total + warm, bare_total + bare, cpu_total + cpu
            rows = len(result) if hasattr(result, "__len__") else 1
            print(f"{name:<26}{rows:>8}{warm:>9.0f}{bare:>9.0f}{warm / bare:>6.2f}×{cpu:>8.0f}")
        verdict = "ok" if total < TARGET_MS else "over"
        print(f"{'page, one pair (sum)':<34}{total:>9.0f}{bare_total:>9.0f}{total / bare_total:>6.2f}×"
              f"{cpu_total:>8.0f}  < {TARGET_MS} ms: {verdict}")  # fmt: skip
        apart = {
            "movement_list (bar)": lambda: mv.movement_list(ctx, pair, None, "start", "value", 50, 0),
            "movement_trend (all pairs)": lambda: mv.movement_trend(ctx),
        }
        for name, call in apart.items():
            ctx.sent.clear()
            call()
            sent = list(ctx.sent)
            warm, bare, cpu = timed_pair(call, lambda s=sent: replay(con, s), max(1, args.runs // 2))
            print(f"{name:<34}{warm:>9.0f}{bare:>9.0f}{warm / bare:>6.2f}×{cpu:>8.0f}")
        assert pair.b - pair.a >= timedelta(days=settings.week_compare_days)
        raw.close()
        engine.dispose()


if __name__ == "__main__":
    main()
