"""The opportunity explorer (商机明细): every opportunity in scope, and one opportunity's story.

The list carries the class, labels and problem reasons from the same fragments
the other pages use.  The story is scoped twice over: its head comes from the
scoped list (none: "not found or not in your scope"), and every part of it
joins the scoped opportunities again, so an id typed into a URL cannot reveal
anything outside the viewer's scope.  The sidebar filters do not apply to a
story (an opportunity in scope is always viewable); the scope always does.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analytics.context import Context, period_of
from analytics.metrics.problems import problem_params
from analytics.metrics.stages import stage_params
from analytics.scope import Filters

STORY_PARTS = ("stages", "snapshots", "activities", "support", "contracts", "revenue")
LABEL_COLUMNS = ("is_key", "is_competitive", "is_terminated", "is_abnormal")
REASON_COLUMNS = ("overdue", "stale", "idle", "abnormal")
SEARCH_COLUMNS = ("opportunity_id", "name", "customer_name", "owner_name")
SORTS = {
    "value": (["annual_value", "opportunity_id"], [False, True]),
    "created": (["created_date", "opportunity_id"], [False, True]),
    "expected_close": (["expected_close_date", "opportunity_id"], [True, True]),
    "stint_age": (["stint_age_days", "opportunity_id"], [False, True]),
}


def opportunity_list(ctx: Context) -> pd.DataFrame:
    """One row per opportunity in scope at as_of, with class, labels, reasons and max_stage."""
    return ctx.query("opportunity_list", opportunity_id=None, **problem_params(ctx), **stage_params())


def search_opportunities(
    frame: pd.DataFrame,
    text: str = "",
    statuses: tuple[str, ...] = (),
    labels: tuple[str, ...] = (),
    sort: str = "",
) -> pd.DataFrame:
    """The explorer's own narrowing of a list: text search, statuses, labels (all must hold), sort.

    Works on the frame already fetched (no new query per keystroke); the
    default order is the list's own (key first, then value).
    """
    keep = pd.Series(True, index=frame.index)
    needle = text.strip().casefold()
    if needle:
        haystack = frame[list(SEARCH_COLUMNS)].fillna("").astype(str).agg(" ".join, axis=1)
        keep &= haystack.str.casefold().str.contains(needle, regex=False)
    if statuses:
        keep &= frame["status"].isin(statuses)
    for column in labels:
        if column not in (*LABEL_COLUMNS, *REASON_COLUMNS, "is_problem"):
            raise ValueError(f"unknown label {column!r}")
        keep &= frame[column].fillna(False).astype(bool)
    out = frame[keep]
    if sort:
        columns, ascending = SORTS[sort]
        out = out.sort_values(columns, ascending=ascending, na_position="last")
    return out.reset_index(drop=True)


def opportunity_story(ctx: Context, opportunity_id: str) -> dict | None:
    """The opportunity's head row and its story parts, or None when not in the viewer's scope."""
    scoped = replace(ctx, filters=Filters())
    head = scoped.query(
        "opportunity_list", opportunity_id=opportunity_id, **problem_params(ctx), **stage_params()
    )
    if head.empty:
        return None
    story: dict = {"opportunity": head.to_dict("records")[0]}
    for part in STORY_PARTS:
        story[part] = scoped.query(
            f"opportunity_story_{part}", opportunity_id=opportunity_id, as_of_period=period_of(ctx.as_of)
        )
    return story
