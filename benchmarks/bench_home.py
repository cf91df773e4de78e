"""Home page compute at demo scale: its analytics calls vs the same SQL on raw DuckDB.

Prints, in one run: the time of everything the home page computes
(``analytics.pages.PAGE_CALLS["home"]``, the list the page itself runs: the
layer's SQLAlchemy, scope, parameter binding and DataFrame assembly included)
and of the statements those calls send, replayed on a raw DuckDB connection,
and their ratio.  Not part of the test run (``make test`` runs it once at
``--scale 0.05`` as a smoke test):

    .venv/bin/python benchmarks/bench_home.py [--scale 1.0] [--repeats 7]
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
from analytics.pages import PAGE_CALLS
from analytics.scope import Scope
from analytics.settings import Settings
from analytics.warehouse import replace_all

AS_OF = date(2026, 11, 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (1.0 = 20,000 opportunities)")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    settings = Settings()
    calls = PAGE_CALLS["home"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        started = time.perf_counter()
        frames = generate(settings.demo_seed, AS_OF, scale=args.scale)
        engine = get_engine(f"duckdb:///{path}")
        replace_all(engine, frames, loaded_by="bench", label="demo")
        print(
            f"demo data (scale {args.scale:g}) generated and loaded in {time.perf_counter() - started:.1f} s "
            f"({len(frames['opportunity_snapshot']):,} snapshot rows)"
        )
        ctx = RecordingContext(engine, Scope.company(), settings, AS_OF)
        layered = timed(page_work(calls, ctx), args.repeats)
        sent = recorded(calls, ctx)
        engine.dispose()
        get_engine.cache_clear()
        raw = duckdb.connect(str(path))
        bare = timed(lambda: replay(raw, sent), args.repeats)
        raw.close()
        print(f"home page calls: {', '.join(calls.names())} ({len(sent)} statements)")
        print(f"home page compute via analytics: {layered:8.1f} ms (median of {args.repeats}, warm)")
        print(f"same SQL on a raw DuckDB conn:   {bare:8.1f} ms")
        print(f"ratio analytics / bare SQL:      {layered / bare:8.2f}x")


if __name__ == "__main__":
    main()
