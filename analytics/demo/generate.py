"""Build the whole demo warehouse from a seed and an as-of date.

Every part draws from its own child of ``SeedSequence(seed)``, so the output is
a pure function of (seed, as_of, scale) and a change in one part's draws does
not reshuffle the others.  Nothing here reads the clock: all dates are relative
to ``as_of``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analytics.demo.activity import build_activities, build_support
from analytics.demo.budget import budget_frame, targets_frame
from analytics.demo.cases import apply_aia
from analytics.demo.customers import build_customers
from analytics.demo.drift import draw_drift
from analytics.demo.finance import contracts_frame, revenue_frame, won_contracts
from analytics.demo.frames import day_number
from analytics.demo.opportunities import build_opportunities
from analytics.demo.org import build_org, org_frames
from analytics.demo.process import build_history, draw_plan
from analytics.demo.snapshots import draw_abnormal, snapshot_frames, stage_history_frame

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
    revenue = revenue_frame(rng[7], con, opps, org, as_of_day, scale)
    frames = {
        **org_frames(org),
        **snapshot_frames(hist, opps, cust, org, drift, abnormal, as_of_day),
        "stage_history": stage_history_frame(rng[8], hist, opps, org),
        "activities": build_activities(rng[9], opps, cust, org, hist, as_of_day, scale, [aia_main]),
        "support_requests": build_support(rng[10], opps, hist, as_of_day, scale),
        "contracts": contracts_frame(con, opps, cust, org),
        "revenue": revenue,
        "budget": budget_frame(rng[11], revenue, as_of.year),
        "targets": targets_frame(rng[11], opps, plan, hist, org, as_of_day),
    }
    return {name: frames[name] for name in TABLES}
