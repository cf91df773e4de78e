"""How the simulation draws: exact deals block by block in threads, the rest as a normal sum.

Split from simulate.py (which decides what to draw) so each stays small.  Each
block of runs has its own random stream (spawned from the seed), so the result
does not depend on which thread ran which block.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from analytics.forecast.probabilities import SlipDistribution
    from analytics.forecast.simulate import Deals, Sums

RUN_CHUNK = 1_000
"""Runs per block: keeps a block's draws (runs x exact deals, float32) in cache-sized memory."""

WORKERS = min(os.cpu_count() or 1, 4)


def draw(paths, seeds, exact: Deals, slips, first_close: int, factors, rest: Sums, grid) -> None:
    """Fill paths: blocks of runs for the ``exact`` deals in parallel, plus the normal sum of ``rest``.

    ``grid`` is rest's close probabilities (simulate.close_probabilities), one row per row of rest.
    """
    starts = range(0, paths.shape[1], RUN_CHUNK)
    streams = [np.random.default_rng(s) for s in seeds.spawn(len(starts) + 1)]
    draw_block = exact_drawer(paths, exact, slips, first_close, factors)
    with ThreadPoolExecutor(WORKERS) as pool:
        normal = pool.submit(normal_sum, streams[-1], paths.shape, rest, grid, factors)
        list(pool.map(draw_block, starts, streams[:-1]))
        centre, spread = normal.result()
        if spread is not None:
            paths += spread
        paths += centre[:, None, :]


def by_line(values: np.ndarray, line: np.ndarray, n_lines: int) -> np.ndarray:
    """Sum rows of a rows x months array per line."""
    sums = np.zeros((n_lines, values.shape[1]))
    for i in range(values.shape[1]):  # one bincount per month (at most 12)
        sums[:, i] = np.bincount(line, values[:, i], minlength=n_lines)
    return sums


def exact_drawer(paths, deals: Deals, slips: SlipDistribution, first_close: int, factors):
    """A function drawing win and slip of every one of ``deals`` for one block of runs."""
    p = deals.p_win.astype(np.float32)
    n_deals, width, n_lines, n_slips = len(p), factors.shape[0], deals.n_lines, len(slips.months)
    # The cell of (deal, slip): its line and its close month, clipped to this year's range.
    month = np.clip(deals.close_month[:, None] - first_close + slips.months[None, :], 0, width - 1)
    cell_of = (deals.line[:, None] * width + month).astype(np.int64).ravel()
    # Each deal's CDF over the slips, from its stage's timing (row 0: pooled).
    cdf = np.cumsum(slips.matrix(), axis=1)[:, :-1].astype(np.float32)
    row = slips.rows(deals.stage, n_deals)
    # A deal still open cannot close before first_close: its draw skips the slips that
    # would (their share of the CDF, ``floor``), as simulate.close_probabilities conditions.
    past = (deals.close_month[:, None] + slips.months[None, :] < first_close).sum(axis=1)
    bounds = np.hstack([np.zeros((len(cdf), 1)), cdf, np.ones((len(cdf), 1))]).astype(np.float32)
    floor = bounds[row, np.minimum(past, n_slips)]
    edges = cdf[0]
    # Per stage: one search over every row's edges, row r's shifted by 2r (each CDF lies in [0, 1]).
    shifted = (cdf.astype(np.float64) + 2.0 * np.arange(len(cdf))[:, None]).ravel()
    staged = len(slips.stages) > 0
    value = deals.value

    def draw_block(start: int, rng: np.random.Generator) -> None:
        count = min(RUN_CHUNK, paths.shape[1] - start)
        if n_deals == 0:
            return
        draws = rng.random((count, n_deals), dtype=np.float32)
        won = draws < p
        flat = np.flatnonzero(won)
        run = np.repeat(np.arange(count, dtype=np.int64), won.sum(axis=1))
        deal = flat - run * n_deals
        conditional = draws.ravel()[flat] / p[deal]  # given a win, again uniform: it picks the slip
        conditional = floor[deal] + conditional * (1 - floor[deal])
        if staged:
            at = row[deal]
            slip_at = np.searchsorted(shifted, conditional + 2.0 * at, side="right") - at * (n_slips - 1)
        else:
            slip_at = np.zeros(len(flat), dtype=np.int64)
            for edge in edges:
                slip_at += conditional >= edge
        cell = run * (n_lines * width) + cell_of[deal * n_slips + slip_at]
        closed = np.bincount(cell, value[deal], minlength=count * n_lines * width)
        earned = closed.reshape(count, n_lines, width) @ factors
        paths[:, start : start + count] += earned.transpose(1, 0, 2)

    return draw_block


def normal_sum(rng, shape, rest: Sums, grid: np.ndarray, factors: np.ndarray):
    """The rest's sum per line: its exact mean, and normal noise with its covariance over months.

    Per row (deals of one line and close month), the deals' second moments are
    Σ p·v² x P(close) and the sum of their mean rows' outer products is Σ p²·v²
    times that of P(close)·factors, so the sums give each line's covariance exactly.
    """
    n_lines = shape[0]
    if len(rest.pv) == 0:
        return np.zeros((n_lines, shape[2])), None
    shares = grid @ factors  # rows x months: expected share of the year earned through each month
    per_close = by_line(rest.pvv[:, None] * grid, rest.line, n_lines)
    outer = _grouped_outer(shares * np.sqrt(rest.ppvv)[:, None], rest.line, n_lines)
    covariance = np.einsum("gj,js,jt->gst", per_close, factors, factors) - outer
    values, vectors = np.linalg.eigh((covariance + covariance.transpose(0, 2, 1)) / 2)
    values = np.clip(values, 0.0, None)
    rank = int((values > 1e-12 * max(values.max(), 1e-300)).sum(axis=1).max())  # eigh sorts ascending
    spread = None
    if rank:
        root = (vectors[:, :, -rank:] * np.sqrt(values[:, None, -rank:])).astype(np.float32)
        spread = np.matmul(
            rng.standard_normal((shape[0], shape[1], rank), dtype=np.float32), root.transpose(0, 2, 1)
        )
    return by_line(rest.pv[:, None] * shares, rest.line, n_lines), spread


def _grouped_outer(values: np.ndarray, line: np.ndarray, n_lines: int) -> np.ndarray:
    """Per line, the sum over its rows of the outer product of a row with itself."""
    order = np.argsort(line, kind="stable")
    rows, bounds = values[order], np.searchsorted(line[order], np.arange(n_lines + 1))
    outer = np.zeros((n_lines, values.shape[1], values.shape[1]))
    for g in range(n_lines):  # one small matrix product per line
        block = rows[bounds[g] : bounds[g + 1]]
        outer[g] = block.T @ block
    return outer
