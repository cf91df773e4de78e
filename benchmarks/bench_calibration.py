"""The 预测校准 page after a load: the load's post-commit steps, the first view and a repeat view.

The first view after a load built cache_opportunity_facts for each of the
eleven backtest dates on the reader's request (17.8 s at 200,000
opportunities, ~150 s on a loaded machine; issue 20 item 5).  This builds the
demo warehouse at ``--scale`` in a temporary DuckDB file, then stands for a
weekly load: a new load row (a new data version, which makes every derived
table stale, as any load does) and ``ingest.finish``, the steps a load's
commit sets off, each printed with its time.  A fresh process (as a reader's
dashboard) then times ``calibration`` at the newest snapshot twice, the first
view and a repeat view, and counts the derived-table builds each set off.

    .venv/bin/python benchmarks/bench_calibration.py [--scale 10] [--repeats 2]
    .venv/bin/python benchmarks/bench_calibration.py --scale 0.05 --repeats 1   # the smoke test

Measured at scale 10 (200,000 opportunities, 12 snapshots, 2.26 M snapshot
rows) on the shared, heavily loaded 2-core machine (timings vary by 2x run to
run), both with the cohort p(o) of 2ef010b, the same numbers (110,520
predictions, Brier 0.173007):

* before (each backtest date's full cache_opportunity_facts built on the
  reader's request): load steps 7.0 s; first view 38.6 s (11 builds); repeat
  views 6.4 and 8.6 s.  (With the earlier p(o): first view 69.0 s, repeats 4.1
  and 4.7 s.)
* after (cache_backtest_states for every backtest date in one pass at load):
  load steps 34.6 s (derived 9.9 s, backtest 24.8 s); first view 17.1 s (no
  build); repeat views 14.9 and 12.5 s.  The per-date queries alone, old and new
  alternately in one process: 13.8 / 15.2 s new, 12.8 / 10.5 s old — reading the
  narrow table is no faster than the full facts; p(o)'s cohort join dominates a
  view once nothing is built.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from analytics import ingest, schema  # noqa: E402
from analytics.db import get_engine  # noqa: E402
from analytics.demo.generate import generate  # noqa: E402
from analytics.settings import Settings  # noqa: E402
from analytics.warehouse import next_load_id, replace_all  # noqa: E402

AS_OF = date(2026, 11, 20)


def build(url: str, scale: float, settings: Settings) -> None:
    """The demo warehouse with its frozen forecasts, then a load's new data version and steps."""
    engine = get_engine(url)
    started = time.perf_counter()
    replace_all(engine, generate(settings.demo_seed, AS_OF, scale=scale), loaded_by="bench", label="demo")
    ingest.after_rebuild(engine, settings)
    print(f"demo warehouse (scale {scale:g}) built in {time.perf_counter() - started:.1f} s", flush=True)
    with engine.begin() as conn:  # a later load: the data version changes, every cache is stale
        load_id = next_load_id(conn)
        conn.execute(
            insert(schema.load_history).values(
                load_id=load_id, batch_id=f"bench-{load_id}", loaded_by="bench", loaded_at=datetime.now(),
                file_name="bench", kind="opportunities", rows_in=0, rows_loaded=0, rows_quarantined=0,
                outcome="loaded",
            )
        )  # fmt: skip
    steps = ingest.finish(engine, settings, refresh=True)
    print(f"a load's steps after its commit: {sum(s.seconds for s in steps):.1f} s")
    for step in steps:
        failed = f"  FAILED: {step.error}" if step.error else ""
        print(f"    {step.code:<10} {step.detail:<10} {step.seconds:7.2f} s{failed}")
    engine.dispose()
    get_engine.cache_clear()


def views(url: str, repeats: int) -> dict:
    """In this (fresh) process: seconds and derived builds of the first view and each repeat."""
    from analytics import derived
    from analytics.context import Context
    from analytics.forecast.calibration import calibration
    from analytics.scope import Scope
    from analytics.warehouse import newest_snapshot_date

    builds: list[str] = []
    build_one = derived._build
    derived._build = lambda engine, model, *a, **k: (
        builds.append(model.table),
        build_one(engine, model, *a, **k),
    )
    engine = get_engine(url)
    ctx = Context(engine, Scope.company(), Settings(), newest_snapshot_date(engine))
    out = []
    for _ in range(1 + repeats):
        builds.clear()
        started = time.perf_counter()
        summary = calibration(ctx)["summary"]
        out.append({"seconds": time.perf_counter() - started, "builds": list(builds)})
    return {"views": out, "predictions": int(summary["predictions"]), "brier": float(summary["brier_score"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0, help="demo scale (1.0 = 20,000 opportunities)")
    parser.add_argument("--repeats", type=int, default=2, help="repeat views after the first")
    parser.add_argument("--views-of", help=argparse.SUPPRESS)  # the child: views of this warehouse
    args = parser.parse_args()
    if args.views_of:
        print(json.dumps(views(args.views_of, args.repeats)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        url = f"duckdb:///{Path(folder) / 'bench.duckdb'}"
        build(url, args.scale, Settings())
        child = subprocess.run(
            [sys.executable, __file__, "--views-of", url, "--repeats", str(args.repeats)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if child.returncode:
            print(child.stdout, child.stderr[-3000:])
            return 1
        result = json.loads(child.stdout.strip().splitlines()[-1])
    for index, view in enumerate(result["views"]):
        name = "first view " if index == 0 else f"repeat {index:<5}"
        built = ", ".join(view["builds"]) or "none"
        print(f"{name} {view['seconds']:7.2f} s   derived builds: {len(view['builds'])} ({built})")
    print(f"predictions {result['predictions']:,}, Brier {result['brier']:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
