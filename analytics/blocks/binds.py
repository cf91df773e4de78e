"""The one binder: parameters a query's fragments take that follow from the question itself.

A fragment declares what it binds (``-- binds:``); settings are bound under
their own names (``queries.settings_params``).  What is computed from the
question — a window's first day from as_of and a setting, the won stage, the
cohort from the filters — is defined here once, a function per parameter
name, and ``Context.query`` binds those the rendered query uses and its caller
did not give.  So a metric passes only what is its own (a limit, a measure, an
outcome date), never a bundle of windows copied from query to query.

A value given by the caller wins: the calibration binds the history of an
earlier as_of by asking ``derived_params`` for that question.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from statistics import NormalDist
from typing import Protocol

from analytics.blocks.periods import months_before
from analytics.blocks.probability import CALIBRATION_BUCKETS
from analytics.blocks.stages import WON_STAGE, stale_window_start
from analytics.scope import Filters
from analytics.settings import Settings

ONE_OFF_SLOTS = 16
"""How many one-off fee items the SQL's fixed parameter list holds (one_off_item_0 …)."""


class Question(Protocol):
    """What a binder reads: the day asked about, the settings and the filters (a ``Context``)."""

    @property
    def as_of(self) -> date: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def filters(self) -> Filters: ...


def cohort_window(ctx: Question) -> tuple[date, date]:
    """[start, end] of the cohort: the filters' dates, else the funnel_months up to as_of.

    The default is exactly funnel_months long (e.g. 2025-07-01 … 2026-06-30).
    """
    end = ctx.filters.end or ctx.as_of
    start = ctx.filters.start or months_before(end, ctx.settings.funnel_months) + timedelta(days=1)
    return start, end


def lookback_start(ctx: Question) -> date:
    """First day of the history p(o) learns from (probability_lookback_months before as_of)."""
    return months_before(ctx.as_of, ctx.settings.probability_lookback_months)


def cohort_dates(ctx: Question) -> int:
    """How many past dates (probability_cohort_step_days apart) fit in the look-back window:
    the SQL generates them and drops any before it."""
    step = max(ctx.settings.probability_cohort_step_days, 1)
    return (ctx.as_of - lookback_start(ctx)).days // step + 1


def one_off_items(settings: Settings) -> dict[str, str | None]:
    """The configured one-off fee items as the fixed parameter list the SQL expects."""
    items = list(settings.one_off_fee_items)
    if len(items) > ONE_OFF_SLOTS:
        raise ValueError(f"one_off_fee_items holds {len(items)} items; at most {ONE_OFF_SLOTS} are supported")
    padded = [*items, *([None] * (ONE_OFF_SLOTS - len(items)))]
    return {f"one_off_item_{i}": item for i, item in enumerate(padded)}


def _one_off(slot: int) -> Callable[[Question], str | None]:
    return lambda ctx: one_off_items(ctx.settings)[f"one_off_item_{slot}"]


BINDERS: dict[str, Callable[[Question], object]] = {
    "won_stage": lambda ctx: WON_STAGE,
    "lookback_start": lookback_start,
    "cohort_dates": cohort_dates,
    "stale_window_start": lambda ctx: stale_window_start(ctx.as_of, ctx.settings),
    "idle_since": lambda ctx: ctx.as_of - timedelta(days=ctx.settings.idle_days),
    "overdue_before": lambda ctx: ctx.as_of - timedelta(days=ctx.settings.overdue_grace_days),
    "cohort_start": lambda ctx: cohort_window(ctx)[0],
    "cohort_end": lambda ctx: cohort_window(ctx)[1],
    "workload_start": lambda ctx: ctx.as_of - timedelta(weeks=ctx.settings.workload_window_weeks),
    "trailing_start": lambda ctx: months_before(ctx.as_of, ctx.settings.trailing_months),
    "year": lambda ctx: ctx.as_of.year,
    "year_start": lambda ctx: date(ctx.as_of.year, 1, 1),
    "year_end": lambda ctx: date(ctx.as_of.year, 12, 31),
    "calibration_buckets": lambda ctx: CALIBRATION_BUCKETS,
    "interval_z": lambda ctx: NormalDist().inv_cdf(0.5 + ctx.settings.win_rate_interval_level / 2),
    **{f"one_off_item_{slot}": _one_off(slot) for slot in range(ONE_OFF_SLOTS)},
}
"""Each parameter computed from the question, by name (the name a fragment binds)."""


def derived_params(ctx: Question, names: Iterable[str]) -> dict[str, object]:
    """The values of those ``names`` this module computes (the others are left to the caller)."""
    return {name: BINDERS[name](ctx) for name in names if name in BINDERS}
