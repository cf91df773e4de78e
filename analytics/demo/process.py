"""How each opportunity moves through the stages: a plan per opportunity, then its history.

A plan fixes, at creation, the stage an opportunity starts in, the outcome it is
heading for and the stage where that happens, the stages it skips, an optional
backward move and the length of every stint.  The stage history is the plan's
events up to as_of; anything planned later simply has not happened yet, so recent
opportunities are mostly open, as in a real CRM.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.demo import vocab
from analytics.demo.frames import NO_DAY
from analytics.demo.opportunities import Opps
from analytics.demo.org import Org

STATUSES = ("open", "won", "lost", "terminated")
OPEN, WON, LOST, TERMINATED = range(4)
MEDIANS = np.array(vocab.STAGE_MEDIAN_DAYS, dtype=float)


@dataclass
class Plan:
    """Per opportunity: outcome, path and stint lengths (days), arrays of length n."""

    s0: np.ndarray
    target: np.ndarray  # last stage before the outcome (4 when won)
    outcome: np.ndarray  # WON, LOST or TERMINATED
    zombie: np.ndarray  # never closes: stays open in its target stage
    visited: np.ndarray  # (n, 5) stages passed through
    dur: np.ndarray  # (n, 5) stint lengths, a backward excursion included
    back: np.ndarray  # stage left backwards (to one lower), -1 for none
    back_out: np.ndarray  # days into that stint when it moved back
    back_len: np.ndarray  # days spent one stage lower
    implement: np.ndarray  # days from won to stage 5, -1 for never
    planned: np.ndarray  # the owner's first guess of the cycle, for expected_close_date

    def enter(self) -> np.ndarray:
        """(n, 5) days after creation when each visited stage was entered."""
        eff = self.dur * self.visited
        return np.cumsum(eff, axis=1) - eff

    def closing_offset(self) -> np.ndarray:
        """Days after creation when the outcome happens (huge for zombies)."""
        rows = np.arange(len(self.s0))
        end = self.enter()[rows, self.target] + self.dur[rows, self.target]
        return np.where(self.zombie, 10**6, end)


def _days(rng, median, size, sd=0.6) -> np.ndarray:
    """Whole days, at least one, log-normal around a median."""
    return np.maximum(1, np.ceil(rng.lognormal(np.log(median), sd, size))).astype(np.int64)


def _outcomes(rng, opps: Opps, org: Org, s0) -> tuple[np.ndarray, np.ndarray]:
    """Outcome and the stage it happens at; competition and weak skill lose more."""
    n = len(s0)
    competitive = np.array([c is not None for c in opps.competitor])
    p_won = np.clip(
        0.44 + 0.07 * org.skill[opps.owner] - 0.12 * competitive + 0.1 * opps.key_flag, 0.08, 0.85
    )
    u = rng.random(n)
    outcome = np.where(u < p_won, WON, np.where(u < p_won + 0.11, TERMINATED, LOST))
    lost_at = rng.choice([1, 2, 3], size=n, p=[0.25, 0.30, 0.45])
    term_at = rng.choice(4, size=n, p=[0.2, 0.4, 0.25, 0.15])
    target = np.select([outcome == WON, outcome == LOST], [4, lost_at], term_at)
    return outcome, np.maximum(target, s0)


def draw_plan(rng: np.random.Generator, opps: Opps, org: Org) -> Plan:
    """A plan for every opportunity; see the module docstring."""
    n = len(opps.created)
    rows = np.arange(n)
    s0 = rng.choice(4, size=n, p=[0.2, 0.72, 0.05, 0.03])
    s0[opps.dispatched & (s0 == 0)] = 1
    outcome, target = _outcomes(rng, opps, org, s0)
    hide = org.hider[opps.owner] & (rng.random(n) < 0.3)  # registered at stage 3 just before winning
    s0[hide], outcome[hide], target[hide] = 3, WON, 4
    zombie = (rng.random(n) < 0.02) & ~hide
    target[zombie] = np.maximum(s0[zombie], np.minimum(target[zombie], 3))
    visited = (np.arange(5) >= s0[:, None]) & (np.arange(5) <= target[:, None])
    skip2 = rng.random(n) < np.where(opps.simple, 0.35, 0.04)
    skip3 = rng.random(n) < np.where(opps.simple, np.where(skip2, 0.6, 0.1), 0.02)
    visited[:, 2] &= ~(skip2 & (s0 < 2) & (target > 2))
    visited[:, 3] &= ~(skip3 & (s0 < 3) & (target > 3))
    dur = _days(rng, MEDIANS, (n, 5))
    dur[hide, 3:5] = rng.integers(1, 4, size=(hide.sum(), 2))
    stall = rng.random(n) < 0.09
    dur[rows[stall], target[stall]] *= rng.integers(4, 9, size=stall.sum())
    back = rng.integers(s0 + 1, np.maximum(target + 1, s0 + 2))
    ok = (rng.random(n) < 0.04) & (target > s0) & ~hide
    ok &= visited[rows, np.minimum(back, 4)]
    back = np.where(ok, back, -1)
    back_out, back_len = _days(rng, 6, n, 0.5), _days(rng, 8, n, 0.5)
    dur[rows[ok], back[ok]] += back_out[ok] + back_len[ok]
    implement = np.where(
        (outcome == WON) & (rng.random(n) < 0.75), _days(rng, vocab.IMPLEMENT_MEDIAN_DAYS, n, 0.5), -1
    )
    planned = (MEDIANS * (np.arange(5) >= s0[:, None])).sum(axis=1) * rng.uniform(0.6, 1.5, n)
    return Plan(
        s0, target, outcome, zombie, visited, dur, back, back_out, back_len, implement, planned.astype(int)
    )


@dataclass
class History:
    """Stage changes up to as_of, sorted by opportunity then day."""

    opp: np.ndarray
    day: np.ndarray
    from_stage: np.ndarray  # -1 for none (creation)
    to_stage: np.ndarray  # -1 for a terminal status
    status: np.ndarray  # status after the change
    closed_day: np.ndarray  # per opportunity: day of the outcome, NO_DAY while open at as_of

    @property
    def stage_after(self) -> np.ndarray:
        """The stage an opportunity is in after each change (terminal rows keep the stage)."""
        return np.where(self.to_stage >= 0, self.to_stage, self.from_stage)


def build_history(plan: Plan, created: np.ndarray, as_of_day: int) -> History:
    """The plan's events that happened on or before as_of."""
    n = len(created)
    idx = np.arange(n)
    enter = plan.enter()
    parts, prev = [], np.full(n, -1)
    for k in range(5):
        m = plan.visited[:, k]
        parts.append((idx[m], enter[m, k], prev[m], np.full(m.sum(), k), np.full(m.sum(), OPEN)))
        prev = np.where(m, k, prev)
    b = np.flatnonzero(plan.back >= 0)
    out = enter[b, plan.back[b]] + plan.back_out[b]
    parts.append((b, out, plan.back[b], plan.back[b] - 1, np.full(len(b), OPEN)))
    parts.append((b, out + plan.back_len[b], plan.back[b] - 1, plan.back[b], np.full(len(b), OPEN)))
    close = plan.closing_offset()
    c = np.flatnonzero(~plan.zombie)
    parts.append((c, close[c], plan.target[c], np.full(len(c), -1), plan.outcome[c]))
    w = np.flatnonzero(~plan.zombie & (plan.implement > 0))
    parts.append(
        (w, close[w] + plan.implement[w], np.full(len(w), 4), np.full(len(w), 5), np.full(len(w), WON))
    )
    opp, off, frm, to, status = (np.concatenate(cols) for cols in zip(*parts, strict=True))
    day = created[opp] + off
    keep = day <= as_of_day
    order = np.lexsort((day[keep], opp[keep]))
    closed = np.where(~plan.zombie & (created + close <= as_of_day), created + close, NO_DAY)
    opp, day, frm, to, status = (a[keep][order] for a in (opp, day, frm, to, status))
    return History(opp, day, frm, to, status, closed_day=closed)
