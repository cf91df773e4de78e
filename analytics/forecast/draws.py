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
    from analytics.forecast.simulate import Deals

RUN_CHUNK = 1_000
"""Runs per block: keeps a block's draws (runs x exact deals, float32) in cache-sized memory."""

WORKERS = min(os.cpu_count() or 1, 4)


def draw(paths, seeds, deals, exact, slips, first_close, factors, squared, mean) -> None:
    """Fill paths: blocks of runs for the exact deals in parallel, plus the normal sum of the rest."""
    starts = range(0, paths.shape[1], RUN_CHUNK)
    streams = [np.random.default_rng(s) for s in seeds.spawn(len(starts) + 1)]
    draw_block = exact_drawer(paths, deals, exact, slips, first_close, factors)
    with ThreadPoolExecutor(WORKERS) as pool:
        rest = pool.submit(_normal_sum, streams[-1], paths.shape, deals, ~exact, squared, mean, factors)
        list(pool.map(draw_block, starts, streams[:-1]))
        centre, spread = rest.result()
        if spread is not None:
            paths += spread
        paths += centre[:, None, :]


def by_line(values: np.ndarray, line: np.ndarray, n_lines: int) -> np.ndarray:
    """Sum rows of a deals x months array per line."""
    sums = np.zeros((n_lines, values.shape[1]))
    for i in range(values.shape[1]):  # one bincount per month (at most 12)
        sums[:, i] = np.bincount(line, values[:, i], minlength=n_lines)
    return sums


def exact_drawer(paths, deals: Deals, exact, slips: SlipDistribution, first_close: int, factors):
    """A function drawing win and slip of every exact deal for one block of runs."""
    index = np.flatnonzero(exact)
    p = deals.p_win[index].astype(np.float32)
    width, n_lines, n_slips = factors.shape[0], deals.n_lines, len(slips.months)
    # The cell of (deal, slip): its line and its close month, clipped to this year's range.
    month = np.clip(deals.close_month[index, None] - first_close + slips.months[None, :], 0, width - 1)
    cell_of = (deals.line[index, None] * width + month).astype(np.int64).ravel()
    edges = np.cumsum(slips.weights)[:-1].astype(np.float32)
    value = deals.value[index]

    def draw_block(start: int, rng: np.random.Generator) -> None:
        count = min(RUN_CHUNK, paths.shape[1] - start)
        if len(index) == 0:
            return
        draws = rng.random((count, len(index)), dtype=np.float32)
        won = draws < p
        flat = np.flatnonzero(won)
        run = np.repeat(np.arange(count, dtype=np.int64), won.sum(axis=1))
        deal = flat - run * len(index)
        conditional = draws.ravel()[flat] / p[deal]  # given a win, again uniform: it picks the slip
        slip_at = np.zeros(len(flat), dtype=np.int64)
        for edge in edges:
            slip_at += conditional >= edge
        cell = run * (n_lines * width) + cell_of[deal * n_slips + slip_at]
        closed = np.bincount(cell, value[deal], minlength=count * n_lines * width)
        earned = closed.reshape(count, n_lines, width) @ factors
        paths[:, start : start + count] += earned.transpose(1, 0, 2)

    return draw_block


def _normal_sum(rng, shape, deals: Deals, rest, squared, mean, factors):
    """The remaining deals' sum per line: its exact mean, and normal noise with its covariance over months."""
    if not rest.any():
        return np.zeros((shape[0], shape[2])), None
    line, m = deals.line[rest], mean[rest]
    per_close = by_line(squared[rest], line, deals.n_lines)
    covariance = np.einsum("gj,js,jt->gst", per_close, factors, factors) - _grouped_outer(
        m, line, deals.n_lines
    )
    values, vectors = np.linalg.eigh((covariance + covariance.transpose(0, 2, 1)) / 2)
    values = np.clip(values, 0.0, None)
    rank = int((values > 1e-12 * max(values.max(), 1e-300)).sum(axis=1).max())  # eigh sorts ascending
    spread = None
    if rank:
        root = (vectors[:, :, -rank:] * np.sqrt(values[:, None, -rank:])).astype(np.float32)
        spread = np.matmul(
            rng.standard_normal((shape[0], shape[1], rank), dtype=np.float32), root.transpose(0, 2, 1)
        )
    return by_line(m, line, deals.n_lines), spread


def _grouped_outer(values: np.ndarray, line: np.ndarray, n_lines: int) -> np.ndarray:
    """Per line, the sum over its deals of the outer product of a deal's row with itself."""
    order = np.argsort(line, kind="stable")
    rows, bounds = values[order], np.searchsorted(line[order], np.arange(n_lines + 1))
    outer = np.zeros((n_lines, values.shape[1], values.shape[1]))
    for g in range(n_lines):  # one small matrix product per line
        block = rows[bounds[g] : bounds[g + 1]]
        outer[g] = block.T @ block
    return outer
