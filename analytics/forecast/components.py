"""The parts of forecast_expected per branch x product line, and the simulation over them.

metrics.md: forecast_expected = actual_ytd + run_rate + pipeline_expected + parts_expected.
actual_ytd and budget_annual come from the attainment query (one definition),
run_rate from forecast_run_rate.sql, pipeline_expected from the open deals of
forecast_pipeline.sql (times the won value / pipeline value ratio), and
parts_expected from growth.py: the drift of existing business, deals won but not
billed yet, and business not yet created.  A line is a branch x product: the grain of the budget,
of the revenue and of the frozen forecasts, so every level above it is a sum.
The frozen forecast (freeze.py) builds its figures from the same parts here,
with the open pipeline summed by the warehouse instead of one row per deal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from analytics.blocks.periods import months_before
from analytics.context import Context, period_of
from analytics.forecast import kept
from analytics.forecast.draws import by_line
from analytics.forecast.growth import (
    PARTS,
    Window,
    drift,
    new_business,
    one_off,
    value_ratio,
    won_not_billed,
)
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
    return kept.revenue(ctx).query("forecast_run_rate", through_period=through_period)


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


def base_through(lines: pd.DataFrame, months: np.ndarray, spread: Spread | None = None) -> np.ndarray:
    """lines x months: actual_ytd plus a run-rate month for each month not loaded, up to each month,
    plus the means of ``spread``'s growth parts (growth.py) when given.

    ``months`` are those after the last loaded one (known_months), so the i-th earns i run-rate months.
    """
    elapsed = np.arange(1, len(months) + 1)
    base = lines["actual_ytd"].to_numpy()[:, None] + lines["recurring_monthly"].to_numpy()[:, None] * elapsed
    if spread is None:
        return base
    return base + spread.parts_mean(len(lines), len(months))


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
        stage=deals["stage"].to_numpy(dtype=np.int64) if "stage" in deals else None,
    )


def pipeline_through(rows: Sums, n_lines: int, months: np.ndarray, ratio: float = 1.0) -> np.ndarray:
    """Expected pipeline revenue per line from January through each month (no slips, as m(o)),
    at ``ratio`` times the pipeline's values (the won value / pipeline value ratio)."""
    earned = np.clip(months[None, :] - rows.close_month[:, None], 0, None) / 12.0
    return by_line(rows.pv[:, None] * earned, rows.line, n_lines) * ratio


def window_of(ctx: Context, months: np.ndarray, last_loaded: int | None = None) -> Window:
    """The forecast window of ``months`` (months from January of as_of's year; 13 = next January).

    The year-end forecast's months follow the last loaded one (known_months), the
    default; a window that starts later (next quarter, next year) gives ``last_loaded``.
    """
    months = np.asarray(months, dtype=np.int64)
    if last_loaded is None:
        last_loaded = int(months[0]) - 1 if len(months) else 12
    return Window(ctx.as_of.year, last_loaded, months, ctx.as_of)


def growth_parts(
    ctx: Context,
    lines: pd.DataFrame,
    through_period: int,
    months: np.ndarray,
    revenue: pd.DataFrame,
    last_loaded: int | None = None,
) -> dict:
    """growth.py's parts per line x month of the window, each from its query
    (``revenue``: forecast_run_rate_history's rows, already asked for the run-rate's misses)."""
    window = window_of(ctx, months, last_loaded)
    wanted = set(ctx.settings.forecast_parts)
    if not wanted:
        return {}
    history = kept.revenue(ctx).query("forecast_book_history", through_period=through_period)
    ends = ctx.query("forecast_contract_ends", through_period=through_period)
    wins = ctx.query("forecast_recent_wins", through_period=through_period)
    won = ctx.query("forecast_new_business")
    creations = ctx.query("forecast_creations")
    start = history_start(ctx)
    first = (start.year - ctx.as_of.year) * 12 + start.month
    parts = {
        "drift": drift(history, ends, lines, window, ctx.settings.run_rate_months),
        "one_off": one_off(revenue, lines, window),
        "won_not_billed": won_not_billed(wins, lines, window),
        "new_business": new_business(won, creations, lines, window, first),
    }
    return {name: part for name, part in parts.items() if name in wanted}


def history_start(ctx: Context):
    """The first full month of the look-back window the new business is learnt from."""
    start = months_before(ctx.as_of, ctx.settings.probability_lookback_months)
    return start if start.day == 1 else date(start.year + start.month // 12, start.month % 12 + 1, 1)


def with_parts(lines: pd.DataFrame, spread: Spread, months: np.ndarray) -> pd.DataFrame:
    """``lines`` with each growth part's expected revenue by the window's end, the pipeline at the
    value ratio, and forecast_expected including them (the page's and report's rows)."""
    out = lines.copy()
    out["pipeline_expected"] = out["pipeline_expected"] * spread.value_ratio
    for name in PARTS:
        part = spread.parts.get(name)
        out[name] = part.mean[:, -1] if part is not None and len(months) else 0.0
    out["parts_expected"] = out[list(PARTS)].sum(axis=1)
    out["forecast_expected"] = (
        out["actual_ytd"] + out["run_rate"] + out["pipeline_expected"] + out["parts_expected"]
    )
    return out


def spread_of(
    ctx: Context,
    lines: pd.DataFrame,
    through_period: int,
    window_months: np.ndarray | None = None,
    last_loaded: int | None = None,
) -> Spread:
    """The band's run-rate noise per line and common factor, from this company's history,
    and, given the window's ``months``, growth.py's parts and the won value / pipeline value ratio.

    Run-rate misses per line follow the viewer's lines (their scope); the common
    factor and the value ratio, like p(o), are learnt company-wide.
    """
    history = kept.revenue(ctx).query("forecast_run_rate_history", through_period=through_period)
    months = ctx.settings.run_rate_months
    monthly = ctx.query("forecast_win_dispersion")
    parts = (
        {}
        if window_months is None
        else growth_parts(ctx, lines, through_period, window_months, history, last_loaded)
    )
    centred = "drift" in parts and "one_off" in parts  # they are the misses' mean: the rest is noise
    sigma = run_rate_sigma(history, lines, months, centred)
    correlation = run_rate_correlation(history, sigma, months, centred)
    spread = Spread(sigma, months, factor_sigma(monthly), correlation)
    if window_months is None:
        return spread
    won = kept.state(ctx, kept.WON_SUMS).query("forecast_value_ratio")
    ratio = value_ratio(won, ctx.settings.value_ratio_min_deals)
    return replace(spread, parts=parts, value_ratio=ratio)


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
    paths = widen(result.paths, spread, seed)
    return replace(result, paths=paths, expected=result.expected * spread.value_ratio)


def model_lines(
    ctx: Context, through: int, pipeline: Callable[[Context], pd.DataFrame] = open_pipeline
) -> tuple[int | None, np.ndarray, pd.DataFrame, pd.DataFrame, Spread]:
    """What the year-end's expected figures are read from, without the simulation: the last
    period loaded, the months after it, the lines (before :func:`with_parts`), the open
    deals (``pipeline``'s rows: open_pipeline's, one per deal, for the simulation; or
    open_pipeline_by_line's sums where no draw is made) and the spread with the growth
    parts and value ratio."""
    attainment = budget_attainment(ctx, through_period=through)
    data_through, months = known_months(attainment)
    deals = pipeline(ctx)
    lines = lines_of(attainment, run_rates(ctx, through), deals)
    return data_through, months, lines, deals, spread_of(ctx, lines, through, months)


def build_model(ctx: Context, *, through_period: int | None = None) -> ForecastModel:
    """Query the parts, join them per line and simulate the open pipeline."""
    through = through_period or period_of(ctx.as_of)
    data_through, months, lines, deals, spread = model_lines(ctx, through)
    deals = on_lines(deals, lines)
    arrays = deal_arrays(deals, len(lines))
    slips = slip_distribution(ctx)
    return ForecastModel(
        year=ctx.as_of.year,
        data_through=data_through,
        lines=with_parts(lines, spread, months),
        deals=deals,
        months=months,
        base_through=base_through(lines, months, spread),
        pipeline_through=pipeline_through(Sums.of(arrays), len(lines), months, spread.value_ratio),
        simulation=simulation(ctx, arrays, slips, months, spread=spread),
        slips=slips,
        spread=spread,
    )
