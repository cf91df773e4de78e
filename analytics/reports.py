"""Named reports: the same metric functions the pages call, by name.

``python -m analytics report NAME`` and the exports go through this registry, so
a number printed on the command line is the number on the page.  Later issues
add their reports here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd

from analytics.context import Context
from analytics.forecast.bridge import forecast_change_report
from analytics.forecast.calibration import calibration_report
from analytics.forecast.frozen import forecast_backtest_report
from analytics.forecast.horizons import forecast_report
from analytics.metrics.attainment import budget_attainment, revenue_monthly
from analytics.metrics.classes import class_summary
from analytics.metrics.durations import stage_durations
from analytics.metrics.explorer import opportunity_list
from analytics.metrics.funnel import funnel, funnel_breakdown
from analytics.metrics.movement import movement_report
from analytics.metrics.overview import overview
from analytics.metrics.problems import problem_groups, problem_opportunities
from analytics.metrics.process_quality import process_quality
from analytics.metrics.team import support_waiting, team_key_deals
from analytics.metrics.workload import workload


def _overview_frame(ctx: Context) -> pd.DataFrame:
    """The home page's headline figures as one flat row."""
    data = overview(ctx)
    flat = {k: v for k, v in data.items() if not isinstance(v, dict | pd.DataFrame)}
    for section in ("attainment", "freshness"):
        flat.update({k: v for k, v in data[section].items() if k not in ("level", "branch", "product")})
    return pd.DataFrame([flat])


# Callable[..., ...]: the COMPARING reports take snapshot A as well.
REPORTS: dict[str, Callable[..., pd.DataFrame]] = {
    "overview": _overview_frame,
    "attainment": budget_attainment,
    "attainment_monthly": revenue_monthly,
    "forecast": forecast_report,
    "calibration": calibration_report,
    "forecast_backtest": forecast_backtest_report,
    "problems": problem_opportunities,
    "funnel": funnel,
    "funnel_breakdown": funnel_breakdown,
    "durations": stage_durations,
    "classes": class_summary,
    "process": process_quality,
    "problem_groups": problem_groups,
    "opportunities": opportunity_list,
    "workload": workload,
    "key_deals": team_key_deals,
    "support_waiting": support_waiting,
    "movement": movement_report,
    "forecast_change": forecast_change_report,
}
# Reports comparing two snapshots: B is the context's as_of, A is --compare-to.
COMPARING = frozenset({"movement", "forecast_change"})
# Reports over a forecast horizon (--horizon: year_end, next_quarter, next_12_months, next_year).
HORIZONED = frozenset({"forecast", "forecast_backtest"})


def run_report(
    name: str, ctx: Context, compare_to: date | None = None, horizon: str | None = None
) -> pd.DataFrame:
    """Run a named report for a viewer's context (``compare_to``: snapshot A, for the
    reports comparing two snapshots; ``horizon``: the forecast's window; the others
    ignore them)."""
    if name not in REPORTS:
        raise KeyError(f"unknown report {name!r}; known: {', '.join(sorted(REPORTS))}")
    if name in COMPARING:
        return REPORTS[name](ctx, compare_to)
    if name in HORIZONED and horizon is not None:
        return REPORTS[name](ctx, horizon)
    return REPORTS[name](ctx)
