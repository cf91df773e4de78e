"""The director's one screen (总览): the headline figures, all from other metrics."""

from __future__ import annotations

from analytics.context import Context
from analytics.metrics.attainment import budget_attainment, overall_row
from analytics.metrics.freshness import data_freshness
from analytics.metrics.pipeline import pipeline_summary
from analytics.metrics.problems import problem_groups


def _number(value) -> float | None:
    """A figure of a frame, or None when missing (no open deal: the share has no denominator)."""
    return None if value is None or value != value else float(value)


def overview(ctx: Context) -> dict:
    """Headline figures for the home page and ``report overview``.

    ``attainment_levels`` is budget_attainment's frame (every level), the overall row of
    which is ``attainment``: the home page charts the branch and product rows from it
    rather than asking the warehouse for the same frame again.
    """
    groups = problem_groups(ctx)
    total = groups[groups["level"] == "total"]
    levels = budget_attainment(ctx)
    return {
        "as_of": ctx.as_of,
        **pipeline_summary(ctx),
        "problem_count": int(total["problem_count"].sum()),
        "key_problem_count": int(total["key_problem_count"].sum()),
        # The share of open deals flagged: whether the problem list is short enough to act on.
        "problem_share": None if total.empty else _number(total["problem_share"].iloc[0]),
        "attainment": overall_row(levels),
        "attainment_levels": levels,
        "freshness": data_freshness(ctx),
    }
