"""The opportunity explorer (商机明细): every opportunity in scope, and one opportunity's story.

The list carries the class, labels and problem reasons from the same fragments
the other pages use.  The story is scoped twice over: its head comes from the
scoped list (none: "not found or not in your scope"), and every part of it
joins the scoped opportunities again, so an id typed into a URL cannot reveal
anything outside the viewer's scope.  The sidebar filters do not apply to a
story (an opportunity in scope is always viewable); the scope always does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analytics.context import Context, period_of
from analytics.scope import Filters

STORY_PARTS = ("stages", "snapshots", "activities", "support", "contracts", "revenue")
LABEL_COLUMNS = ("is_key", "is_competitive", "is_terminated", "is_abnormal")
REASON_COLUMNS = ("overdue", "stale", "idle", "abnormal")
FILTER_LABELS = (*LABEL_COLUMNS, *REASON_COLUMNS, "is_problem")
SORTS = ("value", "created", "expected_close", "stint_age")
STATUSES = ("open", "won", "lost", "terminated")
DEFAULT_STATUSES = ("open",)
"""What the 商机明细 page lists until the user picks otherwise: the deals still to work."""


@dataclass(frozen=True)
class ListSearch:
    """The explorer's own narrowing of the list, done in the warehouse.

    ``text`` is looked for in the id, name, customer and owner name; every one
    of ``labels`` must hold; ``sort`` is one of SORTS ('' is key first, then
    value); ``limit`` caps the rows returned (None: all).
    """

    text: str = ""
    statuses: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    sort: str = ""
    limit: int | None = None

    def params(self) -> dict:
        """The bound parameters of the search (validated: nothing typed reaches SQL text)."""
        unknown = [c for c in self.labels if c not in FILTER_LABELS]
        if unknown or self.sort not in ("", *SORTS) or not set(self.statuses) <= set(STATUSES):
            raise ValueError(f"unknown label, status or sort: {unknown or self.statuses or self.sort!r}")
        needle = self.text.strip().lower()
        escaped = needle.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        return {
            "search_pattern": f"%{escaped}%" if needle else None,
            "statuses": "," + ",".join(self.statuses) + "," if self.statuses else None,
            "list_sort": self.sort,
            "row_limit": self.limit,
            **{f"need_{c}": c in self.labels for c in FILTER_LABELS},
        }


def opportunity_list(ctx: Context, search: ListSearch = ListSearch()) -> pd.DataFrame:
    """The opportunities in scope at as_of matching ``search``, with class, labels, reasons
    and max_stage, in its order (key first, then value, by default)."""
    return _list_query(ctx, "opportunity_list", None, search)


def opportunity_list_counts(ctx: Context, search: ListSearch = ListSearch()) -> dict[str, int]:
    """How many opportunities are in scope (``in_scope``) and match ``search`` (``matched``)."""
    row = _list_query(ctx, "opportunity_list_counts", None, search).iloc[0]
    return {"in_scope": int(row["in_scope"]), "matched": int(row["matched"])}


def _list_query(ctx: Context, name: str, opportunity_id: str | None, search: ListSearch) -> pd.DataFrame:
    frame = ctx.query(name, opportunity_id=opportunity_id, **search.params())
    # value_order is how the query finds its chosen rows again, not a figure to show.
    return frame.drop(columns="value_order", errors="ignore")


def opportunity_story(ctx: Context, opportunity_id: str) -> dict | None:
    """The opportunity's head row and its story parts, or None when not in the viewer's scope."""
    scoped = replace(ctx, filters=Filters())
    head = _list_query(scoped, "opportunity_list", opportunity_id, ListSearch())
    if head.empty:
        return None
    story: dict = {"opportunity": head.to_dict("records")[0]}
    for part in STORY_PARTS:
        story[part] = scoped.query(
            f"opportunity_story_{part}", opportunity_id=opportunity_id, as_of_period=period_of(ctx.as_of)
        )
    return story
