"""Meeting-pack subscriptions: who gets which pack when (issue 18).

A subscription names a recipient (a dashboard user: the pack is rendered in
*their* scope, never in the scope of the director who set it up), the formats,
a schedule (weekly on a weekday, or monthly on day N — clamped to the month's
last day — at HH:MM local time), filters that narrow the recipient's scope, and
the channel (SMTP, the outbox folder, or both).

An *alerts-only* subscription (format ``alerts``, alone) sends no pack: at its due
time — typically daily, after the morning load — it mails the alerts since its
previous check (key deals that slipped, regressed, were lost or became problems;
an attainment gap that crossed its threshold) in the body, and sends nothing when
there are none (the check is still recorded, so the next one starts from it).

The due time of a subscription at ``now`` is its latest scheduled time not after
``now`` (and not before the subscription was created): ``deliver`` sends that one,
once; an earlier one it missed is not sent late, since a newer pack replaces it.
"""

from __future__ import annotations

import json
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine

from analytics import audit
from analytics.pack.build import FORMATS
from analytics.schema import pack_deliveries, pack_subscriptions
from analytics.scope import parse_filters

SCHEDULES = ("daily", "weekly", "monthly")
ALERTS_ONLY = "alerts"
"""The format of an alerts-only subscription: the alerts in the mail's body, no attachment."""
SUBSCRIPTION_FORMATS = (*FORMATS, ALERTS_ONLY)
CHANNELS = ("smtp", "outbox", "both")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Subscription:
    """One row of ``pack_subscriptions``."""

    id: int
    recipient: str
    email: str | None
    formats: tuple[str, ...]
    schedule: str
    weekday: int | None
    day_of_month: int | None
    at_time: str
    filters: tuple[str, ...]
    channel: str
    paused: bool
    created_by: str | None
    created_at: datetime

    @property
    def alerts_only(self) -> bool:
        """No pack: the alerts in the body, and nothing at all when there are none."""
        return self.formats == (ALERTS_ONLY,)

    @property
    def clock(self) -> time:
        hours, minutes = self.at_time.split(":")
        return time(int(hours), int(minutes))

    def describe(self) -> str:
        """'daily 07:30' / 'weekly mon 08:00' / 'monthly 1 08:00'."""
        if self.schedule == "daily":
            return f"daily {self.at_time}"
        when = WEEKDAYS[self.weekday or 0] if self.schedule == "weekly" else str(self.day_of_month)
        return f"{self.schedule} {when} {self.at_time}"

    def due_at(self, now: datetime) -> datetime | None:
        """The latest scheduled time not after ``now`` and not before creation (None: none yet)."""
        due = latest_slot(self, now)
        return due if due >= self.created_at.replace(second=0, microsecond=0) else None


def _monthly_slot(year: int, month: int, day: int, clock: time) -> datetime:
    return datetime.combine(date(year, month, min(day, monthrange(year, month)[1])), clock)


def latest_slot(sub: Subscription, now: datetime) -> datetime:
    """The schedule's latest time on or before ``now``."""
    if sub.schedule == "daily":
        slot = datetime.combine(now.date(), sub.clock)
        return slot if slot <= now else slot - timedelta(days=1)
    if sub.schedule == "weekly":
        day = now.date() - timedelta(days=(now.weekday() - (sub.weekday or 0)) % 7)
        slot = datetime.combine(day, sub.clock)
        return slot if slot <= now else slot - timedelta(days=7)
    slot = _monthly_slot(now.year, now.month, sub.day_of_month or 1, sub.clock)
    if slot <= now:
        return slot
    year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    return _monthly_slot(year, month, sub.day_of_month or 1, sub.clock)


def _row(record) -> Subscription:
    values = dict(record._mapping)
    return Subscription(
        id=int(values["id"]),
        recipient=values["recipient"],
        email=values["email"],
        formats=tuple(values["formats"].split(",")),
        schedule=values["schedule"],
        weekday=values["weekday"],
        day_of_month=values["day_of_month"],
        at_time=values["at_time"],
        filters=tuple(json.loads(values["filters"] or "[]")),
        channel=values["channel"],
        paused=bool(values["paused"]),
        created_by=values["created_by"],
        created_at=pd.Timestamp(values["created_at"]).to_pydatetime(),
    )


def check(
    formats: list[str],
    schedule: str,
    weekday: int | None,
    day_of_month: int | None,
    at_time: str,
    channel: str,
    email: str | None,
    filters: list[str],
) -> None:
    """Refuse what would never deliver, with the reason."""
    if not formats or any(f not in SUBSCRIPTION_FORMATS for f in formats):
        raise ValueError(f"formats must be among {SUBSCRIPTION_FORMATS}")
    if ALERTS_ONLY in formats and len(set(formats)) > 1:
        raise ValueError(f"'{ALERTS_ONLY}' is a subscription of its own: alerts without a pack")
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {SCHEDULES}")
    if schedule == "weekly" and (weekday is None or not 0 <= weekday <= 6):
        raise ValueError("a weekly subscription needs a weekday (mon … sun)")
    if schedule == "monthly" and (day_of_month is None or not 1 <= day_of_month <= 31):
        raise ValueError("a monthly subscription needs a day of the month (1 … 31)")
    try:
        datetime.strptime(at_time, "%H:%M")
    except ValueError:
        raise ValueError(f"time {at_time!r} is not HH:MM") from None
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}")
    if channel in ("smtp", "both") and not (email and "@" in email):
        raise ValueError("an e-mailed subscription needs the recipient's e-mail address")
    parse_filters(filters, None, None)  # a bad filter is refused now, not at 08:00 on Monday


def add(
    engine: Engine,
    recipient: str,
    formats: list[str],
    schedule: str,
    at_time: str,
    *,
    weekday: int | None = None,
    day_of_month: int | None = None,
    email: str | None = None,
    filters: list[str] | None = None,
    channel: str = "outbox",
    created_by: str | None = None,
    now: datetime | None = None,
) -> int:
    """Add a subscription (checked first) and return its id; audited."""
    from analytics.auth import scope_for_user
    from analytics.settings import load_settings

    filters = list(filters or [])
    check(formats, schedule, weekday, day_of_month, at_time, channel, email, filters)
    if scope_for_user(engine, recipient, load_settings()).level == "nothing":
        raise ValueError(f"user {recipient!r} is unknown, disabled or may not read data")
    values = {
        "recipient": recipient, "email": email, "formats": ",".join(dict.fromkeys(formats)),
        "schedule": schedule, "weekday": weekday if schedule == "weekly" else None,
        "day_of_month": day_of_month if schedule == "monthly" else None, "at_time": at_time,
        "filters": json.dumps(filters, ensure_ascii=False), "channel": channel, "paused": False,
        "created_by": created_by, "created_at": now or datetime.now(),
    }  # fmt: skip
    with engine.begin() as conn:
        # never reuse a removed subscription's id: its delivery history would answer for the new one
        taken = [
            select(func.max(pack_subscriptions.c.id)),
            select(func.max(pack_deliveries.c.subscription_id)),
        ]
        new_id = max(int(conn.execute(q).scalar() or 0) for q in taken) + 1
        conn.execute(insert(pack_subscriptions).values(id=new_id, **values))
    audit.record(
        engine, created_by, "subscription_add", f"#{new_id} for={recipient} {schedule} {at_time} {formats}"
    )
    return new_id


def get(engine: Engine, sub_id: int) -> Subscription | None:
    with engine.connect() as conn:
        row = conn.execute(select(pack_subscriptions).where(pack_subscriptions.c.id == sub_id)).first()
    return None if row is None else _row(row)


def all_subscriptions(engine: Engine) -> list[Subscription]:
    with engine.connect() as conn:
        rows = conn.execute(select(pack_subscriptions).order_by(pack_subscriptions.c.id)).fetchall()
    return [_row(r) for r in rows]


def remove(engine: Engine, sub_id: int, by: str | None = None) -> bool:
    """Remove a subscription (its delivery history stays, for the audit)."""
    with engine.begin() as conn:
        gone = conn.execute(delete(pack_subscriptions).where(pack_subscriptions.c.id == sub_id)).rowcount
    if gone:
        audit.record(engine, by, "subscription_remove", f"#{sub_id}")
    return bool(gone)


def set_paused(engine: Engine, sub_id: int, paused: bool, by: str | None = None) -> bool:
    with engine.begin() as conn:
        done = conn.execute(
            update(pack_subscriptions).where(pack_subscriptions.c.id == sub_id).values(paused=paused)
        ).rowcount
    if done:
        audit.record(engine, by, "subscription_pause" if paused else "subscription_resume", f"#{sub_id}")
    return bool(done)


def listing(engine: Engine) -> pd.DataFrame:
    """Every subscription with its last delivery (time, status, attempts, detail)."""
    subs = all_subscriptions(engine)
    with engine.connect() as conn:
        rows = conn.execute(select(pack_deliveries).order_by(pack_deliveries.c.attempted_at)).fetchall()
    last = {int(r.subscription_id): r for r in rows}
    out = []
    for s in subs:
        d = last.get(s.id)
        out.append(
            {
                "id": s.id, "recipient": s.recipient, "email": s.email, "formats": ",".join(s.formats),
                "schedule": s.describe(), "filters": "; ".join(s.filters), "channel": s.channel,
                "paused": s.paused, "last_due": None if d is None else d.due_at,
                "last_status": None if d is None else d.status, "attempts": None if d is None else d.attempts,
                "last_detail": None if d is None else d.detail,
            }
        )  # fmt: skip
    columns = ["id", "recipient", "email", "formats", "schedule", "filters", "channel", "paused"]
    return pd.DataFrame(out, columns=[*columns, "last_due", "last_status", "attempts", "last_detail"])


def deliveries(engine: Engine, sub_id: int | None = None) -> pd.DataFrame:
    """Delivery attempts, newest first."""
    query = select(pack_deliveries).order_by(pack_deliveries.c.attempted_at.desc())
    if sub_id is not None:
        query = query.where(pack_deliveries.c.subscription_id == sub_id)
    with engine.connect() as conn:
        rows = conn.execute(query).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in pack_deliveries.columns])
