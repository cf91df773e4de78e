"""How fresh the data is: shown on every page so nobody misreads a half-loaded month."""

from __future__ import annotations

from analytics.context import Context


def data_freshness(ctx: Context) -> dict:
    """newest_snapshot (≤ as_of), latest_snapshot, last_revenue_period, last_loaded_at."""
    return ctx.query("data_freshness").to_dict("records")[0]
