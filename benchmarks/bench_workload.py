"""Account-manager scorecard at demo scale: analytics.workload vs the bare SQL on DuckDB.

Prints, in one run: the time of the 客户经理 page's computation through the
analytics layer (scope, parameter binding, two queries: the scoped scorecard
and the company-wide team medians, merging, typing) and of the same rendered
SQL executed directly on a raw DuckDB connection, and their ratio; the same
for a team manager's scope.  Not part of the test run:
    .venv/bin/python benchmarks/bench_workload.py [scale]   (default 1.0 = 20,000 opportunities)
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.context import Context
from analytics.db import get_engine
from analytics.demo.generate import generate
from analytics.metrics.workload import workload, workload_params
from analytics.queries import render, settings_params
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from analytics.warehouse import replace_all

AS_OF = date(2026, 11, 20)
REPEATS = 5
_PARAM = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")


def timed(function) -> float:
    """Median wall time of REPEATS warm calls, in ms."""
    function()
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def raw_queries(ctx: Context) -> list[tuple[str, dict]]:
    """The page's two queries (scoped scorecard, company medians) rendered for a raw connection."""
    params = {**settings_params(ctx.settings), "as_of": AS_OF, **workload_params(ctx)}
    out = []
    for name, scope in (("workload_managers", ctx.scope), ("workload_team_medians", Scope.company())):
        sql, scope_params, _ = render(name, scope, Filters())
        bound = {**params, **scope_params}
        used = set(_PARAM.findall(sql))
        out.append((_PARAM.sub(r"$\1", sql), {k: bound[k] for k in used}))
    return out


def main() -> None:
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        started = time.perf_counter()
        frames = generate(settings.demo_seed, AS_OF, scale=scale)
        engine = get_engine(f"duckdb:///{path}")
        replace_all(engine, frames, loaded_by="bench", label="demo")
        print(
            f"demo data (scale {scale}) generated and loaded in {time.perf_counter() - started:.1f} s: "
            f"{frames['opportunity_snapshot']['opportunity_id'].nunique():,} opportunities, "
            f"{len(frames['activities']):,} activities"
        )
        managers = frames["org"][frames["org"]["role"] == "team_manager"]
        branch, team = managers["branch"].iloc[0], managers["team"].iloc[0]
        contexts = {
            "company": Context(engine, Scope.company(), settings, AS_OF),
            "one team": Context(engine, Scope.of_team(branch, team), settings, AS_OF),
        }
        layered = {label: timed(lambda c=ctx: workload(c)) for label, ctx in contexts.items()}
        queries = {label: raw_queries(ctx) for label, ctx in contexts.items()}
        rows = len(workload(contexts["company"]))
        engine.dispose()
        get_engine.cache_clear()
        raw = duckdb.connect(str(path))
        for label, batch in queries.items():
            bare = timed(lambda b=batch: [raw.execute(sql, params).fetchall() for sql, params in b])
            print(f"[{label}] workload via analytics: {layered[label]:8.1f} ms (median of {REPEATS}, warm)")
            print(f"[{label}] same SQL on raw DuckDB:  {bare:8.1f} ms")
            print(f"[{label}] ratio analytics / bare:  {layered[label] / bare:8.2f}x")
        print(f"scorecard rows (company): {rows}")


if __name__ == "__main__":
    main()
