"""Win probabilities p(o), stage rates and the slip distribution, from SQL.

All three are learnt from the company's own history, company-wide, so the
probability of a deal never changes with who is looking; only the set of open
deals returned follows the viewer's scope.  The look-back window is computed
here and bound, which keeps date arithmetic out of the SQL dialect question.
p(o)'s parameters and its per-deal query live one layer down, in
:mod:`analytics.blocks.probability`, because the workload coverage uses them
too; they are re-exported here for the forecast's callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.blocks.probability import win_probabilities
from analytics.context import Context
from analytics.forecast import kept

__all__ = [
    "SlipDistribution",
    "deal_names",
    "open_pipeline",
    "slip_distribution",
    "stage_win_rates",
    "win_probabilities",
]


@dataclass(frozen=True)
class SlipDistribution:
    """Close-date slips in months and their probabilities (sums to 1).

    ``stages`` and ``stage_weights`` (setting slip_stage_prior): the timing per stage
    a deal had when first seen, one row of weights over ``months`` per stage; a deal
    of another stage (or none given) takes the pooled ``weights``.
    """

    months: np.ndarray
    weights: np.ndarray
    deals: int
    stages: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    stage_weights: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    @classmethod
    def none(cls) -> SlipDistribution:
        """No history: every deal closes in its expected month."""
        return cls(np.array([0]), np.array([1.0]), 0)

    def matrix(self) -> np.ndarray:
        """Timing rows x months: row 0 the pooled weights, then one row per stage."""
        return np.vstack([self.weights[None, :], self.stage_weights.reshape(-1, len(self.months))])

    def rows(self, stage: np.ndarray | None, count: int) -> np.ndarray:
        """Each of ``count`` deals' row of :meth:`matrix` from its stage (0: pooled)."""
        if stage is None or not len(self.stages):
            return np.zeros(count, dtype=np.int64)
        stage = np.asarray(stage, dtype=np.int64)
        at = np.searchsorted(self.stages, stage)
        found = (at < len(self.stages)) & (self.stages[np.minimum(at, len(self.stages) - 1)] == stage)
        return np.where(found, at + 1, 0).astype(np.int64)


def stage_win_rates(ctx: Context) -> pd.DataFrame:
    """One row per stage: closed deals that reached it, wins, stage_rate, median cycle."""
    return ctx.query("win_rates_by_stage_kept" if kept.keeps_state(ctx) else "win_rates_by_stage")


def open_pipeline(ctx: Context) -> pd.DataFrame:
    """One row per open opportunity in scope with its line, p(o), close_month, m(o) and
    expected_revenue, without its names (forecast_pipeline_lines.sql; :func:`deal_names`
    names the few a page shows), read from the open deals the load keeps (kept.py).  A context
    reading a past snapshot's state gets the simulation's columns only
    (forecast_window_deals.sql: that state holds no key label, stage or owner)."""
    if not kept.keeps_state(ctx):
        return ctx.query("forecast_window_deals")
    return kept.state(ctx, kept.OPEN_DEALS).query("forecast_pipeline_lines")


def open_pipeline_by_line(ctx: Context) -> pd.DataFrame:
    """The open pipeline's expected revenue summed per branch x product, in the warehouse
    (forecast_pipeline_line_sums.sql): what :func:`open_pipeline`'s rows add up to per line,
    for a figure that needs no draw (issue 19: 预测校准 fetched the 131,000 deals' rows at a
    million opportunities for one sum)."""
    return kept.state(ctx, kept.OPEN_DEALS).query("forecast_pipeline_line_sums")


TAIL_MONTHS = 24
"""Months past the last slip seen over which the late closes spread (the rest in the last)."""

NAME_SLOTS = 16
"""forecast_deal_names_kept's :deal_0 ... :deal_15 (unused ones null)."""


def deal_names(ctx: Context, ids: list[str]) -> pd.DataFrame:
    """name, customer_name and owner_name of the open deals ``ids`` in scope (a few: the top
    contributors and key deals), from the open deals kept at load, or from the state this
    context reads (a past snapshot's: forecast_deal_names)."""
    query = "forecast_deal_names_kept" if kept.reads_kept(ctx, kept.OPEN_DEALS) else "forecast_deal_names"
    frames = []
    for start in range(0, len(ids), NAME_SLOTS):
        chunk = list(ids[start : start + NAME_SLOTS])
        slots = {f"deal_{i}": chunk[i] if i < len(chunk) else None for i in range(NAME_SLOTS)}
        frames.append(ctx.query(query, **slots))
    columns = ["opportunity_id", "name", "customer_name", "owner_name"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def slip_distribution(ctx: Context) -> SlipDistribution:
    """When an open deal closes given that it wins, in months from its expected close month.

    With ``slip_censored`` (the default) from the life table of every deal first
    seen open in the look-back window (:func:`censored_timing`); otherwise the
    slips of the won deals only.  No slip when nothing is known.
    """
    frame = kept.state(ctx, kept.WON_SUMS).query("forecast_slips")
    by_stage = frame[frame["stage"].notna()]
    frame = frame[frame["stage"].isna()]
    if ctx.settings.slip_censored and frame["timing_wins"].sum() > 0:
        columns = ["slip_months", "timing_wins", "timing_losses", "timing_at_risk"]
        if ctx.settings.slip_stage_prior > 0 and not by_stage.empty:
            return stage_timing(frame[columns], by_stage[["stage", *columns]], ctx.settings)
        months, weights = censored_timing(
            frame["slip_months"].to_numpy(dtype=np.int64),
            frame["timing_wins"].to_numpy(dtype=float),
            frame["timing_losses"].to_numpy(dtype=float),
            frame["timing_at_risk"].to_numpy(dtype=float),
            ctx.settings.slip_shrinkage,
        )
        return SlipDistribution(months, weights, int(frame["timing_wins"].sum()))
    frame = frame[frame["deals"] > 0]
    if frame.empty:
        return SlipDistribution.none()
    deals = frame["deals"].to_numpy(dtype=float)
    return SlipDistribution(
        frame["slip_months"].to_numpy(dtype=np.int64), deals / deals.sum(), int(deals.sum())
    )


def stage_timing(pooled: pd.DataFrame, by_stage: pd.DataFrame, settings) -> SlipDistribution:
    """The timing given a win, pooled and per stage when first seen, over one set of months.

    Why per stage?  On the demo's backtest a deal first seen in stage 1 closed within
    2 months of its due month far less often than one in stage 3, and a single
    company-wide curve gives both the same.  A stage's hazards (and its won share of
    the closes) in each slip month are pulled toward the pooled ones with
    ``slip_stage_prior`` pseudo-deals, so a stage with few deals in a month borrows
    the company's.  "Age" (how far past its due month a deal already is) needs no
    table of its own: every draw is conditioned on the deal still being open now
    (simulate.close_probabilities, draws.exact_drawer), i.e. the life table read
    from the deal's current slip month on.
    """
    slips, wins, losses, at_risk = (pooled[c].to_numpy(dtype=float) for c in pooled.columns)
    slips = slips.astype(np.int64)
    order = np.argsort(slips, kind="stable")
    slips, wins, losses, at_risk = slips[order], wins[order], losses[order], at_risk[order]
    shrinkage, prior = settings.slip_shrinkage, settings.slip_stage_prior
    closes = wins + losses
    hazard, won_share = _rate(closes, at_risk + shrinkage), _rate(wins, closes)
    late = _late(slips, closes)
    late_hazard = min(closes[late].sum() / max(at_risk[late].sum(), 1.0), 1.0)
    late_won = wins[late].sum() / max(closes[late].sum(), 1.0)
    months, weights = _incidence(slips, hazard, won_share, late_hazard, late_won)
    stages = np.sort(by_stage["stage"].astype(np.int64).unique())
    rows = []
    for stage in stages:
        own = by_stage[by_stage["stage"] == stage].set_index("slip_months").reindex(slips, fill_value=0)
        s_wins, s_losses, s_risk = (own[c].to_numpy(dtype=float) for c in own.columns[1:])
        s_closes = s_wins + s_losses
        s_hazard = np.clip((s_closes + prior * hazard) / np.maximum(s_risk + shrinkage + prior, 1e-12), 0, 1)
        s_won = (s_wins + prior * won_share) / np.maximum(s_closes + prior, 1e-12)
        s_late_hazard = (s_closes[late].sum() + prior * late_hazard) / max(s_risk[late].sum() + prior, 1e-12)
        s_late_won = (s_wins[late].sum() + prior * late_won) / max(s_closes[late].sum() + prior, 1e-12)
        rows.append(_incidence(slips, s_hazard, s_won, min(s_late_hazard, 1.0), s_late_won)[1])
    matrix = np.vstack(rows) if rows else np.zeros((0, len(months)))
    return SlipDistribution(months, weights, int(wins.sum()), stages, matrix)


def _late(slips: np.ndarray, closes: np.ndarray) -> np.ndarray:
    """The slip months whose pooled hazard the tail takes: the overdue ones (slips >= 1), else all."""
    return slips >= 1 if closes[slips >= 1].sum() > 0 else np.ones(len(slips), dtype=bool)


def _incidence(
    slips: np.ndarray, hazard: np.ndarray, won_share: np.ndarray, late_hazard: float, late_won: float
) -> tuple[np.ndarray, np.ndarray]:
    """The timing given a win over the slips and TAIL_MONTHS after, zeros kept (every row of a
    per-stage matrix on the same months); all at slip 0 when nothing is won."""
    open_before = np.concatenate([[1.0], np.cumprod(1.0 - hazard)])
    mass = open_before[:-1] * hazard * won_share
    after = open_before[-1] * (1.0 - late_hazard) ** np.arange(TAIL_MONTHS) * late_hazard
    after[-1] += open_before[-1] * (1.0 - late_hazard) ** TAIL_MONTHS
    months = np.concatenate([slips, slips[-1] + 1 + np.arange(TAIL_MONTHS)]).astype(np.int64)
    weights = np.concatenate([mass, after * late_won])
    if weights.sum() <= 0:
        weights = (months == 0) * 1.0 if (months == 0).any() else np.eye(1, len(months))[0]
    return months, weights / weights.sum()


def censored_timing(
    slips: np.ndarray, wins: np.ndarray, losses: np.ndarray, at_risk: np.ndarray, shrinkage: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """The slip of a deal that wins, from a life table (forecast_timing): months and weights.

    Why not count the won deals' slips?  With a few months of snapshots, a deal
    that takes long to close is mostly still open, so the won deals alone say
    deals close sooner than they do.  Here each slip month k has hazards
    h_won = wins / at_risk and h_lost = losses / at_risk among the deals still
    open in it (those still open today add exposure, never an event); the
    hazard's exposure gets ``shrinkage`` more deals that did not close, so a
    month with a handful of deals cannot close them all (a hazard of 1 would
    leave no deal open for the months after); a deal
    open from the first slip closes won in month k with S(k) x h_won(k), S the
    share still open (the cumulative incidence of a win).  Those still open
    after the last month seen close later, at the overdue deals' pooled hazard
    (slips >= 1, else all; a geometric tail over TAIL_MONTHS, the rest in its
    last month) and winning as often as those closes did.  Normalised: the
    timing given a win, whose conditional given still open
    (simulate.close_probabilities) is the hazard's.
    """
    order = np.argsort(slips, kind="stable")
    slips, wins, losses, at_risk = slips[order], wins[order], losses[order], at_risk[order]
    closes = wins + losses
    hazard = _rate(closes, at_risk + shrinkage)
    open_before = np.concatenate([[1.0], np.cumprod(1.0 - hazard)])
    won_share = _rate(wins, closes)
    mass = open_before[:-1] * hazard * won_share
    late = slips >= 1 if closes[slips >= 1].sum() > 0 else np.ones(len(slips), dtype=bool)
    if not len(slips) or (mass.sum() <= 0 and wins[late].sum() <= 0):
        return np.array([0]), np.array([1.0])
    late_hazard = min(closes[late].sum() / max(at_risk[late].sum(), 1.0), 1.0)
    after = open_before[-1] * (1.0 - late_hazard) ** np.arange(TAIL_MONTHS) * late_hazard
    after[-1] += open_before[-1] * (1.0 - late_hazard) ** TAIL_MONTHS
    tail = after * wins[late].sum() / max(closes[late].sum(), 1.0)
    months = np.concatenate([slips, slips[-1] + 1 + np.arange(TAIL_MONTHS)])
    weights = np.concatenate([mass, tail])
    keep = weights > 0
    if not keep.any():
        return np.array([0]), np.array([1.0])
    return months[keep].astype(np.int64), weights[keep] / weights[keep].sum()


def _rate(events: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """events / exposure per row, in [0, 1] (1 where events happened with no exposure, 0 where none)."""
    rate = np.divide(events, exposure, out=(events > 0) * 1.0, where=exposure > 0)
    return np.clip(rate, 0.0, 1.0)
