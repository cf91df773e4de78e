"""The director's one screen (总览): the headline figures, all from other metrics."""

from __future__ import annotations

from analytics.context import Context
from analytics.metrics.attainment import overall_attainment
from analytics.metrics.freshness import data_freshness
from analytics.metrics.pipeline import pipeline_summary
from analytics.metrics.problems import problem_groups


def _number(value) -> float | None:
    """A figure of a frame, or None when missing (no open deal: the share has no denominator)."""
    return None if value is None or value != value else float(value)


def overview(ctx: Context) -> dict:
    """Headline figures for the home page and ``report overview``."""
    groups = problem_groups(ctx)
    total = groups[groups["level"] == "total"]
    return {
        "as_of": ctx.as_of,
        **pipeline_summary(ctx),
        "problem_count": int(total["problem_count"].sum()),
        "key_problem_count": int(total["key_problem_count"].sum()),
        # The share of open deals flagged: whether the problem list is short enough to act on.
        "problem_share": None if total.empty else _number(total["problem_share"].iloc[0]),
        "attainment": overall_attainment(ctx),
        "freshness": data_freshness(ctx),
    }
