"""Sales activities and support requests: the work done on opportunities.

Activities fall inside an opportunity's life (creation to close, or as_of), at a
rate that grows with the owner's diligence and the deal's weight (key and major
deals, open deals).  Some open deals go quiet: no activity in their last 30+
days, which the problem list calls idle.  About 15% of activities are
customer-level visits with no opportunity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.demo.customers import Customers
from analytics.demo.frames import NO_DAY, conform, id_texts, to_dates, yearly_ids, yearly_numbers
from analytics.demo.opportunities import Opps
from analytics.demo.org import Org
from analytics.demo.process import History

TYPES = np.array(["visit", "call", "proposal", "meeting", "senior_visit", "solution_review"], dtype=object)
TYPE_P = {False: [0.42, 0.33, 0.10, 0.11, 0.02, 0.02], True: [0.32, 0.25, 0.12, 0.14, 0.09, 0.08]}
SUPPORT_TYPES = np.array(["technical", "resource", "business"], dtype=object)
SUPPORT_MEDIAN_DAYS = np.array([6.0, 12.0, 4.0])


def _life(hist: History, created: np.ndarray, as_of_day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First and last day each opportunity was worked on, and whether it is open at as_of."""
    open_now = hist.closed_day == NO_DAY
    return created, np.where(open_now, as_of_day, hist.closed_day), open_now


def _weekday_shift(rng, day, lo, hi) -> np.ndarray:
    """Move most weekend days to the nearest weekday, staying within [lo, hi]."""
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    move = rng.random(len(day)) < 0.85
    day = day - ((weekday == 5) & move) + ((weekday == 6) & move)
    return np.clip(day, lo, hi)


def _importance(opps: Opps) -> np.ndarray:
    """How much more work a deal draws: key deals and big values get more."""
    size = 1 + 0.5 * np.clip(np.log10(opps.value / 10_000), 0, 3)
    return size * np.where(opps.key_flag, 2.5, 1.0)


ACTIVITY_SLICE_ROWS = 1_000_000
"""Activities are made into frames this many rows at a time (the draws are made for all at
once, so the rows are the same whatever the slice): at demo scale 50 the six million rows'
text columns, built whole, were the generator's peak memory."""


def build_activities(
    rng, opps: Opps, cust: Customers, org: Org, hist: History, as_of_day: int, scale, keep_busy
):
    """About 120,000 activities at full scale; keep_busy lists opportunities never left idle.
    The whole table: the slices of :func:`activity_parts` together."""
    parts = list(activity_parts(rng, opps, cust, org, hist, as_of_day, scale, keep_busy))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def activity_parts(
    rng, opps: Opps, cust: Customers, org: Org, hist: History, as_of_day: int, scale, keep_busy
):
    """The activities table in slices of ``ACTIVITY_SLICE_ROWS`` rows, in table order.

    Every draw is made first, for all rows, as integers (which opportunity,
    customer, manager, type, day, id number); only the text columns are built a
    slice at a time.
    """
    start, end, open_now = _life(hist, opps.created, as_of_day)
    n = len(start)
    idle = open_now & (start < as_of_day - 45) & (rng.random(n) < 0.15)
    idle[keep_busy] = False
    end = np.where(idle, np.maximum(start, as_of_day - 31 - rng.integers(0, 30, n)), end)
    key = opps.key_flag | (opps.value >= 100_000)
    weight = org.diligence[opps.owner] * _importance(opps) * np.where(open_now, 1.4, 1.0) * (end - start + 1)
    total = max(50, round(120_000 * scale))
    count = rng.poisson(weight * round(total * 0.85) / weight.sum())
    opp = np.repeat(np.arange(n), count)
    day = start[opp] + (rng.random(len(opp)) * (end[opp] - start[opp] + 1)).astype(np.int64)
    day = _weekday_shift(rng, day, start[opp], end[opp])
    kind = np.where(
        key[opp], rng.choice(6, len(opp), p=TYPE_P[True]), rng.choice(6, len(opp), p=TYPE_P[False])
    )
    n_cust = total - round(total * 0.85)
    c = rng.choice(len(cust.customer_id), size=n_cust, p=cust.weight / cust.weight.sum())
    c_day = _weekday_shift(
        rng, rng.integers(as_of_day - 729, as_of_day + 1, n_cust), as_of_day - 729, as_of_day
    )
    days = np.concatenate([day, c_day])
    del day, c_day
    order = np.lexsort((rng.random(len(days)), days))
    days = days[order]
    # the same draw as choice(TYPES[:4], n_cust, p=...): choice draws positions, then takes them
    c_kind = rng.choice(4, n_cust, p=[0.6, 0.25, 0.05, 0.1])
    years, numbers = yearly_numbers(days, rng)
    opp_of = np.concatenate([opp, np.full(n_cust, -1)])[order]  # -1: a customer-level visit
    customer_of = np.concatenate([opps.customer[opp], c])[order]
    staff_of = np.concatenate([opps.owner[opp], cust.am[c]])[order]
    kind_of = np.concatenate([kind, c_kind])[order]
    del opp, kind, c, c_kind, order
    opportunity_id = np.append(opps.opportunity_id, None)  # position -1: none
    for first in range(0, len(days), ACTIVITY_SLICE_ROWS):
        rows = slice(first, first + ACTIVITY_SLICE_ROWS)
        data = {
            "opportunity_id": opportunity_id[opp_of[rows]],
            "customer_id": cust.customer_id[customer_of[rows]],
            "staff_id": org.staff_id[staff_of[rows]],
            "type": TYPES[kind_of[rows]],
            "activity_date": to_dates(days[rows]),
            "activity_id": id_texts("HD", years[rows], numbers[rows], 7),
        }
        yield conform("activities", data, consume=True)


def build_support(rng, opps: Opps, hist: History, as_of_day: int, scale):
    """About 6,000 support requests, more on transformation, key and major deals."""
    start, end, _ = _life(hist, opps.created, as_of_day)
    weight = (1 + 1.5 * opps.transformation) * _importance(opps) ** 2 * np.sqrt(end - start + 1)
    n = max(20, round(6000 * scale))
    opp = np.sort(rng.choice(len(start), size=n, p=weight / weight.sum()))
    day = start[opp] + (rng.random(n) * (end[opp] - start[opp] + 1)).astype(np.int64)
    p_tech = np.where(opps.transformation[opp], 0.6, 0.4)
    u = rng.random(n)
    kind = np.where(u < p_tech, 0, np.where(u < p_tech + 0.3, 1, 2))
    took = np.ceil(rng.lognormal(np.log(SUPPORT_MEDIAN_DAYS[kind]), 0.7)).astype(np.int64)
    resolved = np.where((day + took <= as_of_day) & (rng.random(n) > 0.03), day + took, NO_DAY)
    order = np.lexsort((opp, day))
    data = {
        "request_id": yearly_ids("ZC", day[order], 6, rng),
        "opportunity_id": opps.opportunity_id[opp][order],
        "type": SUPPORT_TYPES[kind][order],
        "requested_date": to_dates(day[order]),
        "resolved_date": to_dates(resolved[order]),
    }
    return conform("support_requests", data)
