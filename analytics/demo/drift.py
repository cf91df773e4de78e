"""What changes between snapshots besides the stage: expected close dates and values.

Owners push the expected close date later when it draws near and the deal is not
ready (a slip), some repeatedly; a few pull it in.  A few deals are re-valued
while open.  Both are kept as dated events so every snapshot can be rebuilt as
of its own date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.demo.process import Plan


@dataclass
class Drift:
    """Expected-close and value events, as parallel arrays."""

    ecd0: np.ndarray  # first expected close day per opportunity
    slip_opp: np.ndarray
    slip_day: np.ndarray
    slip_delta: np.ndarray
    value_opp: np.ndarray  # opportunities re-valued once
    value_day: np.ndarray  # the day of the new value
    value_before: np.ndarray  # the value until then

    def ecd_on(self, day: int, created: np.ndarray) -> np.ndarray:
        """Expected close day of every opportunity as seen on the given day."""
        m = self.slip_day <= day
        shift = np.bincount(self.slip_opp[m], weights=self.slip_delta[m], minlength=len(self.ecd0))
        return np.maximum(self.ecd0 + shift.astype(np.int64), created + 1)

    def value_on(self, day: int, value: np.ndarray) -> np.ndarray:
        """Annual value of every opportunity as seen on the given day."""
        out = value.copy()
        later = self.value_day > day
        out[self.value_opp[later]] = self.value_before[later]
        return out


def _month_end(days: np.ndarray) -> np.ndarray:
    """The last day of each day's month."""
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    return ((months + 1).astype("datetime64[D]") - 1).astype(np.int64)


def draw_drift(
    rng: np.random.Generator, plan: Plan, created: np.ndarray, value: np.ndarray, as_of_day: int
) -> Drift:
    """Slips near the expected close date, pull-ins, and re-valuations."""
    n = len(created)
    ecd0 = created + np.maximum(7, plan.planned)
    ecd0 = np.where(rng.random(n) < 0.5, _month_end(ecd0), ecd0)
    end = np.minimum(created + plan.closing_offset(), as_of_day)
    stalled = (plan.dur * plan.visited).max(axis=1) > 90
    slips = _slips(rng, ecd0, created, end, rng.random(n) < np.where(stalled, 0.5, 0.22))
    pull = np.flatnonzero((rng.random(n) < 0.05) & (end > created + 3))
    pull_day = rng.integers(created[pull] + 3, end[pull] + 1)
    slip_opp = np.concatenate([slips[0], pull])
    slip_day = np.concatenate([slips[1], pull_day])
    slip_delta = np.concatenate([slips[2], -rng.integers(7, 22, size=len(pull))])
    lo = np.maximum(created + 1, as_of_day - 77)
    revalue = np.flatnonzero((rng.random(n) < 0.04) & (lo <= end))
    value_day = rng.integers(lo[revalue], end[revalue] + 1)
    before = np.maximum(1000.0, np.round(value[revalue] / rng.uniform(0.7, 1.4, len(revalue)), -2))
    return Drift(ecd0, slip_opp, slip_day, slip_delta, revalue, value_day, before)


def _slips(rng, ecd0, created, end, slipper) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Up to four slips each, a few days before the current expected date, while open."""
    opp, day, delta = [], [], []
    ecd = ecd0.copy()
    count = 1 + np.minimum(rng.poisson(0.7, len(ecd)), 3)
    for j in range(4):
        when = np.maximum(created + 3, ecd - rng.integers(0, 15, len(ecd)))
        hit = slipper & (j < count) & (when <= end)
        step = rng.integers(14, 61, len(ecd))
        opp.append(np.flatnonzero(hit))
        day.append(when[hit])
        delta.append(step[hit])
        ecd = np.where(hit, ecd + step, ecd)
    return np.concatenate(opp), np.concatenate(day), np.concatenate(delta)
