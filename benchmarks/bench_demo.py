"""The demo generator past its old limit: time and peak memory, against bounds.

Redrawing customer names until unique never ended from scale ≈ 28 (issue 20);
this runs, each in a fresh process so its peak resident memory is its own:

* ``generate``: ``analytics.demo.generate.generate`` alone (the frames in memory);
* ``demo command``: ``python -m analytics demo`` into a new DuckDB file (generate,
  write, the forecast freezes and the derived tables).

Each line prints the wall time and peak RSS against ``--max-seconds`` and
``--max-mb``; the exit status is 1 when a step failed or went over a bound.

    .venv/bin/python benchmarks/bench_demo.py [--scale 30] [--max-seconds 900] [--max-mb 2048]
    .venv/bin/python benchmarks/bench_demo.py --scale 0.05      # seconds (the smoke test)

Measured at scale 30 (600,000 opportunities, 6.8 M snapshot rows; a loaded
2-core machine): generate 136-156 s, peak 4.6 GB before issue 20 and 2.8 GB
after; the demo command 331-785 s, peak 4.9 GB.  Where the rest goes: the
frames themselves hold about 2 GB (text columns are Python objects, 8 bytes a
cell plus the strings); the command's peak is the one-transaction write, the
frames plus about 2 GB that DuckDB holds for the uncommitted rows; after the
write, with the frames dropped, the derived tables and freezes peak at 2.4 GB.
Staying under 2 GB needs the generator to write as it goes (a later issue).

After issue 20 item 2 (the demo command writes each table, and each weekly
export of opportunity_snapshot, as it is drawn, in one transaction; DuckDB's
buffers capped at 800 MB while it runs): scale 10 peak 2.30 -> 1.54 GB (148 ->
120 s); scale 30 (seed 20261125, as of 2026-11-20) peak 4.9 -> 3.86 GB, 194 s
(131 s of it the post-commit builds and freezes, which stay near 1.1 GB).
Still over 2 GB: RSS sampled every 5 s climbs to 3.6 GB in the first minute,
while the generator draws its intermediates and the first tables are written,
then falls to about 1 GB.  generate_tables alone (nothing written) peaks at
1.62 GB at scale 30 (generate(), every frame held: 2.8 GB), so the write adds
about 2.2 GB that DuckDB's memory_limit (checked in effect) does not bound: the
single transaction's uncommitted rows and/or the pandas scan of object columns.
Next: write in several transactions behind a "being rebuilt" mark, or hand
DuckDB Arrow tables of dictionary-encoded text per part.
"""

from __future__ import annotations

import argparse
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
    "from analytics.demo.generate import generate\n"
    "frames = generate(int(sys.argv[1]), datetime.date.fromisoformat(sys.argv[2]), float(sys.argv[3]))\n"
    "print(', '.join(f'{name} {len(frame):,}' for name, frame in frames.items()))\n"
)


def measured(command: list[str]) -> tuple[int, float, float, str]:
    """Exit status, wall seconds and peak RSS in MB of one child process (its own rusage)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024, output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=30.0, help="demo scale (1.0 = 20,000 opportunities)")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--max-seconds", type=float, default=900.0, help="bound on each step's wall time")
    parser.add_argument("--max-mb", type=float, default=2048.0, help="bound on each step's peak RSS")
    parser.add_argument("--generate-only", action="store_true", help="skip the demo command")
    args = parser.parse_args()
    python = sys.executable
    seed, scale = str(args.seed), str(args.scale)
    with tempfile.TemporaryDirectory() as folder:
        url = f"duckdb:///{Path(folder) / 'bench.duckdb'}"
        steps = {"generate": [python, "-c", GENERATE, seed, AS_OF, scale]}
        if not args.generate_only:
            demo = [
                "-m",
                "analytics",
                "demo",
                "--db",
                url,
                "--seed",
                seed,
                "--as-of",
                AS_OF,
                "--scale",
                scale,
            ]
            steps["demo command"] = [python, *demo]
        ok = True
        for name, command in steps.items():
            status, seconds, peak, output = measured(command)
            within = status == 0 and seconds <= args.max_seconds and peak <= args.max_mb
            ok &= within
            verdict = "within bounds" if within else ("FAILED" if status else "OVER a bound")
            print(
                f"[scale {args.scale:g}] {name:<13} {seconds:8.1f} s (bound {args.max_seconds:g})  "
                f"peak RSS {peak:8.0f} MB (bound {args.max_mb:g})  {verdict}",
                flush=True,
            )
            if status:
                print(output[-3000:])
            else:
                print("    " + output.strip().splitlines()[-1])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
