"""Home page compute at demo scale: analytics.overview vs the bare SQL on DuckDB.

Prints, in one run: the time of the home page's metrics through the analytics
layer (SQLAlchemy, scope, parameter binding, DataFrame assembly) and of the
same rendered SQL executed directly on a raw DuckDB connection, and their
ratio.  Not part of the test run:  .venv/bin/python benchmarks/bench_home.py
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.context import Context, months_before, period_of
from analytics.db import get_engine
from analytics.demo.generate import generate
from analytics.metrics.attainment import time_progress
from analytics.metrics.overview import overview
from analytics.queries import render, settings_params
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from analytics.warehouse import replace_all

AS_OF = date(2026, 11, 20)
REPEATS = 7


def timed(function) -> float:
    """Median wall time of REPEATS warm calls, in ms."""
    function()
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def raw_queries(settings: Settings) -> list[tuple[str, dict]]:
    """The home page's queries rendered for the company scope, for a raw connection."""
    params = {
        **settings_params(settings),
        "as_of": AS_OF,
        "trailing_start": months_before(AS_OF, settings.trailing_months),
        "idle_since": AS_OF - timedelta(days=settings.idle_days),
        "stale_window_start": AS_OF - timedelta(days=settings.stale_window_days),
        "year": AS_OF.year,
        "as_of_period": period_of(AS_OF),
        "time_progress": time_progress(AS_OF),
    }
    out = []
    for name in ("pipeline_summary", "problem_opportunities", "budget_attainment", "data_freshness"):
        sql, _, _ = render(name, Scope.company(), Filters())
        used = set(re.findall(r"(?<!:):([a-z_][a-z0-9_]*)", sql))
        out.append((re.sub(r"(?<!:):([a-z_][a-z0-9_]*)", r"$\1", sql), {k: params[k] for k in used}))
    return out


def main() -> None:
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        started = time.perf_counter()
        frames = generate(settings.demo_seed, AS_OF, scale=1.0)
        engine = get_engine(f"duckdb:///{path}")
        replace_all(engine, frames, loaded_by="bench", label="demo")
        print(
            f"demo data generated and loaded in {time.perf_counter() - started:.1f} s "
            f"({len(frames['opportunity_snapshot']):,} snapshot rows)"
        )
        ctx = Context(engine, Scope.company(), settings, AS_OF)
        layered = timed(lambda: overview(ctx))
        queries = raw_queries(settings)
        engine.dispose()
        get_engine.cache_clear()
        raw = duckdb.connect(str(path))
        bare = timed(lambda: [raw.execute(sql, params).fetchall() for sql, params in queries])
        print(f"home page metrics via analytics: {layered:8.1f} ms (median of {REPEATS}, warm)")
        print(f"same SQL on a raw DuckDB conn:   {bare:8.1f} ms")
        print(f"ratio analytics / bare SQL:      {layered / bare:8.2f}x")


if __name__ == "__main__":
    main()
