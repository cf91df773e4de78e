"""The year-end forecast simulation at scale: 10,000 runs over 100,000 open deals.

Target (issue 7): under 1 s.  The deals are synthetic but shaped like the demo
pipeline: annual values log-normal, win probabilities at stage-like levels,
expected close dates spread from the as-of month (June; revenue through May)
into next year, 8 branches x 9 products, a slip distribution like the demo's.

Two baselines are measured in the same run:

* drawing every deal in every run (``exact_cells`` unlimited): what the
  simulation would cost without the normal sum of the small deals; its
  P10/P50/P90 are printed beside ours, so the agreement is visible;
* the analytic mean (forecast_expected's pipeline part), which the simulation
  must also reproduce.

``--horizon next_12_months`` times the 12-month window (June 2026 to May 2027,
analytics/forecast/horizons.py) instead of the year-end; ``--no-baseline``
skips drawing every deal (minutes at full size).  Not part of the test run:

    .venv/bin/python benchmarks/bench_forecast.py [--deals 100000] [--runs 10000] [--repeat 5] \
        [--horizon year_end|next_12_months] [--no-baseline]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.forecast.probabilities import SlipDistribution
from analytics.forecast.simulate import Deals, band, simulate

FIRST_CLOSE = 6  # as_of in June
MONTHS = np.arange(6, 13)  # revenue loaded through May: June..December reported
WINDOWS = {"year_end": (MONTHS, 1), "next_12_months": (np.arange(6, 18), 6)}
"""Reported months and the first month earned (simulate's earn_from) per horizon."""
SLIPS = SlipDistribution(
    np.array([-3, -2, -1, 0, 1, 2, 3]), np.array([0.02, 0.06, 0.2, 0.4, 0.2, 0.08, 0.04]), 900
)


def synthetic_deals(n: int, seed: int = 7) -> Deals:
    rng = np.random.default_rng(seed)
    stage = rng.choice(5, n, p=[0.05, 0.3, 0.25, 0.32, 0.08])
    p = np.array([0.35, 0.41, 0.5, 0.64, 0.95])[stage] * rng.uniform(0.9, 1.1, n)
    return Deals(
        p_win=np.clip(p, 0, 1),
        value=np.round(rng.lognormal(10.2, 1.1, n), -2),
        close_month=rng.integers(FIRST_CLOSE, 17, n),
        line=rng.integers(0, 72, n),
        n_lines=72,
    )


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def analytic_mean(deals: Deals, months: np.ndarray = MONTHS, earn_from: int = 1) -> float:
    start = np.maximum(deals.close_month, earn_from - 1)
    return float((deals.p_win * deals.value * np.clip(months[-1] - start, 0, None) / 12).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--horizon", choices=sorted(WINDOWS), default="year_end")
    parser.add_argument("--no-baseline", action="store_true", help="skip drawing every deal in every run")
    args = parser.parse_args()
    deals = synthetic_deals(args.deals)
    months, earn_from = WINDOWS[args.horizon]
    options = {
        "first_close": FIRST_CLOSE,
        "months": months,
        "runs": args.runs,
        "seed": 1,
        "earn_from": earn_from,
    }

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")  # other work on the machine
    simulate(deals, SLIPS, **options)  # warm-up: imports, thread pool, page faults
    cpu = time.process_time()
    ours, sim = timed(lambda: simulate(deals, SLIPS, **options), args.repeat)
    cpu = (time.process_time() - cpu) / args.repeat
    every, full = (
        (float("nan"), sim)
        if args.no_baseline
        else timed(lambda: simulate(deals, SLIPS, **options, exact_cells=10**15), 1)
    )
    mean_time, _ = timed(lambda: analytic_mean(deals, months, earn_from), args.repeat)
    no_slip = timed(lambda: simulate(deals, SlipDistribution.none(), **options), 1)[1]

    print(
        f"{args.horizon}: {args.runs:,} runs x {args.deals:,} open deals, {os.cpu_count()} cores, "
        f"load before {load:.1f}"
    )
    print(f"simulation (ours)            {ours * 1000:8.0f} ms   median of {args.repeat}   target < 1000 ms")
    print(f"  CPU time per simulation    {cpu * 1000:8.0f} ms   (all threads)")
    print(f"every deal drawn every run   {every * 1000:8.0f} ms   ratio ours / it = {ours / every:.3f}")
    print(
        f"analytic mean only           {mean_time * 1000:8.1f} ms   ratio ours / it = {ours / mean_time:,.0f}"
    )
    print(
        f"drawn one by one: {sim.exact_deals:,} deals ({sim.exact_variance_share:.1%} of the variance), "
        f"normal sum of {sim.normal_deals:,}"
    )
    a, b = band(sim.paths.sum(0)[:, -1]), band(full.paths.sum(0)[:, -1])
    for name, x, y in zip(("P10", "P50", "P90"), a, b, strict=True):
        share = (x - y) / (b[2] - b[0])
        print(f"{name}: ours {x / 1e4:12,.1f} 万  every deal {y / 1e4:12,.1f} 万  ({share:+.1%} of P10-P90)")
    plain, exact_mean = no_slip.paths.sum(0)[:, -1].mean(), analytic_mean(deals, months, earn_from)
    print(f"mean without slips: simulated {plain / 1e4:,.1f} 万 vs analytic {exact_mean / 1e4:,.1f} 万")


if __name__ == "__main__":
    main()
