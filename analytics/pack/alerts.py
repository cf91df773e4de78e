"""Alerts of the meeting pack: what went wrong since the previous pack (issue 18).

Compared snapshot by snapshot with the weekly review's own functions
(analytics.metrics.movement, problems, attainment), from the previous pack's
data date (a subscription's last delivered pack; otherwise the weekly pair)
to this one's:

* a key deal that slipped, regressed, was lost or terminated, or became a problem
  opportunity — when the value at stake (the deal's value) reaches the absolute
  threshold ``pack_alert_absolute`` (the whole deal is at stake, so the relative
  threshold is met by definition);
* a key deal whose value dropped — when the drop reaches both ``pack_alert_relative``
  of its value and ``pack_alert_absolute`` (a 50 % drop of 2 万元 is noise);
* attainment falling behind time progress (like for like: to the end of the last
  loaded period, ``period_gap``, as the headlines compare) by more than
  ``pack_alert_gap_points`` where it was not before — when the shortfall in yuan (points × annual budget)
  also reaches ``pack_alert_absolute``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from analytics.context import Context
from analytics.metrics.attainment import overall_attainment
from analytics.metrics.movement import SnapshotPair, movement_key_deals, pair_or_none
from analytics.metrics.problems import problem_opportunities
from analytics.money import to_wan
from analytics.pack.content import Col, Section, Table, Texts

Words = Callable[[str], str]
"""A catalogue look-up (status and reason codes → words); ``str`` keeps the codes."""
DEAL_EVENTS = ("slipped", "regressed", "lost", "terminated")
COLUMNS = ["kind", "kind_name", "subject", "before", "after", "change", "detail"]


@dataclass(frozen=True)
class Alert:
    """One alert: its kind, the deal (or 合计), before → after, and the money at stake (yuan)."""

    kind: str
    subject: str
    before: str
    after: str
    change: float
    detail: str = ""


def _passes(ctx: Context, change: float, base: float | None) -> bool:
    """Both thresholds: the absolute in yuan, and the relative share of ``base`` (None: whole)."""
    settings = ctx.settings
    if abs(change) < settings.pack_alert_absolute:
        return False
    return base is None or (base > 0 and abs(change) / base >= settings.pack_alert_relative)


def _subject(row: dict) -> str:
    return f"{row['opportunity_id']} {row.get('customer_name') or ''}".strip()


def deal_alerts(ctx: Context, pair: SnapshotPair, words: Words = str) -> list[Alert]:
    """Key deals that slipped, regressed, were lost or terminated, or dropped in value."""
    alerts = []
    for row in movement_key_deals(ctx, pair).to_dict("records"):
        labels = set(str(row.get("labels") or "").split(","))
        value_a = float(row["value_a_fen"]) / 100 if pd.notna(row["value_a_fen"]) else 0.0
        value_b = float(row["value_b_fen"]) / 100 if pd.notna(row["value_b_fen"]) else 0.0
        for event in DEAL_EVENTS:
            if event in labels and _passes(ctx, max(value_a, value_b), None):
                before, after = _state(row, "a", words), _state(row, "b", words)
                alerts.append(
                    Alert(
                        event,
                        _subject(row),
                        before,
                        after,
                        -max(value_a, value_b),
                        row.get("owner_name") or "",
                    )
                )
        drop = value_a - value_b
        if "value_changed" in labels and drop > 0 and _passes(ctx, drop, value_a):
            alerts.append(
                Alert(
                    "value_drop",
                    _subject(row),
                    f"{value_a:,.2f}",
                    f"{value_b:,.2f}",
                    -drop,
                    row.get("owner_name") or "",
                )
            )
    return alerts


def _state(row: dict, side: str, words: Words) -> str:
    """'阶段 3 · 2026-12-31' style: a deal's stage and close date on one side."""
    stage, close, status = row.get(f"stage_{side}"), row.get(f"close_{side}"), row.get(f"status_{side}")
    parts = [words(f"status_{status}") if status else "—"]
    if stage is not None and pd.notna(stage):
        parts.append(f"S{int(stage)}")
    if close is not None and pd.notna(close):
        parts.append(str(pd.Timestamp(close).date()))
    return " · ".join(parts)


def problem_alerts(ctx: Context, pair: SnapshotPair, words: Words = str) -> list[Alert]:
    """Key deals that are problem opportunities at B and were not at A."""
    now = problem_opportunities(replace(ctx, as_of=pair.b))
    before = set(problem_opportunities(replace(ctx, as_of=pair.a))["opportunity_id"])
    fresh = now[now["is_key"].astype(bool) & ~now["opportunity_id"].isin(before)]
    reasons = ("overdue", "stale", "idle", "abnormal")
    out = []
    for row in fresh.to_dict("records"):
        value = float(row["annual_value"] or 0)
        if _passes(ctx, value, None):
            why = "、".join(words(r) for r in reasons if row.get(r))
            out.append(Alert("became_problem", _subject(row), "", why, -value, row.get("owner_name") or ""))
    return out


def attainment_alert(ctx: Context, pair: SnapshotPair) -> list[Alert]:
    """Attainment fell behind time progress past the threshold since A (and the shortfall is real money).

    The gap is ``period_gap`` (to the end of the last loaded period), as every headline shows it:
    against as_of's time progress a month not yet loaded would read as falling behind.
    """
    now = overall_attainment(replace(ctx, as_of=pair.b))
    then = overall_attainment(replace(ctx, as_of=pair.a))
    gap_now, gap_then = now.get("period_gap"), then.get("period_gap")
    if gap_now is None or pd.isna(gap_now):
        return []
    limit = -ctx.settings.pack_alert_gap_points
    crossed = gap_now < limit and (gap_then is None or pd.isna(gap_then) or gap_then >= limit)
    shortfall = -gap_now * float(now.get("budget_annual") or 0)
    if not crossed or abs(shortfall) < ctx.settings.pack_alert_absolute:
        return []
    before = "—" if gap_then is None or pd.isna(gap_then) else f"{gap_then * 100:+.1f} pp"
    return [Alert("attainment_gap", "", before, f"{gap_now * 100:+.1f} pp", -shortfall)]


def pack_alerts(
    ctx: Context, since: date | None = None, words: Words = str
) -> tuple[SnapshotPair | None, list[Alert]]:
    """Every alert from ``since`` (the previous pack's data date; None: the weekly pair) to as_of."""
    pair = pair_or_none(ctx, snapshot_a=since) if since is None or since < ctx.as_of else None
    if pair is None:
        return None, []
    return pair, attainment_alert(ctx, pair) + deal_alerts(ctx, pair, words) + problem_alerts(
        ctx, pair, words
    )


def alerts_section(ctx: Context, texts: Texts, since: date | None = None) -> tuple[Section, list[Alert]]:
    """The pack's first section: the alerts as a table, with the thresholds in a note."""
    pair, alerts = pack_alerts(ctx, since, texts.label)
    title = texts.label("pk_section_alerts")
    if pair is None:
        return Section("alerts", title, notes=[texts.label("wk_no_pair")]), []
    settings = ctx.settings
    note = texts.label("pk_alert_since").format(
        since=pair.a, relative=settings.pack_alert_relative, absolute=to_wan(settings.pack_alert_absolute)
    )
    frame = pd.DataFrame(
        [a.__dict__ for a in alerts], columns=["kind", "subject", "before", "after", "change", "detail"]
    )
    frame["kind_name"] = frame["kind"].map(lambda k: texts.label(f"pk_alert_{k}"))
    columns = [
        Col("kind_name", texts.label("pk_alert_kind")),
        Col("subject", texts.label("pk_alert_subject")),
        Col("before", texts.label("pk_alert_before")),
        Col("after", texts.label("pk_alert_after")),
        Col("change", texts.label("pk_alert_change"), "money_wan"),
        Col("detail", texts.label("pk_alert_detail")),
    ]
    notes = [note] if alerts else [note, texts.label("pk_alert_none").format(since=pair.a)]
    table = Table(
        "pk_table_alerts",
        texts.label("pk_table_alerts"),
        frame.head(settings.pack_table_rows),
        columns,
        len(frame),
    )
    return Section("alerts", title, tables=[table], notes=notes), alerts
