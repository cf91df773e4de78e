"""Classes and management labels (metrics.md, Classes), counted per class.

The rules themselves live once in ``_opportunity_state.sql`` (the key set is
decided company-wide before scoping); this module only reports them.
"""

from __future__ import annotations

import pandas as pd

from analytics.context import Context

CLASS_ORDER = ("major", "important", "ordinary_1", "ordinary_2", "small")
"""The classes in the order their rules are evaluated."""

LABELS = ("key", "competitive", "terminated", "abnormal")
"""The management labels (not exclusive)."""


def class_summary(ctx: Context) -> pd.DataFrame:
    """One row per class: opportunities, value, open_count, open_value and label counts."""
    frame = ctx.query("class_summary")
    order = {name: i for i, name in enumerate(CLASS_ORDER)}
    return frame.sort_values("opportunity_class", key=lambda s: s.map(order)).reset_index(drop=True)
