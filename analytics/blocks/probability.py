"""The parameters of the win probability p(o), shared by the forecast and the workload.

p(o) is one SQL definition (``_win_rates.sql``, ``_win_probability.sql``)
included by the forecast's queries and by the workload coverage and key-deal
queries; its per-deal query lives here, below both ``metrics`` and
``forecast``, so a metric never imports the forecast to get it.  Its bound
parameters (look-back start, cohort dates, won stage) are computed from the
question by ``blocks.binds``, like every query's.

The functions take any object with ``as_of``, ``settings`` and ``query`` (an
:class:`analytics.context.Context` in practice): this layer sits below the
context and must not import it.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

import pandas as pd

from analytics.settings import Settings

CALIBRATION_BUCKETS = 10
"""The calibration's reliability buckets: of equal width over [0, 1] (0-10%, 10-20%, ... 90-100%);
bound as calibration_buckets, so the backtest's live query and its derived sums bucket alike."""


class Asker(Protocol):
    """What these helpers read from a viewer's question (a ``Context``)."""

    @property
    def as_of(self) -> date: ...

    @property
    def settings(self) -> Settings: ...

    def query(self, name: str, **params: object) -> pd.DataFrame: ...


def win_probabilities(ctx: Asker) -> pd.DataFrame:
    """One row per open opportunity in scope: p_win, stage_rate and their counts."""
    return ctx.query("win_probability")
