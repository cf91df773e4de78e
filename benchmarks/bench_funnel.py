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

``--db FILE`` keeps the synthetic warehouse in FILE (and reuses it when it exists).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.context import Context
from analytics.db import ensure_schema
from analytics.derived import MODELS, ensure
from analytics.metrics.classes import class_summary
from analytics.metrics.durations import longest_open_stints, stage_durations, stage_durations_trend
from analytics.metrics.explorer import ListSearch, opportunity_list, opportunity_list_counts
from analytics.metrics.funnel import funnel, funnel_breakdown
from analytics.metrics.problems import problem_groups, top_problem_opportunities
from analytics.metrics.process_quality import process_quality
from analytics.queries import render, settings_params
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


@dataclass(frozen=True)
class RecordingContext(Context):
    """A Context that remembers the statements it sent, to replay them on the raw connection."""

    sent: list = field(default_factory=list, compare=False)

    def query(self, name: str, **params: object):
        self.sent.append((name, params))
        return super().query(name, **params)


def same_sql(ctx: RecordingContext, con, name: str, params: dict) -> None:
    """Replay one recorded statement straight on DuckDB (``:name`` binds become ``$name``)."""
    sql, scope_params, _ignored = render(name, ctx.scope, ctx.filters)
    bound = {**settings_params(ctx.settings), **scope_params, "as_of": ctx.as_of, **params}
    used = set(re.findall(r"(?<!:):([a-z_][a-z0-9_]*)", sql))
    con.execute(re.sub(r"(?<!:):([a-z_][a-z0-9_]*)", r"$\1", sql), {k: bound[k] for k in used}).fetch_df()


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
        "rows": settings.problem_list_rows,
    }


METRICS = {
    "funnel": funnel,
    "funnel_breakdown": funnel_breakdown,
    "class_summary": class_summary,
    "stage_durations": stage_durations,
    "stage_durations_trend": stage_durations_trend,
    "longest_open_stints": longest_open_stints,
    "problem_opportunities": top_problem_opportunities,  # what the pages list
    "problem_groups": problem_groups,
    "process_quality": process_quality,
    "opportunity_list": lambda ctx: opportunity_list(ctx, ListSearch(limit=ctx.settings.explorer_list_rows)),
    "opportunity_list_counts": lambda ctx: pd.DataFrame([opportunity_list_counts(ctx)]),
}
PAGES = {  # what each page computes (the freshness line aside)
    "漏斗分析 funnel": ("funnel", "funnel_breakdown"),
    "阶段时长 durations": ("stage_durations", "stage_durations_trend", "longest_open_stints"),
    "问题商机 problems": ("problem_opportunities", "problem_groups"),
    "流程质量 process": ("process_quality",),
    "商机明细 explorer": ("class_summary", "opportunity_list", "opportunity_list_counts"),
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
        ctx = RecordingContext(engine, Scope.company(), settings, AS_OF, Filters())
        started = time.perf_counter()
        ensure(engine, list(MODELS), AS_OF, Settings())
        print(f"derived tables built in {time.perf_counter() - started:.1f} s (once per load and as_of)")
        params = bare_params(settings)
        print(
            f"{'metric':<24}{'rows':>8}{'warm ms':>9}{'same SQL':>9}{'ratio':>7}  ≤1.5×  <300ms"
            f"{'from raw':>10}{'ratio':>7}"
        )
        warm_ms: dict[str, float] = {}
        for name, function in METRICS.items():
            ctx.sent.clear()
            rows = len(function(ctx))
            sent = list(ctx.sent)
            warm, same = timed_pair(
                lambda f=function: f(ctx),
                lambda sent=sent: [same_sql(ctx, con, n, p) for n, p in sent],
            )
            warm_ms[name] = warm
            ratio = warm / same
            line = (
                f"{name:<24}{rows:>8}{warm:>9.0f}{same:>9.0f}{ratio:>6.2f}×  "
                f"{'ok' if ratio <= 1.5 else 'no':<5}  {'ok' if warm < 300 else 'no':<5}"
            )
            if name in BARE:
                sql = BARE[name]
                bound = {k: v for k, v in params.items() if f"${k}" in sql}
                _, bare = timed_pair(lambda: None, lambda s=sql, b=bound: con.execute(s, b).fetch_df())
                line += f"{bare:>10.0f}{warm / bare:>6.2f}×"
            print(line)
        print("page compute (warm, sum of its metrics):")
        for page, names in PAGES.items():
            total = sum(warm_ms[n] for n in names)
            print(f"  {page:<22}{total:>7.0f} ms  {'ok' if total < 300 else 'no'}")
        raw.close()
        engine.dispose()


if __name__ == "__main__":
    main()
