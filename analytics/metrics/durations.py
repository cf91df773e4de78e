"""Stage durations (metrics.md, Stage duration): how long each stage takes.

Stints come from the ``_stage_stints.sql`` fragment; the stale threshold of a
stage is company-wide (like the key set, staleness must not change with who is
looking), while medians and p90s shown are those of the viewer's scope and
filters.  The window of stint ends is always the stale window (the
stale_window_days up to as_of); a created-from/to period in the filters narrows
the opportunities, as everywhere.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from analytics.blocks.stages import stale_window_start
from analytics.context import Context
from analytics.metrics.revenue_sums import with_swap
from analytics.queries import Swap
from analytics.scope import Filters

KEPT_HISTOGRAM: Swap = (("duration_ended", "duration_ended_cached"),)
"""The ended stints' histogram and its stand-in over cache_duration_histogram."""


def durations_window(ctx: Context) -> tuple[date, date]:
    """[first, last] day a counted stint ended: the stale window, (stale_window_start, as_of]."""
    return stale_window_start(ctx.as_of, ctx.settings) + timedelta(days=1), ctx.as_of


def kept_histogram(ctx: Context) -> Context:
    """``ctx`` reading the ended stints' histogram kept at load when it answers the question:
    the whole company with no filter (issue 19: the director's view otherwise joins every
    stint of the window, 1.4 M at 1 M opportunities, to the opportunities on each view).
    A narrower scope or a filter needs the opportunities' columns, so it counts its stints."""
    if ctx.scope.level == "company" and ctx.filters == Filters():
        return with_swap(ctx, KEPT_HISTOGRAM)
    return ctx


def stage_durations(ctx: Context) -> pd.DataFrame:
    """One row per stage: median_days, p90_days, stale_days, open_stints and their ages."""
    return kept_histogram(ctx).query("stage_durations")


def stage_durations_trend(ctx: Context) -> pd.DataFrame:
    """One row per month × stage: ended_stints, median_days, p90_days."""
    return kept_histogram(ctx).query("stage_durations_trend")


def longest_open_stints(ctx: Context) -> pd.DataFrame:
    """Per stage, the open deals sitting longest, with age, threshold and stale flag."""
    return ctx.query("longest_open_stints")
