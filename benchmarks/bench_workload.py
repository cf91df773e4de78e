"""客户经理 page compute at demo scale: its analytics calls vs the same SQL on raw DuckDB.

Prints, in one run, for a director's scope (the company) and a team manager's
(one team): the time of everything the 客户经理 page computes
(``analytics.pages.PAGE_CALLS["workload"]``, the list the page itself runs:
the scoped scorecard, the company-wide team medians, merging, typing, the
freshness line) and of the statements those calls send, replayed on a raw
DuckDB connection, and their ratio.  Not part of the test run (``make test``
runs it once at ``--scale 0.05`` as a smoke test):

    .venv/bin/python benchmarks/bench_workload.py [--scale 1.0] [--repeats 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from replay import RecordingContext, page_work, recorded, replay, timed

from analytics.db import get_engine
from analytics.demo.generate import generate
from analytics.metrics.workload import workload
from analytics.pages import PAGE_CALLS
from analytics.scope import Scope
from analytics.settings import Settings
from analytics.warehouse import replace_all

AS_OF = date(2026, 11, 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (1.0 = 20,000 opportunities)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()
    calls = PAGE_CALLS["workload"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        started = time.perf_counter()
        frames = generate(settings.demo_seed, AS_OF, scale=args.scale)
        engine = get_engine(f"duckdb:///{path}")
        replace_all(engine, frames, loaded_by="bench", label="demo")
        print(
            f"demo data (scale {args.scale:g}) generated and loaded "
            f"in {time.perf_counter() - started:.1f} s: "
            f"{frames['opportunity_snapshot']['opportunity_id'].nunique():,} opportunities, "
            f"{len(frames['activities']):,} activities"
        )
        managers = frames["org"][frames["org"]["role"] == "team_manager"]
        branch, team = managers["branch"].iloc[0], managers["team"].iloc[0]
        contexts = {
            "company": RecordingContext(engine, Scope.company(), settings, AS_OF),
            "one team": RecordingContext(engine, Scope.of_team(branch, team), settings, AS_OF),
        }
        layered = {label: timed(page_work(calls, ctx), args.repeats) for label, ctx in contexts.items()}
        sent = {label: recorded(calls, ctx) for label, ctx in contexts.items()}
        rows = len(workload(contexts["company"]))
        engine.dispose()
        get_engine.cache_clear()
        raw = duckdb.connect(str(path))
        print(f"客户经理 page calls: {', '.join(calls.names())}")
        for label, statements in sent.items():
            bare = timed(lambda s=statements: replay(raw, s), args.repeats)
            print(f"[{label}] page via analytics: {layered[label]:8.1f} ms (median of {args.repeats}, warm)")
            print(f"[{label}] same SQL on raw DuckDB: {bare:8.1f} ms ({len(statements)} statements)")
            print(f"[{label}] ratio analytics / bare: {layered[label] / bare:8.2f}x")
        raw.close()
        print(f"scorecard rows (company): {rows}")


if __name__ == "__main__":
    main()
