"""The director's one screen (总览): the headline figures, all from other metrics."""

from __future__ import annotations

from analytics.context import Context
from analytics.metrics.attainment import overall_attainment
from analytics.metrics.freshness import data_freshness
from analytics.metrics.pipeline import pipeline_summary
from analytics.metrics.problems import problem_opportunities


def overview(ctx: Context) -> dict:
    """Headline figures for the home page and ``report overview``."""
    problems = problem_opportunities(ctx)
    return {
        "as_of": ctx.as_of,
        **pipeline_summary(ctx),
        "problem_count": len(problems),
        "key_problem_count": int(problems["is_key"].sum()) if len(problems) else 0,
        "attainment": overall_attainment(ctx),
        "freshness": data_freshness(ctx),
    }
