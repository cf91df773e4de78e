"""Week-over-week movement (metrics.md, Week-over-week movement; 周例会).

Two snapshots held, A (older) and B, compared opportunity by opportunity in the
warehouse (analytics/queries/movement_*.sql): labels per deal, the open-pipeline
waterfall as a partition in integer fen (so it adds up to the cent on both
backends), the same per team (branch + team), owner and product, the paged
movement table, the key deals one by one and the trend over every snapshot.

Scope and filters apply to A and B alike, on the snapshot a deal is attributed
to: B's row, or A's for a deal B no longer holds.  A deal that changed owner
between A and B is therefore counted whole in the new owner's scope (see
_movement_sides.sql): it is neither removed from the old owner's pipeline nor
new in the new owner's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd

from analytics.context import Context
from analytics.metrics.options import snapshot_dates
from analytics.settings import Settings

WATERFALL_PARTS = (
    "start", "new", "reopened", "increase", "decrease", "won", "lost", "terminated", "removed", "end",
)  # fmt: skip
# How each part moves the open value from start to end (start and end are totals).
PART_SIGNS = {
    "new": 1, "reopened": 1, "increase": 1, "decrease": -1,
    "won": -1, "lost": -1, "terminated": -1, "removed": -1,
}  # fmt: skip
# How each part moves the open count: a value change keeps the deal open.
COUNT_SIGNS = {**PART_SIGNS, "increase": 0, "decrease": 0}
LABELS = (
    "new", "advanced", "regressed", "slipped", "pulled_in", "value_changed",
    "won", "lost", "terminated", "removed", "reopened",
)  # fmt: skip
SORTS = ("value", "change")
EVERY_ROW = 2**62  # a LIMIT that keeps every row (one SQL for a page and for all)
GROUPINGS = {"team": ["branch", "team"], "owner": ["owner_id", "owner_name"], "product": ["product"]}


class NoSnapshotPair(ValueError):
    """Fewer than two snapshots held on or before the dates asked for."""


@dataclass(frozen=True)
class SnapshotPair:
    """The two snapshot dates compared: a is older than b."""

    a: date
    b: date


def snapshots_held(ctx: Context) -> list[date]:
    """Every opportunity snapshot date held, oldest first."""
    return sorted(pd.Timestamp(day).date() for day in snapshot_dates(ctx))


def _newest_on_or_before(held: list[date], day: date) -> date | None:
    earlier = [d for d in held if d <= day]
    return earlier[-1] if earlier else None


def snapshot_pair(
    ctx: Context, snapshot_b: date | None = None, snapshot_a: date | None = None
) -> SnapshotPair:
    """The pair to compare: B = the newest snapshot on or before ``snapshot_b`` (default:
    the data date), A = the newest on or before ``snapshot_a`` (default: B minus the
    setting week_compare_days), so any two held snapshots can be reviewed alike."""
    held = snapshots_held(ctx)
    b = _newest_on_or_before(held, snapshot_b or ctx.as_of)
    if b is None:
        raise NoSnapshotPair("no snapshot held on or before the date asked for")
    a = _newest_on_or_before(held, snapshot_a or b - timedelta(days=ctx.settings.week_compare_days))
    if a is None or a >= b:
        raise NoSnapshotPair(f"no snapshot held before {b} to compare it with")
    return SnapshotPair(a, b)


def pair_or_none(
    ctx: Context, snapshot_b: date | None = None, snapshot_a: date | None = None
) -> SnapshotPair | None:
    """:func:`snapshot_pair`, or None when there is no older snapshot to compare with."""
    try:
        return snapshot_pair(ctx, snapshot_b, snapshot_a)
    except NoSnapshotPair:
        return None


def pair_settings(ctx: Context, pair: SnapshotPair) -> Settings:
    """The settings under which the derived table cache_movement_pairs, built at B, holds
    this pair (A = the newest snapshot at least week_compare_days before B): the context's
    own for the default pair, which the load builds with every derived table of the newest
    snapshot (derived.refresh_newest); else B minus A in days, so another A for the same
    B is built on demand (and replaces the one held for B)."""
    held = snapshots_held(ctx)
    days = ctx.settings.week_compare_days
    if _newest_on_or_before(held, pair.b - timedelta(days=days)) == pair.a:
        return ctx.settings
    return replace(ctx.settings, week_compare_days=(pair.b - pair.a).days)


def _query(ctx: Context, pair: SnapshotPair, name: str, **params: object) -> pd.DataFrame:
    """Run a movement query for the pair at B: Context.query builds the pair's derived
    table first (once per data version and pair; the load builds the default pair's)."""
    at_b = replace(ctx, as_of=pair.b, settings=pair_settings(ctx, pair))
    return at_b.query(name, snapshot_a=pair.a, snapshot_b=pair.b, **params)


def yuan(fen: int) -> Decimal:
    """Integer fen as exact yuan, to the cent."""
    return (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Waterfall:
    """The open-pipeline waterfall: per part a count and a value in integer fen."""

    counts: dict[str, int]
    fen: dict[str, int]

    @classmethod
    def from_row(cls, row: pd.Series | dict | None) -> Waterfall:
        """From a movement_summary / movement_trend row (zeros for an empty scope)."""
        get = (lambda k: 0) if row is None else (lambda k: int(row[k]) if pd.notna(row[k]) else 0)
        return cls(
            counts={p: get(f"{p}_count") for p in WATERFALL_PARTS},
            fen={p: get(f"{p}_fen") for p in WATERFALL_PARTS},
        )

    def adds_up(self) -> bool:
        """start ± every part = end, exactly, in value and in count."""
        value = self.fen["start"] + sum(s * self.fen[p] for p, s in PART_SIGNS.items())
        count = self.counts["start"] + sum(s * self.counts[p] for p, s in COUNT_SIGNS.items())
        return value == self.fen["end"] and count == self.counts["end"]

    def bar_count(self, part: str) -> int:
        """Deals behind a bar; 'unchanged' (open in both, same value) is what the parts leave."""
        if part != "unchanged":
            return self.counts[part]
        leaving = ("increase", "decrease", "won", "lost", "terminated", "removed")
        return self.counts["start"] - sum(self.counts[p] for p in leaving)

    def as_dict(self) -> dict[str, dict]:
        """Per part: count, value in yuan (a string, exact) and value in fen."""
        return {
            p: {"count": self.counts[p], "value": str(yuan(self.fen[p])), "value_fen": self.fen[p]}
            for p in WATERFALL_PARTS
        }


@dataclass(frozen=True)
class Movement:
    """What moved from A to B in a scope: the waterfall, label counts, and the groups."""

    pair: SnapshotPair
    waterfall: Waterfall
    counts: dict[str, int]
    labelled: int
    by_team: pd.DataFrame
    by_owner: pd.DataFrame
    by_product: pd.DataFrame


def _group_frame(summary: pd.DataFrame, grouping: str) -> pd.DataFrame:
    """The rows of one grouping set, with its key columns first."""
    rows = summary[summary["grouping_set"] == grouping]
    keys = GROUPINGS[grouping]
    values = [c for c in summary.columns if c.endswith(("_count", "_fen")) or c.startswith("label_")]
    frame = rows[keys + values].reset_index(drop=True)
    frame[values] = frame[values].astype("int64")  # PostgreSQL sums bigint as numeric
    return frame


def movement(ctx: Context, pair: SnapshotPair) -> Movement:
    """The waterfall, label counts and by team / owner / product, aggregated in SQL."""
    summary = _query(ctx, pair, "movement_summary")
    total = summary[summary["grouping_set"] == "total"]
    row = total.iloc[0] if not total.empty else None
    return Movement(
        pair=pair,
        waterfall=Waterfall.from_row(row),
        counts={label: int(row[f"label_{label}"]) if row is not None else 0 for label in LABELS},
        labelled=int(row["labelled_count"]) if row is not None else 0,
        by_team=_group_frame(summary, "team"),
        by_owner=_group_frame(summary, "owner"),
        by_product=_group_frame(summary, "product"),
    )


def movement_list(
    ctx: Context,
    pair: SnapshotPair,
    label: str | None = None,
    part: str | None = None,
    sort_by: str = "value",
    page_rows: int = 50,
    page: int = 0,
) -> pd.DataFrame:
    """One page of the movement table, chosen, ordered and paged in the warehouse.

    ``label`` keeps deals with that label (None: any label); ``part`` keeps the
    deals of one waterfall bar ('start' and 'end' are the open deals of A and B).
    """
    if label is not None and label not in LABELS:
        raise ValueError(f"unknown label {label!r}")
    if part is not None and part not in (*WATERFALL_PARTS, "unchanged"):
        raise ValueError(f"unknown waterfall part {part!r}")
    if sort_by not in SORTS:
        raise ValueError(f"unknown sort {sort_by!r}")
    return _query(
        ctx, pair, "movement_list", label=label, part=part, sort_by=sort_by,
        page_rows=int(page_rows), page_offset=int(page) * int(page_rows),
    )  # fmt: skip


def movement_key_deals(
    ctx: Context, pair: SnapshotPair, page_rows: int | None = None, page: int = 0
) -> pd.DataFrame:
    """The key deals open in A or B, slipped or regressed ones first (highlighted): one
    page of them, or all when ``page_rows`` is None; key_deals on each row = how many in all."""
    rows = EVERY_ROW if page_rows is None else int(page_rows)
    return _query(ctx, pair, "movement_key_deals", page_rows=rows, page_offset=int(page) * rows)


def part_ids(ctx: Context, pair: SnapshotPair) -> pd.DataFrame:
    """Every deal in scope behind a leaving or arriving bar (won, lost, terminated,
    removed, new, reopened) with its part, in one statement: what the forecast bridge
    needs of the movement, without sizing and paging a list per bar."""
    return _query(ctx, pair, "movement_part_ids")


def movement_trend(ctx: Context) -> pd.DataFrame:
    """Per snapshot held after the first: the movement from the snapshot before it.

    A scope with no other filter sums the kept per-manager rows (cache_movement_trend,
    built once per data version by the load); a filter on any other column compares
    every pair of snapshots from scratch."""
    kept = ctx.filters.narrow_nothing()
    frame = ctx.query("movement_trend_kept" if kept else "movement_trend")
    numbers = [c for c in frame.columns if c.endswith(("_count", "_fen")) or c.startswith("label_")]
    frame[numbers] = frame[numbers].fillna(0).astype("int64")
    return frame.drop(columns=["pair_index"])


def _records(frame: pd.DataFrame) -> list[dict]:
    """Plain-typed records (ints stay ints) for JSON."""
    return [
        {k: (None if pd.isna(v) else v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def opportunity_labels(ctx: Context, pair: SnapshotPair, labelled: int) -> dict[str, list[str]]:
    """Opportunity id → its labels, for every labelled deal in scope (by value)."""
    listed = movement_list(ctx, pair, page_rows=max(labelled, 1))
    return {
        oid: labels.split(",") for oid, labels in zip(listed["opportunity_id"], listed["labels"], strict=True)
    }


def _document(ctx: Context, pair: SnapshotPair, moved: Movement) -> dict:
    """The JSON document of a computed movement (labels read in one more query)."""
    return {
        "snapshot_a": pair.a.isoformat(),
        "snapshot_b": pair.b.isoformat(),
        "labels": opportunity_labels(ctx, pair, moved.labelled),
        "counts": moved.counts,
        "waterfall": moved.waterfall.as_dict(),
        "by_team": _records(moved.by_team),
        "by_owner": _records(moved.by_owner),
        "by_product": _records(moved.by_product),
    }


def movement_document(ctx: Context, compare_to: date | None = None) -> dict:
    """``report movement --format json``: snapshot_a, snapshot_b, labels, counts,
    waterfall, by_team, by_owner, by_product (money in integer fen, the waterfall also
    in exact yuan), from A (``compare_to``, else the default) to B at the data date."""
    pair = snapshot_pair(ctx, snapshot_a=compare_to)
    return _document(ctx, pair, movement(ctx, pair))


def _long_rows(section: str, frame: pd.DataFrame, keys: list[str]) -> list[dict]:
    """One row per group and waterfall part."""
    return [
        {"section": section, **{k: record[k] for k in keys}, "part": part,
         "count": int(record[f"{part}_count"]), "value": yuan(record[f"{part}_fen"])}
        for record in frame.to_dict("records")
        for part in WATERFALL_PARTS
    ]  # fmt: skip


def movement_report(ctx: Context, compare_to: date | None = None) -> pd.DataFrame:
    """``report movement`` as a table / CSV: the waterfall, the label counts and the
    waterfall per team, owner and product, one row per group and part (value in exact
    yuan).  ``attrs["document"]`` makes the JSON document, printed for ``--format json``.
    Fewer than two snapshots held: no rows."""
    columns = ["section", "branch", "team", "owner_id", "owner_name", "product", "part", "count", "value"]
    try:
        pair = snapshot_pair(ctx, snapshot_a=compare_to)
    except NoSnapshotPair:
        return pd.DataFrame(columns=["snapshot_a", "snapshot_b", *columns])
    moved = movement(ctx, pair)
    waterfall = moved.waterfall
    rows = [
        {"section": "waterfall", "part": p, "count": waterfall.counts[p], "value": yuan(waterfall.fen[p])}
        for p in WATERFALL_PARTS
    ]
    rows += [{"section": "labels", "part": label, "count": n} for label, n in moved.counts.items()]
    rows += _long_rows("by_team", moved.by_team, ["branch", "team"])
    rows += _long_rows("by_owner", moved.by_owner, ["owner_id", "owner_name"])
    rows += _long_rows("by_product", moved.by_product, ["product"])
    frame = pd.DataFrame(rows).reindex(columns=columns)
    frame.insert(0, "snapshot_b", pair.b)
    frame.insert(0, "snapshot_a", pair.a)
    frame.attrs["document"] = lambda: _document(ctx, pair, moved)
    return frame
