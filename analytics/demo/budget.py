"""This year's revenue budget per branch x product, and account managers' targets.

The budget is the year-end revenue the run rate promises, times a factor per
branch x product: a third of the lines get an easy budget (clearly ahead of time
progress), a third a hard one (clearly behind).  A few lines are budgeted as an
annual figure only (month null), which the loader phases by its setting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.demo import vocab
from analytics.demo.frames import NO_DAY, conform, year_of
from analytics.demo.opportunities import PRODUCT_NAMES, Opps
from analytics.demo.org import Org
from analytics.demo.process import WON, History, Plan


def _expected_annual(revenue: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per branch x product: this year's revenue so far plus the recurring run rate to December."""
    rev = revenue.assign(y=revenue["period"] // 100, m=revenue["period"] % 100)
    this = rev[rev["y"] == year]
    if this.empty:  # as_of in January: nothing loaded for the year yet
        prev = rev[rev["y"] == year - 1].groupby(["branch", "product"])["amount"].sum()
        return prev.rename("expected").reset_index()
    months = sorted(this["period"].unique())[-3:]
    recurring = this[this["period"].isin(months) & (this["fee_item"] == "月租费")]
    rate = recurring.groupby(["branch", "product"])["amount"].sum() / len(months)
    ytd = this.groupby(["branch", "product"])["amount"].sum()
    remaining = 12 - int(this["m"].max())
    return (ytd.add(rate * remaining, fill_value=0.0)).rename("expected").reset_index()


def budget_frame(rng: np.random.Generator, revenue: pd.DataFrame, year: int) -> pd.DataFrame:
    """Monthly budget rows (a few lines annual-only) for the given year."""
    grid = pd.MultiIndex.from_product([vocab.BRANCHES, PRODUCT_NAMES], names=["branch", "product"]).to_frame(
        index=False
    )
    pairs = grid.merge(_expected_annual(revenue, year), how="left").fillna({"expected": 0.0})
    n = len(pairs)
    band = rng.choice(3, size=n, p=[0.33, 0.34, 0.33])
    factor = np.choose(
        band, [rng.uniform(0.78, 0.88, n), rng.uniform(0.92, 1.04, n), rng.uniform(1.15, 1.3, n)]
    )
    annual = np.round(pairs["expected"].to_numpy() * factor, -2)
    annual_only = rng.random(n) < 0.1
    annual_only[rng.integers(n)] = True
    phase = 1 + 0.015 * np.arange(12)
    phase = phase / phase.sum()
    monthly = np.round(annual[:, None] * phase[None, :], -2)
    keep = ~annual_only
    rows = {
        "branch": np.concatenate(
            [np.repeat(pairs["branch"].to_numpy()[keep], 12), pairs["branch"].to_numpy()[annual_only]]
        ),
        "product": np.concatenate(
            [np.repeat(pairs["product"].to_numpy()[keep], 12), pairs["product"].to_numpy()[annual_only]]
        ),
        "month": np.concatenate([np.tile(np.arange(1, 13), keep.sum()), np.full(annual_only.sum(), None)]),
        "amount": np.concatenate([monthly[keep].ravel(), annual[annual_only]]),
    }
    rows["year"] = np.full(len(rows["amount"]), year)
    return conform("budget", rows)


def targets_frame(rng, opps: Opps, plan: Plan, hist: History, org: Org, as_of_day: int) -> pd.DataFrame:
    """Each account manager's target: about their won annual value over the last year, uplifted."""
    won = (hist.closed_day != NO_DAY) & (plan.outcome == WON) & (hist.closed_day > as_of_day - 365)
    per_staff = np.bincount(opps.owner[won], weights=opps.value[won], minlength=len(org.staff_id))
    ams = org.ams
    base = per_staff[ams]
    base = np.where(base > 0, base, np.median(base[base > 0]) if (base > 0).any() else 300_000.0)
    amount = np.maximum(50_000, np.round(base * rng.uniform(1.0, 1.3, len(ams)), -4))
    year = int(year_of(np.array([as_of_day]))[0])
    return conform(
        "targets", {"year": np.full(len(ams), year), "staff_id": org.staff_id[ams], "amount": amount}
    )
