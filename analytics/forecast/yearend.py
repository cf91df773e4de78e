"""The year-end forecast of metrics.md, by level, by month, and what drives it.

Levels are the attainment levels (overall, product, branch, branch_product),
each a sum of branch x product lines; their P10/P50/P90 come from summing the
simulated lines run by run (a sum of P10s is not a P10).  The band covers the
open pipeline (wins, slips, a common factor) and the run-rate's misses
(uncertainty.py); actual_ytd is known.  ``backtest`` says how the frozen
forecasts fared so far, so the page can warn when the band is not honest.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from analytics.context import Context, period_of
from analytics.forecast.components import KEYS, ForecastModel, build_model, model_lines, with_parts
from analytics.forecast.drivers import named, sensitivity, top_contributors
from analytics.forecast.frozen import backtest_health
from analytics.forecast.probabilities import deal_names, open_pipeline_by_line, stage_win_rates
from analytics.forecast.simulate import band, expected_vs_band
from analytics.metrics.attainment import (
    budget_attainment,
    budget_basis,
    revenue_ignored_filters,
    revenue_monthly,
)

SUMMED = ["actual_ytd", "run_rate", "pipeline_expected", "forecast_expected", "budget_annual"]
SUMMED += ["drift", "one_off", "won_not_billed", "new_business", "parts_expected"]  # components.with_parts


def _levels(lines: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Level rows (as budget_attainment) and their membership matrix over lines."""
    frames, members = [], []
    for level, keys in (
        ("overall", []),
        ("product", ["product"]),
        ("branch", ["branch"]),
        ("branch_product", KEYS),
    ):
        tagged = lines.assign(_line=np.arange(len(lines)))
        groups = tagged.groupby(keys, dropna=False) if keys else [((), tagged)]
        for key, group in groups:
            row = {"level": level, "branch": None, "product": None, **group[SUMMED].sum().to_dict()}
            row.update(dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True)))
            frames.append(row)
            members.append(np.isin(np.arange(len(lines)), group["_line"]))
    return pd.DataFrame(frames), np.array(members, dtype=float).reshape(len(frames), len(lines))


def new_pipeline_basis(ctx: Context) -> dict:
    """Stage-1 win rate, median cycle and the months a stage-1 deal opened today would earn this year."""
    rates = stage_win_rates(ctx).set_index("stage")
    rate = rates["stage_rate"].get(1)
    cycle = rates["median_cycle_days"].iloc[0] if len(rates) else None
    basis: dict[str, object] = {
        "stage1_win_rate": None if pd.isna(rate) else float(rate),
        "median_cycle_days": None,
    }
    basis.update({"new_deal_close_date": None, "new_deal_months": 0})
    if cycle is not None and not pd.isna(cycle):
        closes = ctx.as_of + timedelta(days=round(float(cycle)))
        months = 12 - closes.month if closes.year == ctx.as_of.year else 0
        basis.update(median_cycle_days=float(cycle), new_deal_close_date=closes, new_deal_months=months)
    return basis


def _needed(gap: pd.Series, basis: dict) -> pd.Series:
    """new_pipeline_needed: stage-1 value expected to earn the gap this year; null when it cannot."""
    per_value = (basis["stage1_win_rate"] or 0.0) * basis["new_deal_months"] / 12.0
    if per_value <= 0:
        return pd.Series(np.nan, index=gap.index)
    return (gap.clip(lower=0) / per_value).where(gap.notna())


def needed_note(overall: dict, basis: dict) -> str:
    """Why new_pipeline_needed is what it is: no_budget, no_gap, no_history, too_late or needed."""
    if pd.isna(overall["budget_annual"]) or not overall["budget_annual"]:
        return "no_budget"
    if overall["gap"] <= 0:
        return "no_gap"
    if basis["stage1_win_rate"] is None or basis["median_cycle_days"] is None:
        return "no_history"
    return "too_late" if basis["new_deal_months"] == 0 else "needed"


def _with_band(levels: pd.DataFrame, members: np.ndarray, model: ForecastModel) -> pd.DataFrame:
    """Add p10/p50/p90 of each level's year-end revenue (its lines summed run by run)."""
    known = (levels["actual_ytd"] + levels["run_rate"] + levels["parts_expected"]).to_numpy()
    paths = model.simulation.paths
    year_end = paths[:, :, -1] if paths.shape[2] else np.zeros(paths.shape[:2])
    p10, p50, p90 = band(members @ year_end, axis=1) if len(levels) else ([], [], [])
    return levels.assign(p10=known + p10, p50=known + p50, p90=known + p90)


def _denominators(ctx: Context, levels: pd.DataFrame) -> pd.DataFrame:
    """budget_annual per level on the basis the selection allows (analytics.metrics.attainment).

    The lines carry the budget, which only follows branch and product; when a
    team or owner is selected the selected managers' targets (overall and per
    branch) replace it, or nothing does, so no gap is measured against a
    budget wider than the revenue forecast.
    """
    basis = budget_basis(ctx)
    levels = levels.assign(budget_basis=basis)
    if basis == "budget":
        return levels
    keys = ["level", "branch", "product"]
    denominators = budget_attainment(ctx)[[*keys, "budget_annual"]]
    return levels.drop(columns="budget_annual").merge(denominators, on=keys, how="left")


def forecast_levels(ctx: Context, model: ForecastModel, basis: dict) -> pd.DataFrame:
    """One row per level: the metrics.md fields of the year-end forecast."""
    levels, members = _levels(model.lines)
    levels = _denominators(ctx, _with_band(levels, members, model))
    levels["gap"] = (levels["budget_annual"] - levels["forecast_expected"]).where(levels["budget_annual"] > 0)
    levels["new_pipeline_needed"] = _needed(levels["gap"], basis)
    levels["data_through"] = model.data_through
    return levels


def forecast_months(ctx: Context, model: ForecastModel) -> pd.DataFrame:
    """One row per month of Y: actual and budget cumulative, forecast expected and its band after P."""
    monthly = revenue_monthly(ctx, through_period=model.data_through or None)
    frame = monthly[["month", "actual_cumulative", "budget_cumulative"]].copy()
    total = model.base_through.sum(0) + model.pipeline_through.sum(0)
    known = model.base_through.sum(0)
    p10, p50, p90 = band(model.simulation.paths.sum(0), axis=0)
    ahead = pd.DataFrame(
        {
            "month": model.months,
            "expected_cumulative": total,
            "p10": known + p10,
            "p50": known + p50,
            "p90": known + p90,
        }
    )
    return frame.merge(ahead, on="month", how="left")


def year_end_forecast(ctx: Context) -> dict:
    """The whole forecast page: levels, months, top contributors, sensitivity, basis, diagnostics."""
    model = build_model(ctx)
    basis = new_pipeline_basis(ctx)
    levels = forecast_levels(ctx, model, basis)
    overall = levels[levels["level"] == "overall"].iloc[0].to_dict()
    basis["note"] = needed_note(overall, basis)
    overall["expected_vs_band"] = expected_vs_band(overall)
    sim = model.simulation
    contributors = top_contributors(model, ctx.settings.forecast_top_deals)
    losses = sensitivity(model, overall, ctx.settings.forecast_top_deals)
    names = deal_names(ctx, sorted({*contributors["opportunity_id"], *losses["opportunity_id"]}))
    return {
        "as_of": ctx.as_of,
        "year": model.year,
        "data_through": model.data_through,
        "overall": overall,
        "levels": levels,
        "months": forecast_months(ctx, model),
        "contributors": named(contributors, names),
        "sensitivity": named(losses, names),
        "basis": basis,
        "simulation": {
            "runs": sim.paths.shape[1],
            "exact_deals": sim.exact_deals,
            "normal_deals": sim.normal_deals,
            "exact_variance_share": sim.exact_variance_share,
            "slip_deals": model.slips.deals,
            "simulated_mean": overall["actual_ytd"]
            + overall["run_rate"]
            + overall["parts_expected"]
            + (float(sim.expected[:, -1].sum()) if len(sim.months) else 0.0),
        },
        "ignored_filters": revenue_ignored_filters(ctx),
        "backtest": backtest_health(ctx),
    }


def year_end_expected(ctx: Context) -> float:
    """The company's (scope's) year-end forecast_expected, as year_end_forecast's overall row
    has it, without the simulation, the drivers or the backtest: what 预测校准 shows beside
    the frozen forecasts (issue 19: at 1 M the whole year-end forecast cost 0.6 s there, its
    Monte-Carlo most of it, for this one expected figure, which no draw changes)."""
    _, months, lines, _, spread = model_lines(ctx, period_of(ctx.as_of), open_pipeline_by_line)
    return float(with_parts(lines, spread, months)[SUMMED].sum()["forecast_expected"])


def forecast_report(ctx: Context) -> pd.DataFrame:
    """``report forecast``: the level rows of the year-end forecast."""
    return year_end_forecast(ctx)["levels"]
