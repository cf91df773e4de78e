"""How fresh the data is: shown on every page so nobody misreads a half-loaded month."""

from __future__ import annotations

from analytics.context import Context, period_of


def data_freshness(ctx: Context) -> dict:
    """newest_snapshot (≤ as_of), latest_snapshot, last_revenue_period (≤ as_of's period), last_loaded_at.

    The revenue period is bounded by as_of's period exactly as the attainment's
    ``data_through`` is, so at an older as_of the freshness line and the
    attainment banner name the same period (one rule, two readers).
    """
    return ctx.query("data_freshness", as_of_period=period_of(ctx.as_of)).to_dict("records")[0]
