"""Open pipeline, key opportunities and trailing win rate for the home page."""

from __future__ import annotations

from analytics.context import Context, months_before


def pipeline_summary(ctx: Context) -> dict:
    """open_count, open_value, key_open_count, won_count, closed_count, win_rate."""
    trailing_start = months_before(ctx.as_of, ctx.settings.trailing_months)
    frame = ctx.query("pipeline_summary", trailing_start=trailing_start)
    return frame.to_dict("records")[0]
