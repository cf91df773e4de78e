"""What a viewer can choose in the shared filters, from their own scope."""

from __future__ import annotations

from dataclasses import replace

from analytics.context import Context
from analytics.scope import Filters


def filter_options(ctx: Context) -> dict[str, list[str]]:
    """Values per filter field present in the viewer's scope at as_of."""
    frame = replace(ctx, filters=Filters()).query("filter_options")
    return {field: group["value"].tolist() for field, group in frame.groupby("field")}


def snapshot_dates(ctx: Context) -> list:
    """Snapshot dates held, newest first (the as_of choices)."""
    return ctx.query("snapshot_dates")["snapshot_date"].tolist()
