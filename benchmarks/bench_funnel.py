"""Funnel-area metrics at scale: 1 M opportunities, ~5 M stage changes, weekly snapshots.

Builds a synthetic warehouse directly with DuckDB SQL (range() and hash-based
columns, not the demo generator) in a temporary DuckDB file, times the build of
the derived tables (analytics/derived.py: paid once per load and as_of), then
times each metric function (through Context.query: template, scope,
SQLAlchemy, pandas) against two baselines run straight on the DuckDB
connection: ``same SQL``, the very statements the metric sends (so the ratio is
the cost of our layer), and ``from raw``, a bare statement computing the same
aggregate from the raw tables with no derived tables (what every query cost
before them).  Targets: ratio to the same SQL ≤ 1.5×, warm compute < 300 ms.
Not part of the test run:

    .venv/bin/python benchmarks/bench_funnel.py [--opportunities 1000000] [--snapshots 12] [--db FILE]
        [--runs 3]

What each page computes is ``analytics.pages.PAGE_CALLS``, the list the page
itself runs.  ``make test`` runs this once on 2,000 opportunities as a smoke test.

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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_funnel_data import BARE, build
from replay import RecordingContext, replay

from analytics.db import ensure_schema
from analytics.derived import MODELS, ensure
from analytics.metrics.explorer import ListSearch
from analytics.pages import PAGE_CALLS
from analytics.scope import Filters, Scope
from analytics.settings import Settings

AS_OF = date(2026, 6, 30)
RUNS = 3


def timed_pair(ours: Callable[[], object], bare: Callable[[], object], runs: int) -> tuple[float, float]:
    """(our median, bare median) in ms; runs alternate so load drifts hit both alike."""
    bare()  # warm the bare statement too
    ours_ms, bare_ms = [], []
    for _ in range(runs):
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
        "overdue_before": AS_OF - timedelta(days=settings.overdue_grace_days),
        "stale_p90_factor": settings.stale_p90_factor,
        "key_top_share": settings.key_top_share,
        "stale_min_days": settings.stale_min_days,
        "shown": settings.longest_stints_shown,
        "rows": settings.problem_list_rows,
    }


PAGES = {  # the funnel area's pages: what each computes is PAGE_CALLS[page], the page's own list
    "funnel": "漏斗分析 funnel",
    "durations": "阶段时长 durations",
    "problems": "问题商机 problems",
    "process": "流程质量 process",
    "explorer": "商机明细 explorer",
}
BARE_NAMES = {"top_problem_opportunities": "problem_opportunities"}
"""The bare statement of a call whose name differs (the pages list the top rows)."""


def page_arguments(settings: Settings) -> dict[str, tuple]:
    """What the pages pass besides the context, by default (the explorer's list is capped)."""
    return {"opportunity_list": (ListSearch(limit=settings.explorer_list_rows),)}


def rows_of(result: object) -> int:
    return len(result) if hasattr(result, "__len__") else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=1_000_000)
    parser.add_argument("--snapshots", type=int, default=12)
    parser.add_argument("--db", type=Path, default=None)
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
            built = ", ".join(f"{k} {v:,}" for k, v in counts.items())
            print(f"built in {time.perf_counter() - started:.1f} s: {built}")
        settings = Settings()
        ctx = RecordingContext(engine, Scope.company(), settings, AS_OF, Filters())
        started = time.perf_counter()
        ensure(engine, list(MODELS), AS_OF, Settings())
        print(f"derived tables built in {time.perf_counter() - started:.1f} s (once per load and as_of)")
        params = bare_params(settings)
        print(
            f"{'metric':<26}{'rows':>8}{'warm ms':>9}{'same SQL':>9}{'ratio':>7}  ≤1.5×  <300ms"
            f"{'from raw':>10}{'ratio':>7}"
        )
        arguments = page_arguments(settings)
        functions = {f.__name__: f for page in PAGES for f in PAGE_CALLS[page]}
        warm_ms: dict[str, float] = {}
        for name, function in functions.items():
            args_ = arguments.get(name, ())
            ctx.sent.clear()
            rows = rows_of(function(ctx, *args_))
            sent = list(ctx.sent)
            warm, same = timed_pair(
                lambda f=function, a=args_: f(ctx, *a), lambda sent=sent: replay(con, sent), args.runs
            )
            warm_ms[name] = warm
            ratio = warm / same
            line = (
                f"{name:<26}{rows:>8}{warm:>9.0f}{same:>9.0f}{ratio:>6.2f}×  "
                f"{'ok' if ratio <= 1.5 else 'no':<5}  {'ok' if warm < 300 else 'no':<5}"
            )
            sql = BARE.get(BARE_NAMES.get(name, name))
            if sql:
                bound = {k: v for k, v in params.items() if f"${k}" in sql}
                _, bare = timed_pair(
                    lambda: None, lambda s=sql, b=bound: con.execute(s, b).fetch_df(), args.runs
                )
                line += f"{bare:>10.0f}{warm / bare:>6.2f}×"
            print(line)
        print("page compute (warm, sum of the page's calls in analytics/pages.py):")
        for page, title in PAGES.items():
            total = sum(warm_ms[f.__name__] for f in PAGE_CALLS[page])
            names = ", ".join(PAGE_CALLS[page].names())
            print(f"  {title:<22}{total:>7.0f} ms  {'ok' if total < 300 else 'no'}  ({names})")
        raw.close()
        engine.dispose()


if __name__ == "__main__":
    main()
