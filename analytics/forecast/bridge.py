"""Why the forecast moved (周例会): a bridge from A's frozen year-end forecast to B's.

The two ends are the forecasts frozen when A and B were loaded
(``forecast_snapshots``, summed over the branch x product lines in scope; a
team or owner scope has none, so the bridge is not available there).  The
parts explain the difference deal by deal, with each deal's expected revenue
this year ER = p(o) x value x m(o) / 12 (forecast_deals fragment) at A and at B
and its movement from A to B (analytics.metrics.movement):

* ``booked``: revenue booked between the two freezes' data (actual year to date
  through B's last known period minus through A's);
* ``won`` / ``lost`` / ``terminated`` / ``removed``: minus the deal's ER at A;
* ``new`` / ``reopened``: plus its ER at B;
* a deal open in both, split in this order so the three add up to ER_B - ER_A
  exactly: ``value`` = p_A (v_B - v_A) m_A / 12, ``stage`` (probability) =
  (p_B - p_A) v_B m_A / 12, then the close date: p_B v_B (m_B - m_A) / 12, in
  ``slipped`` when it takes revenue out of the year, ``pulled_in`` when it
  brings some in;
* ``rest`` (run-rate and model: recalibrated rates, the slip distribution of
  the simulation, deals that moved across the scope) = whatever the difference
  of the two frozen forecasts leaves.

Every part is summed in integer fen and ``rest`` is the difference in fen less
the others, so start + parts = end exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analytics.context import Context
from analytics.derived import PAST_STATE_SWAP
from analytics.forecast import kept
from analytics.metrics.attainment import budget_attainment
from analytics.metrics.movement import NoSnapshotPair, SnapshotPair, part_ids, snapshot_pair
from analytics.warehouse import newest_snapshot_date

BRIDGE_PARTS = (
    "booked", "won", "lost", "terminated", "removed", "slipped", "pulled_in", "stage", "value", "new",
    "reopened", "rest",
)  # fmt: skip
LEAVING = ("won", "lost", "terminated", "removed")
ARRIVING = ("new", "reopened")
DEAL_COLUMNS = ["opportunity_id", "p_win", "annual_value", "months_this_year", "expected_revenue"]
NAME_COLUMNS = ["name", "customer_name", "owner_name"]
QUERY_SLOTS = 16  # forecast_deal_names' :deal_0 ... :deal_15 (unused ones null)
NAME_SLOTS = QUERY_SLOTS  # the deals named per query (at most QUERY_SLOTS)
PAST_DEALS = PAST_STATE_SWAP
"""An earlier snapshot's (A's) deals: its state from the backtest states the load keeps per
date and its rates from cache_past_win_rates, built from those states once per data version
(freeze.PAST_STATE computes the rates from the history in every query: 2.5 s at 1 M)."""


@dataclass(frozen=True)
class ForecastBridge:
    """A's and B's frozen year-end expected (fen), the parts between them (fen) and the top movers."""

    pair: SnapshotPair
    available: bool
    expected_a_fen: int = 0
    expected_b_fen: int = 0
    p50_a: float | None = None
    p50_b: float | None = None
    parts_fen: dict[str, int] | None = None
    movers: pd.DataFrame | None = None
    basis: str = "frozen"  # or "pipeline": the open pipeline's expected revenue only (pipeline_change)

    def adds_up(self) -> bool:
        """A's expected + every part = B's expected, to the fen."""
        return self.expected_a_fen + sum((self.parts_fen or {}).values()) == self.expected_b_fen


def _fen(yuan: float) -> int:
    return round(float(yuan) * 100)


def _frozen(ctx: Context, pair: SnapshotPair) -> dict[date, dict]:
    """Per snapshot (A, B) frozen for B's year: expected, p50 (one line only), data_through."""
    frame = ctx.query("forecast_frozen_pair", snapshot_a=pair.a, snapshot_b=pair.b, year=pair.b.year)
    return {pd.Timestamp(r["snapshot_date"]).date(): r for r in frame.to_dict("records")}


def _actual(ctx: Context, through: Any) -> float:
    """Actual revenue this year through a period (0 when no period is known)."""
    if through is None or pd.isna(through):
        return 0.0
    levels = budget_attainment(ctx, through_period=int(through))
    overall = levels[levels["level"] == "overall"]
    return float(overall["actual_ytd"].fillna(0).sum())


def _at(ctx: Context, day: date) -> Context:
    """``ctx`` at ``day``, reading the open deals the load keeps when ``day`` is the viewer's
    as_of (B, the newest snapshot on first view: cache_open_deals, the rows the 收入预测 page
    reads; at 1 M its p(o) and numbers in 40 ms instead of 250 ms over the opportunity state).
    A's deals come from A's state, which nothing keeps."""
    at = replace(ctx, as_of=day)
    return kept.state(at, kept.OPEN_DEALS) if day == ctx.as_of else at


def _numbers_at(ctx: Context, day: date) -> Context:
    """:func:`_at`, but an earlier snapshot's deals (A's) read from the backtest states the
    load keeps per date (:data:`PAST_DEALS`, as a past week's freeze reads them) rather than
    from that date's full opportunity facts: the same rows (tests/test_forecast_bridge.py),
    and nothing to build on the first view after a load, where A's facts took 9-10 s at
    1,000,000 opportunities.  Only the numbers: the states hold no names."""
    at = _at(ctx, day)
    if day == ctx.as_of or at.swap or day >= newest_snapshot_date(ctx.engine):
        return at
    return replace(at, swap=PAST_DEALS)


def _deals(ctx: Context, day: date) -> pd.DataFrame:
    """Each open deal in scope at ``day`` with p(o), value, m(o) and ER (for B's year).

    Numbers only: at a million deals, reading every deal's names cost more than
    the numbers; only the top movers are named (:func:`_names`).  A's, for a scope with
    no other filter, from what the load keeps of them (cache_past_deal_values: the same
    rows, computed once instead of on every view)."""
    at = _numbers_at(ctx, day)
    kept_past = at.swap == PAST_DEALS and ctx.filters.narrow_nothing()
    frame = at.query("forecast_pipeline_values_past_kept" if kept_past else "forecast_pipeline_values")
    return frame[DEAL_COLUMNS].astype({"p_win": float, "annual_value": float, "months_this_year": float})


def _names(ctx: Context, pair: SnapshotPair, ids: list[str]) -> pd.DataFrame:
    """Name, customer and owner of a few deals: as open in scope at B, else at A (as
    forecast_pipeline's rows at B, filled from A's, had them)."""
    sides = []
    for day in (pair.b, pair.a):
        frames, at = [], _at(ctx, day)
        query = "forecast_deal_names_kept" if kept.reads_kept(at, kept.OPEN_DEALS) else "forecast_deal_names"
        if _numbers_at(ctx, day).swap == PAST_DEALS:  # A: from its kept states, as its numbers
            query = "forecast_deal_names_past"
        for start in range(0, len(ids), NAME_SLOTS):
            chunk = ids[start : start + NAME_SLOTS]
            slots = {f"deal_{k}": chunk[k] if k < len(chunk) else None for k in range(QUERY_SLOTS)}
            frames.append(at.query(query, **slots))
        found = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["opportunity_id"])
        sides.append(found.set_index("opportunity_id").reindex(columns=NAME_COLUMNS))
    at_b, at_a = sides
    named = pd.DataFrame(index=pd.Index(ids, name="opportunity_id"))
    return named.join(at_b).fillna(named.join(at_a)).reset_index()


def _movement_ids(ctx: Context, pair: SnapshotPair) -> dict[str, set[str]]:
    """The deals behind each leaving or arriving waterfall bar (few, read whole, in one statement)."""
    rows = part_ids(ctx, pair)
    chosen = rows.groupby("waterfall_part")["opportunity_id"].agg(set)
    return {part: chosen.get(part, set()) for part in (*LEAVING, *ARRIVING)}


def deal_contributions(a: pd.DataFrame, b: pd.DataFrame, ids: dict[str, set[str]]) -> pd.DataFrame:
    """One row per deal that explains part of the change: its part and amount (yuan)."""
    both = a.merge(b, on="opportunity_id", how="outer", suffixes=("_a", "_b"), indicator=True)
    rows = []
    for part in LEAVING:
        chosen = both[both["opportunity_id"].isin(ids[part]) & (both["_merge"] != "right_only")]
        rows.append(chosen.assign(part=part, amount=-chosen["expected_revenue_a"].fillna(0)))
    for part in ARRIVING:
        chosen = both[both["opportunity_id"].isin(ids[part]) & (both["_merge"] != "left_only")]
        rows.append(chosen.assign(part=part, amount=chosen["expected_revenue_b"].fillna(0)))
    kept = both[both["_merge"] == "both"]
    p_a, v_a, m_a = kept["p_win_a"], kept["annual_value_a"], kept["months_this_year_a"]
    p_b, v_b, m_b = kept["p_win_b"], kept["annual_value_b"], kept["months_this_year_b"]
    close = p_b * v_b * (m_b - m_a) / 12
    rows.append(kept.assign(part="value", amount=p_a * (v_b - v_a) * m_a / 12))
    rows.append(kept.assign(part="stage", amount=(p_b - p_a) * v_b * m_a / 12))
    rows.append(kept.assign(part=np.where(close < 0, "slipped", "pulled_in"), amount=close))
    out = pd.concat(rows, ignore_index=True)
    return out[out["amount"] != 0]


def top_movers(contributions: pd.DataFrame, n: int) -> pd.DataFrame:
    """The n deals that moved the forecast most, by |their total amount|, with their parts."""
    columns = ["opportunity_id", "amount", "parts"]
    if contributions.empty:
        return pd.DataFrame(columns=columns)
    totals = contributions.groupby("opportunity_id", sort=False)["amount"].sum()
    chosen = totals.abs().sort_values(ascending=False, kind="stable").head(n).index
    # The parts' names are joined in Python: only for the n chosen (at a million
    # deals, for every deal it took seconds).
    mine = contributions[contributions["opportunity_id"].isin(chosen)]
    parts = mine.groupby("opportunity_id", sort=False)["part"].agg(lambda p: ",".join(dict.fromkeys(p)))
    deals = pd.DataFrame({"opportunity_id": chosen, "amount": totals[chosen].to_numpy()})
    return deals.assign(parts=parts[chosen].to_numpy())[columns]


def named_movers(ctx: Context, pair: SnapshotPair, contributions: pd.DataFrame) -> pd.DataFrame:
    """The top movers (forecast_top_deals of them) with their names, customers and owners."""
    movers = top_movers(contributions, ctx.settings.forecast_top_deals)
    names = _names(ctx, pair, movers["opportunity_id"].tolist())
    columns = ["opportunity_id", *NAME_COLUMNS, "amount", "parts"]
    return movers.merge(names, on="opportunity_id", how="left")[columns]


def _covers(pair: SnapshotPair, frozen: dict[date, dict]) -> bool:
    """Whether frozen forecasts of one year cover both ends of the pair."""
    return pair.a.year == pair.b.year and pair.a in frozen and pair.b in frozen


def frozen_bridge_available(ctx: Context, pair: SnapshotPair) -> bool:
    """Whether :func:`forecast_change` is available for the scope (one small query): where it
    is not, the page shows :func:`pipeline_change` instead (a benchmark of the page's first
    view asks this first)."""
    return _covers(pair, _frozen(ctx, pair))


def forecast_change(ctx: Context, pair: SnapshotPair) -> ForecastBridge:
    """The bridge between A's and B's frozen year-end forecasts for the scope (see module doc)."""
    frozen = _frozen(ctx, pair)
    if not _covers(pair, frozen):
        return ForecastBridge(pair, available=False)
    end_a, end_b = frozen[pair.a], frozen[pair.b]
    ctx_b = replace(ctx, as_of=pair.b)
    contributions = deal_contributions(_deals(ctx, pair.a), _deals(ctx, pair.b), _movement_ids(ctx, pair))
    sums = contributions.groupby("part")["amount"].sum()
    parts = {p: _fen(sums.get(p, 0.0)) for p in BRIDGE_PARTS if p not in ("booked", "rest")}
    parts["booked"] = _fen(_actual(ctx_b, end_b["data_through"]) - _actual(ctx_b, end_a["data_through"]))
    expected_a, expected_b = _fen(end_a["expected"]), _fen(end_b["expected"])
    parts["rest"] = expected_b - expected_a - sum(parts.values())
    return ForecastBridge(
        pair, True, expected_a, expected_b,
        p50_a=None if pd.isna(end_a["p50"]) else float(end_a["p50"]),
        p50_b=None if pd.isna(end_b["p50"]) else float(end_b["p50"]),
        parts_fen={p: parts[p] for p in BRIDGE_PARTS},
        movers=named_movers(ctx, pair, contributions),
    )  # fmt: skip


def pipeline_change(ctx: Context, pair: SnapshotPair) -> ForecastBridge:
    """Where no frozen forecast covers the scope (a team, an owner): the same bridge over
    the part of the forecast that a scope's deals make, the open pipeline's expected
    revenue this year (Σ ER in scope at A → at B). No booked revenue; ``rest`` is what
    the deal parts leave (deals that entered or left the scope between A and B)."""
    if pair.a.year != pair.b.year:
        return ForecastBridge(pair, available=False, basis="pipeline")
    deals_a, deals_b = _deals(ctx, pair.a), _deals(ctx, pair.b)
    contributions = deal_contributions(deals_a, deals_b, _movement_ids(ctx, pair))
    sums = contributions.groupby("part")["amount"].sum()
    parts = {p: _fen(sums.get(p, 0.0)) for p in BRIDGE_PARTS if p not in ("booked", "rest")}
    parts["booked"] = 0
    expected_a, expected_b = _fen(deals_a["expected_revenue"].sum()), _fen(deals_b["expected_revenue"].sum())
    parts["rest"] = expected_b - expected_a - sum(parts.values())
    return ForecastBridge(
        pair, True, expected_a, expected_b, parts_fen={p: parts[p] for p in BRIDGE_PARTS},
        movers=named_movers(ctx, pair, contributions), basis="pipeline",
    )  # fmt: skip


def _yuan(fen: int) -> float:
    return fen / 100


def forecast_change_document(bridge: ForecastBridge) -> dict:
    """The bridge as JSON: ends, parts (yuan, and fen), top movers."""
    document = {
        "snapshot_a": bridge.pair.a.isoformat(),
        "snapshot_b": bridge.pair.b.isoformat(),
        "available": bridge.available,
    }
    if not bridge.available:
        return document
    parts = bridge.parts_fen or {}
    movers = bridge.movers if bridge.movers is not None else pd.DataFrame(columns=["amount"])
    movers = movers.assign(amount=movers["amount"].round(2))
    return {
        **document,
        "expected_a": _yuan(bridge.expected_a_fen),
        "expected_b": _yuan(bridge.expected_b_fen),
        "p50_a": bridge.p50_a,
        "p50_b": bridge.p50_b,
        "bridge": {p: _yuan(v) for p, v in parts.items()},
        "bridge_fen": dict(parts),
        "movers": movers.to_dict("records"),
    }


def forecast_change_report(ctx: Context, compare_to: date | None = None) -> pd.DataFrame:
    """``report forecast_change``: start, each part, end (yuan); the JSON adds the top movers.
    No rows when fewer than two snapshots are held or no frozen forecast covers the scope."""
    columns = ["snapshot_a", "snapshot_b", "part", "value"]
    try:
        pair = snapshot_pair(ctx, snapshot_a=compare_to)
    except NoSnapshotPair:
        return pd.DataFrame(columns=columns)
    bridge = forecast_change(ctx, pair)
    rows = []
    if bridge.available:
        parts = bridge.parts_fen or {}
        rows = [("start", bridge.expected_a_fen), *parts.items(), ("end", bridge.expected_b_fen)]
    frame = pd.DataFrame([(pair.a, pair.b, p, _yuan(v)) for p, v in rows], columns=columns)
    frame.attrs["document"] = lambda: forecast_change_document(bridge)
    return frame
