"""The parameters of the win probability p(o), shared by the forecast and the workload.

p(o) is one SQL definition (``_win_rates.sql``, ``_win_probability.sql``)
included by the forecast's queries and by the workload coverage and key-deal
queries; its bound parameters live here, below both ``metrics`` and
``forecast``, so a metric never imports the forecast to get them.

The functions take any object with ``as_of``, ``settings`` and ``query`` (an
:class:`analytics.context.Context` in practice): this layer sits below the
context and must not import it.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

import pandas as pd

from analytics.blocks.periods import months_before
from analytics.blocks.stages import stage_params
from analytics.settings import Settings


class Asker(Protocol):
    """What these helpers read from a viewer's question (a ``Context``)."""

    @property
    def as_of(self) -> date: ...

    @property
    def settings(self) -> Settings: ...

    def query(self, name: str, **params: object) -> pd.DataFrame: ...


def history_params(ctx: Asker) -> dict[str, object]:
    """Bound parameters of every history-learning query: look-back start, won stage, cohort dates.

    cohort_dates is how many past dates (probability_cohort_step_days apart) fit
    in the look-back window: the SQL generates them and drops any before it.
    """
    settings = ctx.settings
    lookback_start = months_before(ctx.as_of, settings.probability_lookback_months)
    cohort_dates = (ctx.as_of - lookback_start).days // max(settings.probability_cohort_step_days, 1) + 1
    return {"lookback_start": lookback_start, "cohort_dates": cohort_dates, **stage_params()}


def win_probabilities(ctx: Asker) -> pd.DataFrame:
    """One row per open opportunity in scope: p_win, stage_rate and their counts."""
    return ctx.query("win_probability", **history_params(ctx))
