"""Build the whole demo warehouse from a seed and an as-of date.

Every part draws from its own child of ``SeedSequence(seed)``, so the output is
a pure function of (seed, as_of, scale) and a change in one part's draws does
not reshuffle the others.  Nothing here reads the clock: all dates are relative
to ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pandas as pd

from analytics.demo.activity import activity_parts, build_support
from analytics.demo.budget import budget_frame, targets_frame
from analytics.demo.cases import apply_aia
from analytics.demo.customers import build_customers
from analytics.demo.drift import draw_drift
from analytics.demo.finance import contracts_frame, revenue_frame, won_contracts
from analytics.demo.frames import day_number
from analytics.demo.opportunities import Opps, build_opportunities
from analytics.demo.org import build_org, org_frames
from analytics.demo.process import build_history, draw_plan
from analytics.demo.snapshots import draw_abnormal, snapshot_parts, snapshots_frame, stage_history_frame

TABLES = (
    "org",
    "org_history",
    "snapshots",
    "opportunity_snapshot",
    "stage_history",
    "activities",
    "support_requests",
    "contracts",
    "revenue",
    "budget",
    "targets",
)


def generate(seed: int, as_of: dt.date, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Frames keyed by table name, columns as analytics/schema.py without load_id.

    scale multiplies the counts (1.0: 300 account managers, 20,000 opportunities,
    ~120,000 activities); the structure (8 branches, 12 weekly snapshots, two
    years of history, the AIA case) is kept at every scale.
    """
    parts: dict[str, list[pd.DataFrame]] = {}
    for name, frame in generate_tables(seed, as_of, scale):
        parts.setdefault(name, []).append(frame)
    return {name: _whole(parts[name]) for name in TABLES}


def _whole(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """A table from the parts it was drawn in (opportunity_snapshot: one per export)."""
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _without_texts(opps: Opps) -> Opps:
    """``opps`` without the text columns revenue, budget and targets never read: they were
    held through the revenue's draw, the demo's peak (about 190 MB of 2.15 GB at scale 50)."""
    none = np.empty(0, dtype=object)
    return replace(opps, name=none, campaign=none, competitor=none)


def generate_tables(seed: int, as_of: dt.date, scale: float = 1.0) -> Iterator[tuple[str, pd.DataFrame]]:
    """The frames of :func:`generate`, one table at a time, each as soon as it is drawn.

    A caller that writes each table and drops it before asking for the next
    (the demo command: analytics/warehouse.py ``replace_tables``) never holds
    every frame at once: at scale 30 they were about 2 GB together.
    opportunity_snapshot comes one weekly export at a time (several parts of one
    name, oldest first), then the snapshots table that counts them.  The draws,
    and so the frames, are exactly :func:`generate`'s (the order below is the
    order it always drew in; budget and targets share a generator).
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    as_of_day = day_number(as_of)
    rng = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(12)]
    org = build_org(rng[0], as_of_day, scale)
    cust = build_customers(rng[1], org, scale)
    opps = build_opportunities(rng[2], org, cust, as_of_day, scale)
    plan = draw_plan(rng[3], opps, org)
    drift = draw_drift(rng[4], plan, opps.created, opps.value, as_of_day)
    aia_main, _ = apply_aia(opps, plan, drift, org, cust, as_of_day)
    hist = build_history(plan, opps.created, as_of_day)
    abnormal = draw_abnormal(rng[5], hist, opps.created, as_of_day)
    con = won_contracts(rng[6], opps, plan, hist)
    yield from org_frames(org).items()
    sizes = []
    for day, export in snapshot_parts(hist, opps, cust, org, drift, abnormal, as_of_day):
        sizes.append((day, len(export)))
        yield "opportunity_snapshot", export
        del export
    del drift, abnormal  # the snapshots' alone
    yield "snapshots", snapshots_frame(sizes)
    yield "stage_history", stage_history_frame(rng[8], hist, opps, org)
    for part in activity_parts(rng[9], opps, cust, org, hist, as_of_day, scale, [aia_main]):
        yield "activities", part
        del part
    yield "support_requests", build_support(rng[10], opps, hist, as_of_day, scale)
    yield "contracts", contracts_frame(con, opps, cust, org)
    del cust
    opps = _without_texts(opps)
    # drawn here, not before the snapshots (its own generator: the same draws), so its
    # millions of rows are not held while the snapshots and activities are drawn
    revenue = revenue_frame(rng[7], con, opps, org, as_of_day, scale)
    budget = budget_frame(rng[11], revenue, as_of.year)
    yield "revenue", revenue
    del revenue
    yield "budget", budget
    yield "targets", targets_frame(rng[11], opps, plan, hist, org, as_of_day)
