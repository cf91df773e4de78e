"""What each page computes: the analytics calls it passes to ``ui.data.compute``, declared once.

A page takes its functions from here (``calls = PAGE_CALLS["home"]``, then
``data.compute(calls.overview, ctx)``), and the benchmarks that time a page run
the same list, so a bench cannot go on timing queries a page no longer sends
(bench_home replayed ``problem_opportunities`` long after the home page had
moved to ``problem_groups``).  ``tests/test_architecture.py`` checks that every
``data.compute`` in ``pages/`` goes through the page's own calls and that each
declared call is made.  The sidebar's calls (snapshot dates, filter options)
are every page's and live in ``SIDEBAR_CALLS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from analytics.forecast.bridge import forecast_change, pipeline_change
from analytics.forecast.calibration import calibration
from analytics.forecast.horizons import lead_horizon, window_forecast
from analytics.forecast.yearend import year_end_expected, year_end_forecast
from analytics.metrics.attainment import budget_attainment, revenue_ignored_filters, revenue_monthly
from analytics.metrics.durations import longest_open_stints, stage_durations, stage_durations_trend
from analytics.metrics.explorer import opportunity_list, opportunity_list_counts
from analytics.metrics.freshness import data_freshness
from analytics.metrics.funnel import funnel, funnel_breakdown
from analytics.metrics.movement import (
    movement,
    movement_key_deals,
    movement_list,
    movement_trend,
    pair_or_none,
    snapshots_held,
)
from analytics.metrics.my_pipeline import my_deals, my_pipeline
from analytics.metrics.options import filter_options, snapshot_dates
from analytics.metrics.overview import overview
from analytics.metrics.problems import problem_groups, top_problem_opportunities
from analytics.metrics.process_quality import process_quality
from analytics.metrics.team import support_on_closed_deals, support_waiting, team_key_deals
from analytics.metrics.workload import (
    RANKING_MEASURES,
    workload,
    workload_people,
    workload_ranking,
    workload_teams,
)


@dataclass(frozen=True)
class PageCalls:
    """A page's analytics functions, in the order it calls them; each also by its name."""

    functions: tuple[Callable, ...]

    def __getattr__(self, name: str) -> Callable:
        for function in self.functions:
            if function.__name__ == name:
                return function
        raise AttributeError(f"{name} is not among this page's declared calls (analytics/pages.py)")

    def __iter__(self) -> Iterator[Callable]:
        return iter(self.functions)

    def names(self) -> list[str]:
        return [function.__name__ for function in self.functions]


def _calls(*functions: Callable) -> PageCalls:
    return PageCalls(functions)


PAGE_CALLS: dict[str, PageCalls] = {
    "home": _calls(overview, top_problem_opportunities),
    "attainment": _calls(data_freshness, budget_attainment, revenue_ignored_filters, revenue_monthly),
    "forecast": _calls(data_freshness, lead_horizon, window_forecast, year_end_forecast),
    "calibration": _calls(data_freshness, calibration, year_end_expected),
    "funnel": _calls(data_freshness, funnel, funnel_breakdown),
    "durations": _calls(data_freshness, stage_durations, stage_durations_trend, longest_open_stints),
    "explorer": _calls(data_freshness, opportunity_list_counts, opportunity_list),
    "problems": _calls(data_freshness, top_problem_opportunities, problem_groups),
    "process": _calls(data_freshness, process_quality),
    "workload": _calls(data_freshness, workload, workload_ranking),
    "team": _calls(
        data_freshness,
        workload_teams,
        workload,
        team_key_deals,
        top_problem_opportunities,
        support_waiting,
        support_on_closed_deals,
    ),
    "my_pipeline": _calls(data_freshness, workload_people, my_pipeline, my_deals),
    "weekly": _calls(
        data_freshness,
        snapshots_held,
        pair_or_none,
        movement,
        movement_list,
        movement_key_deals,
        movement_trend,
        forecast_change,
        pipeline_change,
    ),
}

CALL_ARGUMENTS: dict[str, tuple] = {"workload_ranking": (RANKING_MEASURES[0],)}
"""The arguments a page passes to a call beyond the context, on first view (its widgets'
defaults): what a benchmark replaying the page's calls passes too."""

"""Keyed by the page's file name in ``pages/`` (pages that compute nothing are absent)."""

SIDEBAR_CALLS = _calls(snapshot_dates, filter_options)
"""What ``ui.filters`` computes on every page that has the sidebar filters."""
