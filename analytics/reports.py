"""Named reports: the same metric functions the pages call, by name.

``python -m analytics report NAME`` and the exports go through this registry, so
a number printed on the command line is the number on the page.  Later issues
add their reports here.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analytics.context import Context
from analytics.metrics.attainment import budget_attainment
from analytics.metrics.overview import overview
from analytics.metrics.problems import problem_opportunities


def _overview_frame(ctx: Context) -> pd.DataFrame:
    """The home page's headline figures as one flat row."""
    data = overview(ctx)
    flat = {k: v for k, v in data.items() if not isinstance(v, dict)}
    for section in ("attainment", "freshness"):
        flat.update({k: v for k, v in data[section].items() if k not in ("level", "branch", "product")})
    return pd.DataFrame([flat])


REPORTS: dict[str, Callable[[Context], pd.DataFrame]] = {
    "overview": _overview_frame,
    "attainment": budget_attainment,
    "problems": problem_opportunities,
}


def run_report(name: str, ctx: Context) -> pd.DataFrame:
    """Run a named report for a viewer's context."""
    if name not in REPORTS:
        raise KeyError(f"unknown report {name!r}; known: {', '.join(sorted(REPORTS))}")
    return REPORTS[name](ctx)
