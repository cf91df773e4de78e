"""Monte-Carlo of this year's revenue from the open pipeline (metrics.md, uncertainty).

In each run a deal wins as an independent draw with p(o) and, when it wins,
closes after a slip drawn from the historical slip distribution; it then earns
annual_value / 12 for every month of the year after its close month.
Pure numpy, no database, seeded: the same inputs and seed give the same band
(each block of runs has its own random stream, so threads cannot reorder it).

Why not one uniform per deal and run for every deal?  10,000 runs x 100,000
deals are 10^9 draws, seconds of random numbers alone on a two-core machine.
So the deals that carry the uncertainty are drawn one by one: every uncertain
deal while runs x deals fits ``exact_cells`` (600 deals at 10,000 runs),
otherwise each line's largest and then the largest by variance until the
budget is spent.  The many small deals left enter through their sum per line,
drawn from a normal with that sum's exact mean and month-by-month covariance
(central limit theorem over many small independent terms).  On the demo
pipeline the deals drawn one by one carry over 90% of the variance;
``exact_variance_share`` reports it, and benchmarks/bench_forecast.py compares
the band with drawing every deal in every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.forecast.draws import by_line, draw
from analytics.forecast.probabilities import SlipDistribution

AFTER_YEAR = 13
"""Close month index meaning 'January next year or later': no revenue this year."""

EXACT_CELLS = 6_000_000
"""Runs x deals drawn one by one; beyond it the smallest deals enter through their (normal) sum."""

EXACT_PER_LINE = 8
"""Each line's largest deals are always drawn one by one, so a small line gets a true band."""


@dataclass(frozen=True)
class Deals:
    """Open deals as arrays: p(o), annual value, effective close month (1..12, 13+ later), line."""

    p_win: np.ndarray
    value: np.ndarray
    close_month: np.ndarray
    line: np.ndarray
    n_lines: int


@dataclass(frozen=True)
class Simulation:
    """Simulated pipeline revenue of this year, from January through each month in ``months``."""

    paths: np.ndarray  # lines x runs x months
    expected: np.ndarray  # lines x months: the exact mean of paths (slips included)
    months: np.ndarray
    exact_deals: int
    normal_deals: int
    exact_variance_share: float


def close_probabilities(deals: Deals, slips: SlipDistribution, first_close: int) -> np.ndarray:
    """deals x close months (first_close..12, then after the year): P(closes then)."""
    grid = np.zeros((len(deals.p_win), AFTER_YEAR - first_close + 1))
    rows = np.arange(len(deals.p_win))
    for slip, weight in zip(slips.months, slips.weights, strict=True):
        grid[rows, np.clip(deals.close_month + slip, first_close, AFTER_YEAR) - first_close] += weight
    return grid


def revenue_factors(first_close: int, months: np.ndarray) -> np.ndarray:
    """close months x report months: months of revenue earned by then / 12 (starts after the close month)."""
    closes = np.arange(first_close, AFTER_YEAR + 1)
    earned = np.clip(months[None, :] - closes[:, None], 0, None).astype(float)
    earned[-1, :] = 0.0  # closing after the year earns nothing this year
    return earned / 12.0


def simulate(
    deals: Deals,
    slips: SlipDistribution,
    *,
    first_close: int,
    months: np.ndarray,
    runs: int,
    seed: int,
    exact_cells: int = EXACT_CELLS,
) -> Simulation:
    """Simulate ``runs`` years; paths[g, r, i] = line g's pipeline revenue Jan..months[i] in run r."""
    months = np.asarray(months, dtype=np.int64)
    factors = revenue_factors(first_close, months)
    scaled = deals.p_win[:, None] * deals.value[:, None] * close_probabilities(deals, slips, first_close)
    squared = scaled * deals.value[:, None]  # p x value^2 x P(close month): second moments
    mean = scaled @ factors
    variance = np.zeros(len(scaled))
    if len(months):
        variance = np.clip(squared @ factors[:, -1] ** 2 - mean[:, -1] ** 2, 0, None)
    exact = _choose_exact(variance, deals.line, exact_cells // max(runs, 1))
    paths = np.zeros((deals.n_lines, runs, len(months)))
    if len(months):
        draw(paths, np.random.SeedSequence(seed), deals, exact, slips, first_close, factors, squared, mean)
    total = variance.sum()
    return Simulation(
        paths=paths,
        expected=by_line(mean, deals.line, deals.n_lines),
        months=months,
        exact_deals=int(exact.sum()),
        normal_deals=int((~exact & (variance > 0)).sum()),
        exact_variance_share=float(variance[exact].sum() / total) if total > 0 else 1.0,
    )


def _choose_exact(variance: np.ndarray, line: np.ndarray, budget: int) -> np.ndarray:
    """Deals drawn one by one: all uncertain ones if they fit, else each line's largest, then the largest."""
    uncertain = variance > 0
    if uncertain.sum() <= budget:
        return uncertain
    largest = np.argsort(-variance, kind="stable")
    grouped = largest[np.argsort(line[largest], kind="stable")]  # by line, largest first within
    starts = np.flatnonzero(np.r_[True, np.diff(line[grouped]) != 0])
    rank = np.arange(len(grouped)) - np.repeat(starts, np.diff(np.r_[starts, len(grouped)]))
    exact = np.zeros(len(variance), dtype=bool)
    exact[grouped[rank < EXACT_PER_LINE]] = True
    exact &= uncertain
    remaining = largest[~exact[largest] & uncertain[largest]]
    exact[remaining[: max(budget - int(exact.sum()), 0)]] = True
    return exact


def band(values: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P10, P50, P90 along ``axis`` (the runs)."""
    p10, p50, p90 = np.quantile(values, [0.1, 0.5, 0.9], axis=axis)
    return p10, p50, p90
