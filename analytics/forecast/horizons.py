"""Forecast horizons (issue 16 item 3): the year-end, the next quarter, the next 12 months, next year.

Months are counted from January of the as_of year (1 = January, 13 = next
January), the index the open pipeline's close_month already uses, so one
simulation serves every window (simulate.simulate with ``earn_from``):

* ``year_end``: the rest of this year, after the last revenue period loaded
  (P+1..12), with the revenue booked so far: yearend.year_end_forecast, as before;
* ``next_quarter``: the next calendar quarter, whole (a quarter has a budget and
  reads the same all quarter long; the rest of the current one is part of the
  year-end already);
* ``next_12_months``: the 12 months after the last revenue period loaded (rolling);
* ``next_year``: January to December of next year, against next year's budget
  when it is loaded.

Booked revenue counts for the year-end only.  In a forward window the run-rate
of existing business earns each month of the window, and an open deal earns
from the month after it closes, counting only the window's months; the open
pipeline's close dates and the historical slips decide which deals land inside
it (a close after the window's last month earns nothing in it).  The growth
parts of the year-end (growth.py: drift of existing business, one-off fees, won
but not billed, business not yet created) and the won value / pipeline value
ratio enter every window too, over the window's own months, the drift counted
from the last month loaded (loaded_index).  The band adds the run-rate misses,
the parts' spreads and the common factor (uncertainty.widen), as the year-end's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from analytics.context import Context, period_of
from analytics.forecast.components import (
    KEYS,
    SPREAD_STREAM,
    deal_arrays,
    known_months,
    lines_of,
    on_lines,
    run_rates,
    spread_of,
)
from analytics.forecast.draws import by_line
from analytics.forecast.frozen import backtest_health
from analytics.forecast.growth import PARTS
from analytics.forecast.probabilities import SlipDistribution, open_pipeline, slip_distribution
from analytics.forecast.simulate import Deals, Simulation, band, expected_vs_band, simulate
from analytics.forecast.uncertainty import Spread, widen
from analytics.forecast.yearend import year_end_forecast
from analytics.metrics.attainment import budget_attainment, budget_basis, revenue_monthly

Horizon = Literal["year_end", "next_quarter", "next_12_months", "next_year"]
HORIZONS: tuple[Horizon, ...] = ("year_end", "next_quarter", "next_12_months", "next_year")


@dataclass(frozen=True)
class Window:
    """A horizon's months: ``first``..``last`` counted from January of ``year`` (13 = next January)."""

    horizon: Horizon
    year: int
    first: int
    last: int

    @property
    def months(self) -> np.ndarray:
        """The window's months, in order."""
        return np.arange(self.first, self.last + 1, dtype=np.int64)

    def period(self, month: int) -> int:
        """A month of the count as YYYYMM."""
        year, index = divmod(int(month) - 1, 12)
        return (self.year + year) * 100 + index + 1

    @property
    def first_period(self) -> int:
        return self.period(self.first)

    @property
    def last_period(self) -> int:
        return self.period(self.last)


def loaded_index(data_through: int | None, as_of: date) -> int:
    """The last revenue period loaded as a month of the count (0 = December before).

    With no revenue loaded: the month before as_of's.
    """
    if data_through is None:
        return as_of.month - 1
    year, month = divmod(int(data_through), 100)
    return (year - as_of.year) * 12 + month


def window_of(horizon: Horizon, as_of: date, data_through: int | None) -> Window:
    """The months of ``horizon`` on ``as_of`` with revenue loaded through ``data_through`` (YYYYMM)."""
    loaded = loaded_index(data_through, as_of)
    if horizon == "year_end":
        first, last = max(loaded, 0) + 1, 12
    elif horizon == "next_quarter":
        first = ((as_of.month - 1) // 3 + 1) * 3 + 1
        last = first + 2
    elif horizon == "next_12_months":
        first, last = loaded + 1, loaded + 12
    elif horizon == "next_year":
        first, last = 13, 24
    else:
        raise ValueError(f"unknown horizon {horizon!r}; known: {', '.join(HORIZONS)}")
    return Window(horizon, as_of.year, first, last)


def next_year_budget_loaded(ctx: Context) -> bool:
    """Whether a budget (or, for a team or owner, targets) for next year is loaded in scope."""
    budget = revenue_monthly(ctx, year=ctx.as_of.year + 1)["budget"]
    return bool(budget.notna().any() and budget.fillna(0).sum() > 0)


def lead_horizon(ctx: Context) -> Horizon:
    """The horizon the 收入预测 page opens on.

    The year-end, until the month ``forecast_forward_from_month`` (December by
    default) or until at most ``forecast_forward_months_left`` months of the year
    are still to be loaded (the year-end band then has almost nothing left to
    vary): then next year when its budget is loaded, else the next 12 months.
    """
    settings = ctx.settings
    attainment = budget_attainment(ctx)
    data_through, months = known_months(attainment)
    left = len(months) if data_through and data_through // 100 == ctx.as_of.year else 12
    if (
        ctx.as_of.month < settings.forecast_forward_from_month
        and left > settings.forecast_forward_months_left
    ):
        return "year_end"
    return "next_year" if next_year_budget_loaded(ctx) else "next_12_months"


def window_budget(ctx: Context, window: Window) -> tuple[float | None, str]:
    """The phased budget over the window's months (overall, on budget_basis) and why it may be missing.

    Returns (budget, note): note 'ok'; 'no_basis' when the selection has no
    denominator; 'no_budget' when a year the window reaches has no budget.
    """
    basis = budget_basis(ctx)
    if basis == "none":
        return None, "no_basis"
    total = 0.0
    for offset in sorted({(int(m) - 1) // 12 for m in window.months}):
        monthly = revenue_monthly(ctx, year=window.year + offset)
        phased = monthly.set_index("month")["budget"].fillna(0.0)
        if phased.sum() <= 0:
            return None, "no_budget"
        inside = [int(m) - 12 * offset for m in window.months if (int(m) - 1) // 12 == offset]
        total += float(phased.reindex(inside).fillna(0.0).sum())
    return total, "ok"


@dataclass(frozen=True)
class WindowModel:
    """What a forward window's figures are read from, per branch x product line and window month."""

    lines: pd.DataFrame  # branch, product, recurring_monthly … (components.lines_of)
    deals: Deals  # the open deals placed on lines
    spread: Spread  # run-rate noise, common factor, growth parts, value ratio
    simulation: Simulation  # the pipeline draws alone
    paths: np.ndarray  # lines x runs x months: cumulative from the window's first month, all parts in
    base: np.ndarray  # lines x months: run-rate and the growth parts' means, cumulative


@dataclass(frozen=True)
class WindowInputs:
    """The inputs every window of one snapshot shares: read once when several windows are built."""

    attainment: pd.DataFrame
    deals: pd.DataFrame  # open_pipeline's rows
    rates: pd.DataFrame  # run_rates through ``through``
    slips: SlipDistribution
    through: int

    @classmethod
    def of(cls, ctx: Context, through: int | None = None, deals: str | None = None) -> WindowInputs:
        """Read them with the revenue known through ``through`` (default: as_of's month).

        ``deals``: the query of the open deals, forecast_pipeline's (the page's) unless
        named; the freeze names forecast_window_deals, its columns and rows in the same
        order, which a past snapshot's backtest state can give.
        """
        through = period_of(ctx.as_of) if through is None else through
        return cls(
            attainment=budget_attainment(ctx, through_period=through),
            deals=open_pipeline(ctx) if deals is None else ctx.query(deals),
            rates=run_rates(ctx, through),
            slips=slip_distribution(ctx),
            through=through,
        )


def window_model(ctx: Context, window: Window, data_through: int | None, inputs: WindowInputs) -> WindowModel:
    """The window's lines, deals, spread and simulated paths (run-rate and parts added to the draws)."""
    lines = lines_of(inputs.attainment, inputs.rates, inputs.deals)
    arrays = deal_arrays(on_lines(inputs.deals, lines), len(lines))
    months, settings = window.months, ctx.settings
    loaded = loaded_index(data_through, ctx.as_of)
    spread = spread_of(ctx, lines, inputs.through, months, last_loaded=loaded)
    sim = simulate(
        arrays,
        inputs.slips,
        first_close=ctx.as_of.month,
        months=months,
        runs=settings.simulation_runs,
        seed=settings.simulation_seed,
        earn_from=window.first,
    )
    paths = widen(sim.paths, spread, np.random.SeedSequence([settings.simulation_seed, SPREAD_STREAM]))
    recurring = lines["recurring_monthly"].to_numpy(dtype=float)
    base = recurring[:, None] * np.arange(1, len(months) + 1) + spread.parts_mean(len(lines), len(months))
    # Into widen's own array where it made one (not sim.paths) of the sum's dtype: at 1 M no
    # second 69 MB array, the same sums.
    own = paths is not sim.paths and paths.dtype == np.result_type(paths, base)
    paths = np.add(paths, base[:, None, :], out=paths if own else None)
    return WindowModel(lines, arrays, spread, sim, paths, base)


def window_lines(
    ctx: Context, window: Window, data_through: int | None, through: int | None = None
) -> tuple[pd.DataFrame, np.ndarray, dict]:
    """Per branch x product line: run-rate, expected pipeline and growth parts in the window,
    and the simulated paths.

    Returns the lines (branch, product, recurring_monthly, run_rate, pipeline_expected at the
    value ratio, each growth part, parts_expected, forecast_expected), paths (lines x runs x
    window months: the band's draws, run-rate and parts included) and the simulation's counts
    for the page's note.  The parts are those of the year-end (growth.py) over the window's
    months, their drift counted from the last month loaded (``data_through``).  ``through``: the
    last revenue period the inputs may read (as_of's month; a backtest passes the period known
    on a past snapshot, freeze.known_through, so later revenue does not leak in).
    """
    inputs = WindowInputs.of(ctx, through)
    model = window_model(ctx, window, data_through, inputs)
    lines, arrays, spread, sim = model.lines, model.deals, model.spread, model.simulation
    months = window.months
    recurring = lines["recurring_monthly"].to_numpy(dtype=float)
    window_lines = lines[[*KEYS, "recurring_monthly"]].copy()
    window_lines["run_rate"] = recurring * len(months)
    window_lines["pipeline_expected"] = pipeline_in_window(arrays, window) * spread.value_ratio
    for name in PARTS:
        part = spread.parts.get(name)
        window_lines[name] = part.mean[:, -1] if part is not None and len(months) else 0.0
    window_lines["parts_expected"] = window_lines[list(PARTS)].sum(axis=1)
    window_lines["forecast_expected"] = window_lines[["run_rate", "pipeline_expected", "parts_expected"]].sum(
        axis=1
    )
    pipeline_mean = float(sim.expected[:, -1].sum()) * spread.value_ratio if len(months) else 0.0
    counts = {
        "runs": sim.paths.shape[1],
        "exact_deals": sim.exact_deals,
        "normal_deals": sim.normal_deals,
        "exact_variance_share": sim.exact_variance_share,
        "slip_deals": inputs.slips.deals,
        "simulated_mean": float(window_lines[["run_rate", "parts_expected"]].to_numpy().sum())
        + pipeline_mean,
    }
    return window_lines, model.paths, counts


def window_expected(model: WindowModel, window: Window) -> np.ndarray:
    """lines x window months: the expected revenue from the window's first month through each month
    (run-rate, parts' means, Σ p(o) x value x months earned by then / 12 at the value ratio)."""
    pipeline = pipeline_through_window(model.deals, window) * model.spread.value_ratio
    return model.base + pipeline


def pipeline_in_window(deals: Deals, window: Window) -> np.ndarray:
    """Per line: Σ p(o) x annual value x the window's months after the close month / 12 (no slip, as m(o))."""
    return pipeline_through_window(deals, window)[:, -1]


def pipeline_through_window(deals: Deals, window: Window) -> np.ndarray:
    """lines x window months: Σ p(o) x annual value x months earned from the window's first month
    through each month / 12 (no slip, as m(o)); the last column is the window's whole."""
    starts = np.maximum(deals.close_month, window.first - 1)
    earned = np.clip(window.months[None, :] - starts[:, None], 0, None).astype(float)
    return by_line((deals.p_win * deals.value)[:, None] * earned / 12.0, deals.line, deals.n_lines)


def _levels(lines: pd.DataFrame, paths: np.ndarray) -> pd.DataFrame:
    """overall, product and branch rows: the lines' parts summed, their paths' band summed run by run."""
    rows = []
    total = paths[:, :, -1] if paths.shape[2] else np.zeros(paths.shape[:2])
    for level, key in (("overall", None), ("product", "product"), ("branch", "branch")):
        groups = [(None, lines.index)] if key is None else lines.groupby(key, dropna=False).groups.items()
        for name, index in groups:
            picked = lines.loc[index]
            p10, p50, p90 = band(total[np.asarray(index)].sum(0)) if len(index) else (0.0, 0.0, 0.0)
            rows.append(
                {
                    "level": level,
                    "branch": name if key == "branch" else None,
                    "product": name if key == "product" else None,
                    "run_rate": float(picked["run_rate"].sum()),
                    "pipeline_expected": float(picked["pipeline_expected"].sum()),
                    **{name: float(picked[name].sum()) for name in (*PARTS, "parts_expected")},
                    "forecast_expected": float(picked["forecast_expected"].sum()),
                    "p10": float(p10),
                    "p50": float(p50),
                    "p90": float(p90),
                }
            )
    return pd.DataFrame(rows)


def window_forecast(ctx: Context, horizon: Horizon, through: int | None = None) -> dict:
    """A forward window's forecast: overall (parts, P10/P50/P90, budget, gap), level rows, the window.

    Not for the year-end, whose booked revenue, monthly fan and drivers come from
    yearend.year_end_forecast (the page and :func:`forecast_report` pick).  ``through``: the
    last revenue period it may read (as window_lines; the freeze passes freeze.known_through).
    """
    data_through, _ = known_months(budget_attainment(ctx, through_period=through))
    window = window_of(horizon, ctx.as_of, data_through)
    lines, paths, counts = window_lines(ctx, window, data_through, through=through)
    levels = _levels(lines, paths)
    budget, budget_note = window_budget(ctx, window)
    overall = levels[levels["level"] == "overall"].iloc[0].to_dict()
    overall.update(budget=budget, gap=None if budget is None else budget - overall["forecast_expected"])
    overall.update(expected_vs_band=expected_vs_band(overall))
    return {
        "horizon": horizon,
        "as_of": ctx.as_of,
        "data_through": data_through,
        "first_period": window.first_period,
        "last_period": window.last_period,
        "months": len(window.months),
        "overall": overall,
        "levels": levels,
        "budget_note": budget_note,
        "budget_basis": budget_basis(ctx),
        "simulation": counts,
        "backtest": backtest_health(ctx, horizon),  # its own frozen backtest once scored enough
    }


REPORT_COLUMNS = [
    "horizon",
    "first_period",
    "last_period",
    "level",
    "branch",
    "product",
    "run_rate",
    "pipeline_expected",
    *PARTS,
    "parts_expected",
    "forecast_expected",
    "p10",
    "p50",
    "p90",
    "budget",
    "gap",
]


def window_report(ctx: Context, horizon: Horizon) -> pd.DataFrame:
    """``report forecast --horizon``: a forward window's level rows (budget and gap on the overall row)."""
    result = window_forecast(ctx, horizon)
    levels = result["levels"].assign(
        horizon=horizon, first_period=result["first_period"], last_period=result["last_period"]
    )
    overall = levels["level"] == "overall"
    levels["budget"] = np.where(overall, result["overall"]["budget"], np.nan)
    levels["gap"] = np.where(overall, result["overall"]["gap"], np.nan)
    levels[["budget", "gap"]] = levels[["budget", "gap"]].astype(float)
    return levels[REPORT_COLUMNS]


def forecast_report(ctx: Context, horizon: Horizon = "year_end") -> pd.DataFrame:
    """``report forecast [--horizon H]``: the year-end's level rows (as before), or a window's."""
    if horizon == "year_end":
        return year_end_forecast(ctx)["levels"]
    return window_report(ctx, horizon)
