"""The sales process's fixed shape: stages 0-4 lead to the contract, and won means 4.

These are structural constants of the process (domain.md), not thresholds, so
they are not settings; queries receive ``won_stage`` as a bound parameter
rather than a literal, which keeps the SQL free of magic numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

from analytics.settings import Settings

WON_STAGE = 4
"""确认合同: a won deal has reached this stage; stage 5 (implementation) counts as it."""

FUNNEL_STAGES = tuple(range(WON_STAGE + 1))
"""The stages a funnel reports: 0 (account plan) … 4 (contract)."""


def stage_params() -> dict[str, int]:
    """Bound parameters every stage-aware query takes."""
    return {"won_stage": WON_STAGE}


def stale_window_start(as_of: date, settings: Settings) -> date:
    """The stale window is (this day, as_of]: the stints that ended in it set each stage's
    p90 and stale threshold (metrics.md, Stage duration)."""
    return as_of - timedelta(days=settings.stale_window_days)
