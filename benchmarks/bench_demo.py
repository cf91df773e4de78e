"""The demo generator at a province's scale: wall time and peak memory of the whole command.

Issue 19/20: ``python -m analytics demo --scale 50`` must build 1,000,000
opportunities (12 weekly snapshots, ~5 stage changes each, ~6 M activities,
years of revenue) straight into the warehouse in < 5 minutes with a peak RSS
< 2 GB.  This runs, each in a fresh process so its peak resident memory
(``wait4``'s ``ru_maxrss``) is its own:

* ``generate``: ``analytics.demo.generate.generate_tables`` alone (every table
  drawn and dropped, nothing written);
* ``demo``: ``python -m analytics demo`` into a new DuckDB file: generate,
  write, then the steps after the commit (derived tables, backtest states,
  checkpoint, the twelve forecast freezes), each step's time as the command
  prints it.

``--compare DIR`` runs the same steps from another checkout too (e.g. a
``git worktree`` of the previous commit), alternated with this one, so a
before/after is measured in one run on a shared machine.  ``--keep FILE``
keeps the demo's warehouse (``make bench`` builds its 1 M warehouse this way);
``--json FILE`` writes the rows (name, seconds, peak_mb, target, met).

    .venv/bin/python benchmarks/bench_demo.py [--scale 50] [--max-seconds 300] [--max-mb 2048]
    .venv/bin/python benchmarks/bench_demo.py --scale 0.05      # seconds (the smoke test)

Before (73332d8 + the one-transaction table-by-table write): scale 30 demo
command 333 s, peak 3.74 GB; generate alone 92 s, 3.7 GB (load average 5-9).
The measured after is in README.md ("Benchmarks").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-20"
GENERATE = (
    "import datetime, sys\n"
    "from analytics.demo.generate import generate_tables\n"
    "rows = {}\n"
    "for name, frame in generate_tables(int(sys.argv[1]), datetime.date.fromisoformat(sys.argv[2]),"
    " float(sys.argv[3])):\n"
    "    rows[name] = rows.get(name, 0) + len(frame)\n"
    "    del frame\n"
    "print(', '.join(f'{name} {n:,}' for name, n in rows.items()))\n"
)


def measured(command: list[str], cwd: Path) -> tuple[int, float, float, str]:
    """Exit status, wall seconds and peak RSS in MB of one child process (its own rusage)."""
    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SJGK_")}
    child = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024, output


def commands(python: str, seed: str, scale: str, url: str) -> dict[str, list[str]]:
    """The steps, by name: the generator alone and the whole demo command."""
    demo = ["-m", "analytics", "demo", "--db", url, "--seed", seed, "--as-of", AS_OF, "--scale", scale]
    return {"generate": [python, "-c", GENERATE, seed, AS_OF, scale], "demo": [python, *demo]}


def run_step(name: str, command: list[str], cwd: Path, label: str, args) -> dict:
    """One step, printed with its bounds (and the command's own step lines); its result row."""
    status, seconds, peak, output = measured(command, cwd)
    met = status == 0 and seconds <= args.max_seconds and peak <= args.max_mb
    verdict = "within bounds" if met else ("FAILED" if status else "OVER a bound")
    print(
        f"[scale {args.scale:g}{label}] {name:<9} {seconds:8.1f} s (bound {args.max_seconds:g})  "
        f"peak RSS {peak:8.0f} MB (bound {args.max_mb:g})  {verdict}",
        flush=True,
    )
    lines = output.strip().splitlines()
    if status:
        print(output[-3000:])
    else:
        for line in lines if name == "demo" else lines[-1:]:
            print("    " + line)
    return {
        "name": f"demo --scale {args.scale:g}: {name}{label}",
        "seconds": round(seconds, 1),
        "peak_mb": round(peak),
        "target": f"< {args.max_seconds:g} s, < {args.max_mb:g} MB",
        "met": met,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=50.0, help="demo scale (1.0 = 20,000 opportunities)")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--max-seconds", type=float, default=300.0, help="bound on each step's wall time")
    parser.add_argument("--max-mb", type=float, default=2048.0, help="bound on each step's peak RSS")
    parser.add_argument("--steps", default="generate,demo", help="comma-separated: generate, demo")
    parser.add_argument("--compare", type=Path, default=None, help="another checkout to run alternately")
    parser.add_argument("--keep", type=Path, default=None, help="keep the demo warehouse in this file")
    parser.add_argument("--json", type=Path, default=None, help="write the result rows here")
    args = parser.parse_args()
    python = sys.executable
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        target = args.keep or Path(folder) / "bench.duckdb"
        trees = [(ROOT, "")] + ([(args.compare.resolve(), f" @{args.compare.name}")] if args.compare else [])
        for name in args.steps.split(","):
            for tree, label in trees:
                database = target if not label else Path(folder) / "compare.duckdb"
                for stale in (database, database.with_name(database.name + ".wal")):
                    stale.unlink(missing_ok=True)
                command = commands(python, str(args.seed), str(args.scale), f"duckdb:///{database}")[name]
                rows.append(run_step(name, command, tree, label, args))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if all(row["met"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
