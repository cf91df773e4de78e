"""Data quality of the process (metrics.md): skipped stages and backward moves.

A funnel is only as true as the stage data behind it, so the changes that jump
stages or rewind them are counted per team and per owner, for the funnel's own
cohort (opportunities created in the cohort window: the filters' dates, else
funnel_months up to as_of), over all their changes up to as_of.
"""

from __future__ import annotations

import pandas as pd

from analytics.context import Context


def process_quality(ctx: Context) -> pd.DataFrame:
    """Rows per level (total, team, owner): changes, skipped_stages, backward_moves, shares."""
    return ctx.query("process_quality")
