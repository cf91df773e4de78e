"""The parts of forecast_expected per branch x product line, and the simulation over them.

metrics.md: forecast_expected = actual_ytd + run_rate + pipeline_expected.
actual_ytd and budget_annual come from the attainment query (one definition),
run_rate from forecast_run_rate.sql, pipeline_expected from the open deals of
forecast_pipeline.sql.  A line is a branch x product: the grain of the budget,
of the revenue and of the frozen forecasts, so every level above it is a sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.context import Context, period_of
from analytics.forecast.draws import by_line
from analytics.forecast.probabilities import SlipDistribution, open_pipeline, slip_distribution
from analytics.forecast.simulate import Deals, Simulation, simulate
from analytics.metrics.attainment import budget_attainment

ONE_OFF_SLOTS = 16
"""forecast_run_rate.sql binds the one-off fee items as this many fixed parameters."""

KEYS = ["branch", "product"]


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
    simulation: Simulation
    slips: SlipDistribution


def one_off_params(items: list[str]) -> dict[str, str | None]:
    """The configured one-off fee items as the fixed parameter list the SQL expects."""
    if len(items) > ONE_OFF_SLOTS:
        raise ValueError(f"one_off_fee_items holds {len(items)} items; at most {ONE_OFF_SLOTS} are supported")
    padded = [*items, *([None] * (ONE_OFF_SLOTS - len(items)))]
    return {f"one_off_item_{i}": item for i, item in enumerate(padded)}


def run_rates(ctx: Context, through_period: int) -> pd.DataFrame:
    """One row per branch x product in scope: recurring_monthly, run_rate (metrics.md)."""
    params = one_off_params(list(ctx.settings.one_off_fee_items))
    return ctx.query("forecast_run_rate", year=ctx.as_of.year, through_period=through_period, **params)


def _lines(attainment: pd.DataFrame, rates: pd.DataFrame, deals: pd.DataFrame) -> pd.DataFrame:
    """Outer join of the three sources on branch x product; a part a line lacks is 0."""
    budget = attainment.loc[attainment["level"] == "branch_product", [*KEYS, "actual_ytd", "budget_annual"]]
    pipeline = deals.groupby(KEYS, dropna=False)["expected_revenue"].sum().rename("pipeline_expected")
    lines = budget.merge(rates[[*KEYS, "recurring_monthly", "run_rate"]], on=KEYS, how="outer")
    lines = lines.merge(pipeline.reset_index(), on=KEYS, how="outer")
    parts = ["actual_ytd", "budget_annual", "recurring_monthly", "run_rate", "pipeline_expected"]
    lines[parts] = lines[parts].astype(float).fillna(0.0)
    lines["forecast_expected"] = lines["actual_ytd"] + lines["run_rate"] + lines["pipeline_expected"]
    return lines.sort_values(KEYS, na_position="last").reset_index(drop=True)


def build_model(ctx: Context, *, through_period: int | None = None) -> ForecastModel:
    """Query the parts, join them per line and simulate the open pipeline."""
    through = through_period or period_of(ctx.as_of)
    attainment = budget_attainment(ctx, through_period=through)
    overall = attainment[attainment["level"] == "overall"]
    data_through = overall["data_through"].iloc[0] if len(overall) else None
    data_through = None if pd.isna(data_through) else int(data_through)
    deals = open_pipeline(ctx)
    lines = _lines(attainment, run_rates(ctx, through), deals)
    index = pd.MultiIndex.from_frame(lines[KEYS])
    deals["line"] = index.get_indexer(pd.MultiIndex.from_frame(deals[KEYS])) if len(deals) else []
    done = data_through % 100 if data_through else 0
    months = np.arange(done + 1, 13)
    slips = slip_distribution(ctx)
    return ForecastModel(
        year=ctx.as_of.year,
        data_through=data_through,
        lines=lines,
        deals=deals,
        months=months,
        base_through=lines["actual_ytd"].to_numpy()[:, None]
        + lines["recurring_monthly"].to_numpy()[:, None] * (months - done)[None, :],
        pipeline_through=_pipeline_through(deals, len(lines), months),
        simulation=_simulate(ctx, deals, len(lines), months, slips),
        slips=slips,
    )


def _pipeline_through(deals: pd.DataFrame, n_lines: int, months: np.ndarray) -> np.ndarray:
    """Expected pipeline revenue per line from January through each month (no slips, as m(o))."""
    if deals.empty:
        return np.zeros((n_lines, len(months)))
    earned = np.clip(months[None, :] - deals["close_month"].to_numpy()[:, None], 0, None) / 12.0
    weight = (deals["p_win"] * deals["annual_value"]).to_numpy()[:, None] * earned
    return by_line(weight, deals["line"].to_numpy(), n_lines)


def _simulate(ctx, deals: pd.DataFrame, n_lines: int, months: np.ndarray, slips) -> Simulation:
    """The Monte-Carlo of metrics.md over the open deals in scope."""
    arrays = Deals(
        p_win=deals["p_win"].to_numpy(dtype=float),
        value=deals["annual_value"].to_numpy(dtype=float),
        close_month=deals["close_month"].to_numpy(dtype=np.int64),
        line=deals["line"].to_numpy(dtype=np.int64),
        n_lines=n_lines,
    )
    settings = ctx.settings
    return simulate(
        arrays,
        slips,
        first_close=ctx.as_of.month,
        months=months,
        runs=settings.simulation_runs,
        seed=settings.simulation_seed,
    )
