"""What the CRM showed: the stage-change log and twelve weekly opportunity exports.

Each snapshot is rebuilt from the stage history as of its own date (the newest
change on or before it), with the expected close date and value of that date,
so snapshots and history can never disagree.  Like a CRM export, a snapshot
lists every opportunity created by then, closed ones included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.demo import vocab
from analytics.demo.customers import Customers
from analytics.demo.drift import Drift
from analytics.demo.frames import NO_DAY, conform, taken, to_dates, typed_columns
from analytics.demo.opportunities import IS_TRANSFORMATION, PRODUCT_NAMES, Opps
from analytics.demo.org import Org
from analytics.demo.process import OPEN, STATUSES, History

N_SNAPSHOTS = 12


def snapshot_days(as_of_day: int) -> np.ndarray:
    """as_of and the eleven weeks before it, oldest first."""
    return as_of_day - 7 * np.arange(N_SNAPSHOTS - 1, -1, -1)


def stage_history_frame(rng: np.random.Generator, hist: History, opps: Opps, org: Org) -> dict:
    """stage_history rows with a time of day within working hours (strictly increasing per opportunity)."""
    seconds = hist.day * 86_400 + 9 * 3600 + rng.integers(0, int(9.5 * 3600), len(hist.day))
    return conform(
        "stage_history",
        {
            "opportunity_id": opps.opportunity_id[hist.opp],
            "from_stage": np.where(hist.from_stage >= 0, hist.from_stage, None),
            "to_stage": np.where(hist.to_stage >= 0, hist.to_stage, None),
            "to_status": np.array(STATUSES, dtype=object)[hist.status],
            "changed_at": seconds.astype("datetime64[s]"),
            "changed_by": org.staff_id[opps.owner[hist.opp]],
        },
    )


def draw_abnormal(rng: np.random.Generator, hist: History, created: np.ndarray, as_of_day: int) -> np.ndarray:
    """Day from which ~2% of the opportunities open at as_of are flagged abnormal (NO_DAY: never)."""
    open_now = np.flatnonzero(hist.closed_day == NO_DAY)
    flagged = np.sort(
        rng.choice(open_now, size=min(len(open_now), max(1, round(0.02 * len(open_now)))), replace=False)
    )
    since = np.full(len(created), NO_DAY)
    since[flagged] = rng.integers(np.maximum(created[flagged], as_of_day - 60), as_of_day + 1)
    return since


def _static(opps: Opps, cust: Customers, org: Org) -> dict:
    """Columns that do not change between snapshots, indexed by opportunity."""
    c = opps.customer
    staff = np.append(org.staff_id, None)  # index -1 gives None
    return {
        "opportunity_id": opps.opportunity_id,
        "name": opps.name,
        "customer_id": cust.customer_id[c],
        "customer_name": cust.name[c],
        "customer_tier": np.array(vocab.TIERS, dtype=object)[cust.tier[c]],
        "industry": np.array([str(v) for v in cust.industry], dtype=object)[c],  # one str per industry
        "product": np.array(PRODUCT_NAMES, dtype=object)[opps.product],
        "business_type": np.where(IS_TRANSFORMATION[opps.product], "transformation", "basic").astype(object),
        "origin": np.where(opps.dispatched, "dispatched", "mined").astype(object),
        "campaign": opps.campaign,
        "owner_id": org.staff_id[opps.owner],
        "created_date": to_dates(opps.created),
        "competitor": opps.competitor,
        "user_count": np.where(np.isnan(opps.user_count), None, opps.user_count),
        "demonstration": opps.demonstration,
        "influence": opps.influence,
        "key_flag": opps.key_flag,
        "presales_id": staff[opps.presales],
    }


def snapshot_frames(
    hist: History, opps: Opps, cust: Customers, org: Org, drift: Drift, abnormal_since, as_of_day
):
    """opportunity_snapshot (12 weekly exports) and the snapshots table, whole."""
    parts = list(snapshot_parts(hist, opps, cust, org, drift, abnormal_since, as_of_day))
    frame = pd.concat([p for _, p in parts], ignore_index=True) if len(parts) > 1 else parts[0][1]
    return {"snapshots": snapshots_frame([(day, len(p)) for day, p in parts]), "opportunity_snapshot": frame}


def snapshots_frame(counts: list[tuple[int, int]]) -> pd.DataFrame:
    """The snapshots table: each export's date (a day number) and row count."""
    return conform(
        "snapshots",
        {
            "snapshot_date": to_dates(np.array([day for day, _ in counts], dtype=np.int64)),
            "row_count": np.array([n for _, n in counts], dtype=np.int64),
        },
    )


def snapshot_parts(
    hist: History, opps: Opps, cust: Customers, org: Org, drift: Drift, abnormal_since, as_of_day
):
    """Each weekly export of opportunity_snapshot as (day, frame), oldest first.

    One export at a time, so a caller that writes each and lets it go (the demo
    command) never holds the 6.8 million rows of scale 30 at once; concatenated
    they are the whole table.  The static columns are taken per export from one
    set of per-opportunity columns, converted to their types once (converting them
    per export was most of the generator's time).
    """
    static = typed_columns("opportunity_snapshot", _static(opps, cust, org))
    after = hist.stage_after
    for day in snapshot_days(as_of_day):
        m = hist.day <= day
        opp = hist.opp[m]
        last = np.flatnonzero(np.r_[opp[1:] != opp[:-1], True])
        ids, status = opp[last], hist.status[m][last]
        rows = taken(static, ids)
        data: dict = {}
        data["snapshot_date"] = to_dates(np.full(len(ids), day))
        data["stage"] = after[m][last]
        data["status"] = np.array(STATUSES, dtype=object)[status]
        data["annual_value"] = drift.value_on(day, opps.value)[ids]
        data["expected_close_date"] = to_dates(drift.ecd_on(day, opps.created)[ids])
        data["closed_date"] = to_dates(np.where(status != OPEN, hist.closed_day[ids], NO_DAY))
        data["abnormal"] = (status == OPEN) & (abnormal_since[ids] != NO_DAY) & (abnormal_since[ids] <= day)
        del ids, status, m, opp, last
        yield int(day), conform("opportunity_snapshot", data, consume=True, typed=rows)
