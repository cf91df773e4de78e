"""The meeting pack at demo scale: a company-scope pack built and rendered in each format.

Generates the demo warehouse (``--scale 1.0`` = 20,000 opportunities, 12 weekly
snapshots) into a temporary DuckDB file (or reuses ``--db``), then times, for the
director (company scope): the pack's content (every metric call, alerts included),
the Excel rendering and the PDF rendering, each ``--repeats`` times (median), and
prints the process's peak memory.  The issue's budget: < 10 s per format at demo
scale.  Not part of the test run (``make test`` runs it once at ``--scale 0.05``):

    .venv/bin/python benchmarks/bench_pack.py [--scale 1.0] [--repeats 3] [--db duckdb:///FILE]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.auth import ensure_demo_users
from analytics.db import ensure_schema, get_engine
from analytics.demo.generate import generate
from analytics.pack.build import make_pack, render, user_context
from analytics.scope import Filters
from analytics.settings import Settings
from analytics.warehouse import is_empty, replace_all
from ui.catalogue.pack import pack_texts

AS_OF = date(2026, 11, 20)


CPU = {}
"""Median CPU seconds of each timed step (wall time suffers on a shared, busy machine)."""


def median_seconds(work, repeats: int, name: str = "") -> tuple[float, object]:
    times, cpu, result = [], [], None
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = work()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU[name] = statistics.median(cpu)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (1.0 = 20,000 opportunities)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--db", default=None, help="an existing demo warehouse to reuse (else a temporary one)"
    )
    args = parser.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"duckdb:///{Path(folder) / 'bench.duckdb'}"
        engine = get_engine(url)
        ensure_schema(engine)
        if is_empty(engine):
            started = time.perf_counter()
            replace_all(
                engine, generate(settings.demo_seed, AS_OF, scale=args.scale), loaded_by="bench", label="demo"
            )
            print(f"demo data (scale {args.scale:g}) loaded in {time.perf_counter() - started:.1f} s")
        ensure_demo_users(engine, "bench-pass-2026")
        texts = pack_texts("zh", settings)
        ctx = user_context(engine, "director", settings, None, Filters())
        started = time.perf_counter()
        make_pack(ctx, texts, "director")  # first build: the derived tables for as_of are built once per load
        print(f"first build (derived tables of a fresh load included): {time.perf_counter() - started:.2f} s")
        content, pack = median_seconds(lambda: make_pack(ctx, texts, "director"), args.repeats, "content")
        xlsx, book = median_seconds(lambda: render(pack, texts, "xlsx"), args.repeats, "xlsx")
        pdf, document = median_seconds(lambda: render(pack, texts, "pdf"), args.repeats, "pdf")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"company-scope pack as of {ctx.as_of}: {pack.rows:,} table rows in {len(pack.sections)} sections"
        )
        print(f"  content        {content:6.2f} s (every metric call, alerts included)")
        print(f"  xlsx rendering {xlsx:6.2f} s ({len(book):,} bytes) → xlsx total {content + xlsx:.2f} s")
        print(f"  pdf rendering  {pdf:6.2f} s ({len(document):,} bytes) → pdf total {content + pdf:.2f} s")
        print(f"  peak memory    {peak_mb:6.0f} MB")
        cpu = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in CPU.items())
        print(f"  CPU (this process; DuckDB's threads included): {cpu}")
        engine.dispose()


if __name__ == "__main__":
    main()
