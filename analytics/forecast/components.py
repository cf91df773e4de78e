"""The parts of forecast_expected per branch x product line, and the simulation over them.

metrics.md: forecast_expected = actual_ytd + run_rate + pipeline_expected.
actual_ytd and budget_annual come from the attainment query (one definition),
run_rate from forecast_run_rate.sql, pipeline_expected from the open deals of
forecast_pipeline.sql.  A line is a branch x product: the grain of the budget,
of the revenue and of the frozen forecasts, so every level above it is a sum.
The frozen forecast (freeze.py) builds its figures from the same parts here,
with the open pipeline summed by the warehouse instead of one row per deal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analytics.context import Context, period_of
from analytics.forecast.draws import by_line
from analytics.forecast.probabilities import (
    SlipDistribution,
    open_pipeline,
    slip_distribution,
)
from analytics.forecast.simulate import Deals, Simulation, Sums, simulate
from analytics.forecast.uncertainty import (
    Spread,
    factor_sigma,
    run_rate_correlation,
    run_rate_sigma,
    widen,
)
from analytics.metrics.attainment import budget_attainment

KEYS = ["branch", "product"]

SPREAD_STREAM = 16
"""Appended to the simulation seed for the band's extra parts: a stream apart from the pipeline draws."""


@dataclass(frozen=True)
class ForecastModel:
    """Everything the forecast figures are read from, for one viewer's context."""

    year: int
    data_through: int | None
    lines: pd.DataFrame  # one row per branch x product: the parts of forecast_expected
    deals: pd.DataFrame  # open deals in scope with p(o), m(o), expected_revenue and their line
    months: np.ndarray  # the months not loaded yet: P+1 .. 12
    base_through: np.ndarray  # lines x months: actual_ytd + run-rate months up to each month
    pipeline_through: np.ndarray  # lines x months: Σ p(o) x value x months earned by then / 12
    simulation: Simulation  # paths: the pipeline draws widened by ``spread`` (uncertainty.py)
    slips: SlipDistribution
    spread: Spread


def run_rates(ctx: Context, through_period: int) -> pd.DataFrame:
    """One row per branch x product in scope: recurring_monthly, run_rate (metrics.md)."""
    return ctx.query("forecast_run_rate", through_period=through_period)


def lines_of(attainment: pd.DataFrame, rates: pd.DataFrame, pipeline: pd.DataFrame) -> pd.DataFrame:
    """Outer join of the three sources on branch x product; a part a line lacks is 0.

    ``pipeline`` holds rows with branch, product and expected_revenue: one per deal,
    or sums over deals (the frozen forecast); either way they add up per line.
    """
    budget = attainment.loc[attainment["level"] == "branch_product", [*KEYS, "actual_ytd", "budget_annual"]]
    expected = pipeline.groupby(KEYS, dropna=False)["expected_revenue"].sum().rename("pipeline_expected")
    lines = budget.merge(rates[[*KEYS, "recurring_monthly", "run_rate"]], on=KEYS, how="outer")
    lines = lines.merge(expected.reset_index(), on=KEYS, how="outer")
    parts = ["actual_ytd", "budget_annual", "recurring_monthly", "run_rate", "pipeline_expected"]
    lines[parts] = lines[parts].astype(float).fillna(0.0)
    lines["forecast_expected"] = lines["actual_ytd"] + lines["run_rate"] + lines["pipeline_expected"]
    return lines.sort_values(KEYS, na_position="last").reset_index(drop=True)


def known_months(attainment: pd.DataFrame) -> tuple[int | None, np.ndarray]:
    """The last revenue period loaded (YYYYMM, or None) and the months of the year after it."""
    overall = attainment[attainment["level"] == "overall"]
    raw = overall["data_through"].iloc[0] if len(overall) else None
    data_through = None if raw is None or pd.isna(raw) else int(raw)
    done = data_through % 100 if data_through else 0
    return data_through, np.arange(done + 1, 13)


def base_through(lines: pd.DataFrame, months: np.ndarray) -> np.ndarray:
    """lines x months: actual_ytd plus a run-rate month for each month not loaded, up to each month.

    ``months`` are those after the last loaded one (known_months), so the i-th earns i run-rate months.
    """
    elapsed = np.arange(1, len(months) + 1)
    return lines["actual_ytd"].to_numpy()[:, None] + lines["recurring_monthly"].to_numpy()[:, None] * elapsed


def on_lines(frame: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the column line: the place of its branch x product in ``lines``."""
    index = pd.MultiIndex.from_frame(lines[KEYS])
    found = index.get_indexer(pd.MultiIndex.from_frame(frame[KEYS])) if len(frame) else []
    return frame.assign(line=np.asarray(found, dtype=np.int64))


def deal_arrays(deals: pd.DataFrame, n_lines: int) -> Deals:
    """Deals placed on lines (on_lines) as the simulation's arrays, in the frame's order."""
    return Deals(
        p_win=deals["p_win"].to_numpy(dtype=float),
        value=deals["annual_value"].to_numpy(dtype=float),
        close_month=deals["close_month"].to_numpy(dtype=np.int64),
        line=deals["line"].to_numpy(dtype=np.int64),
        n_lines=n_lines,
    )


def pipeline_through(rows: Sums, n_lines: int, months: np.ndarray) -> np.ndarray:
    """Expected pipeline revenue per line from January through each month (no slips, as m(o))."""
    earned = np.clip(months[None, :] - rows.close_month[:, None], 0, None) / 12.0
    return by_line(rows.pv[:, None] * earned, rows.line, n_lines)


def spread_of(ctx: Context, lines: pd.DataFrame, through_period: int) -> Spread:
    """The band's run-rate noise per line and common factor, from this company's history.

    Run-rate misses per line follow the viewer's lines (their scope); the common
    factor, like p(o), is learnt company-wide.
    """
    history = ctx.query("forecast_run_rate_history", through_period=through_period)
    months = ctx.settings.run_rate_months
    monthly = ctx.query("forecast_win_dispersion")
    sigma = run_rate_sigma(history, lines, months)
    correlation = run_rate_correlation(history, sigma, months)
    return Spread(sigma, months, factor_sigma(monthly), correlation)


def simulation(
    ctx: Context,
    deals: Deals,
    slips: SlipDistribution,
    months: np.ndarray,
    summed: Sums | None = None,
    spread: Spread | None = None,
) -> Simulation:
    """The Monte-Carlo of metrics.md with this context's settings (simulate.simulate: ``summed``).

    The pipeline's draws are then widened by ``spread`` (uncertainty.widen) from a
    stream of its own, so the live page and the frozen forecast, which both call
    this, get the same band.
    """
    settings = ctx.settings
    result = simulate(
        deals,
        slips,
        first_close=ctx.as_of.month,
        months=months,
        runs=settings.simulation_runs,
        seed=settings.simulation_seed,
        summed=summed,
    )
    if spread is None:
        return result
    seed = np.random.SeedSequence([settings.simulation_seed, SPREAD_STREAM])
    return replace(result, paths=widen(result.paths, spread, seed))


def build_model(ctx: Context, *, through_period: int | None = None) -> ForecastModel:
    """Query the parts, join them per line and simulate the open pipeline."""
    through = through_period or period_of(ctx.as_of)
    attainment = budget_attainment(ctx, through_period=through)
    data_through, months = known_months(attainment)
    deals = open_pipeline(ctx)
    lines = lines_of(attainment, run_rates(ctx, through), deals)
    deals = on_lines(deals, lines)
    arrays = deal_arrays(deals, len(lines))
    slips = slip_distribution(ctx)
    spread = spread_of(ctx, lines, through)
    return ForecastModel(
        year=ctx.as_of.year,
        data_through=data_through,
        lines=lines,
        deals=deals,
        months=months,
        base_through=base_through(lines, months),
        pipeline_through=pipeline_through(Sums.of(arrays), len(lines), months),
        simulation=simulation(ctx, arrays, slips, months, spread=spread),
        slips=slips,
        spread=spread,
    )
