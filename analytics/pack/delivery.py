"""``deliver``: send the packs that are due, each once, in its recipient's own scope.

Meant to run every few minutes from cron or a systemd timer.  For each active
subscription whose due time has come (analytics.pack.subscriptions):

1. the attempt is recorded *before* anything is rendered or sent: a row
   (subscription, due time) in ``pack_deliveries`` with status ``sending`` — the
   primary key makes a second, concurrent ``deliver`` skip it;
2. the pack is rendered as the recipient (``user_context``: their scope, the
   subscription's filters), with the alerts since their previous delivered pack;
3. it is written to the outbox folder and/or e-mailed (SMTP settings from the
   environment; the password only from ``SJGK_SMTP_PASSWORD``);
4. the row becomes ``sent`` — or ``failed`` with the error, retried on the next run.

An alerts-only subscription (``Subscription.alerts_only``) renders no pack: it
mails the alerts since its previous check in the body (into the outbox as a
text file), and sends nothing when there are none — the check is still recorded
``sent`` with ``alerts=0``, so the next check compares with this one.

A run that dies between 1 and 4 leaves ``sending``: the next run after
``STALE_SENDING`` takes it up again, so the pack is sent once.  (A death after the
SMTP server accepted the mail and before step 4 would send it again; the mail's
Message-ID is the same both times, so mail clients show it once.)  Every attempt
is in the audit log (action ``pack_delivery``) with its outcome.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pandas as pd
from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from analytics import audit
from analytics.pack.alerts import Alert, alerts_section
from analytics.pack.build import MIME, Built, build, user_context
from analytics.pack.content import Texts, build_pack
from analytics.pack.subscriptions import Subscription, all_subscriptions, get
from analytics.schema import pack_deliveries
from analytics.scope import parse_filters
from analytics.settings import Settings

STALE_SENDING = timedelta(minutes=10)
"""A 'sending' row older than this is a run that died: the next run retries it."""
PASSWORD_ENV = "SJGK_SMTP_PASSWORD"


@dataclass(frozen=True)
class Rendered:
    """What one delivery carries: the heading of the mail, the files (none for alerts only)
    and the alerts in the body."""

    title: str
    scope_label: str
    as_of: date
    files: list[Built]
    alerts: list[Alert]


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt did."""

    subscription_id: int
    due_at: datetime
    status: str  # 'sent', 'failed', 'skipped'
    detail: str


# ----------------------------------------------------------------------------- claiming


def _claim(engine: Engine, sub_id: int, due: datetime, kind: str, now: datetime) -> bool:
    """Record the attempt before sending; False when it is done or another run holds it."""
    key = and_(pack_deliveries.c.subscription_id == sub_id, pack_deliveries.c.due_at == due)
    with engine.begin() as conn:
        row = conn.execute(select(pack_deliveries).where(key)).first()
        if row is None:
            try:
                conn.execute(
                    insert(pack_deliveries).values(
                        subscription_id=sub_id, due_at=due, kind=kind, status="sending", attempts=1,
                        attempted_at=now,
                    )
                )  # fmt: skip
                return True
            except IntegrityError:
                return False
        if row.status == "sent":
            return False
        if row.status == "sending" and now - pd.Timestamp(row.attempted_at).to_pydatetime() < STALE_SENDING:
            return False  # another run is at it
        taken = conn.execute(
            update(pack_deliveries)
            .where(key, pack_deliveries.c.attempts == row.attempts)
            .values(status="sending", attempts=row.attempts + 1, attempted_at=now)
        ).rowcount
        return bool(taken)


def _finish(engine: Engine, sub_id: int, due: datetime, status: str, detail: str, as_of: date | None) -> None:
    key = and_(pack_deliveries.c.subscription_id == sub_id, pack_deliveries.c.due_at == due)
    values = {"status": status, "detail": detail[:2000], "as_of": as_of}
    if status == "sent":
        values["sent_at"] = datetime.now()
    with engine.begin() as conn:
        conn.execute(update(pack_deliveries).where(key).values(**values))


def previous_as_of(engine: Engine, sub_id: int, before: datetime) -> date | None:
    """The data date of the subscription's last delivered pack before ``before`` (alerts compare with it)."""
    query = (
        select(pack_deliveries.c.as_of)
        .where(
            pack_deliveries.c.subscription_id == sub_id,
            pack_deliveries.c.status == "sent",
            pack_deliveries.c.due_at < before,
        )
        .order_by(pack_deliveries.c.due_at.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        value = conn.execute(query).scalar()
    return None if value is None else pd.Timestamp(value).date()


# ----------------------------------------------------------------------------- rendering and sending


def render_for(
    engine: Engine, sub: Subscription, settings: Settings, texts: Texts, due: datetime
) -> Rendered:
    """Every format of the subscription's pack, rendered as its recipient; and the alerts
    (alone for an alerts-only subscription)."""
    ctx = user_context(engine, sub.recipient, settings, None, parse_filters(list(sub.filters), None, None))
    since = previous_as_of(engine, sub.id, due)
    section, alerts = alerts_section(ctx, texts, since)
    if sub.alerts_only:
        return Rendered(texts.label("pk_alerts_title"), ctx.scope.label, ctx.as_of, [], alerts)
    pack = build_pack(ctx, texts, sub.recipient, alerts=section)
    files = [build(ctx, texts, sub.recipient, fmt, pack=pack) for fmt in sub.formats]
    return Rendered(pack.title, pack.scope_label, pack.as_of, files, alerts)


def write_outbox(
    folder: Path, sub: Subscription, due: datetime, rendered: Rendered, texts: Texts
) -> list[Path]:
    """Each file into the outbox, named by subscription and due time (rewriting is harmless);
    an alerts-only delivery writes its body as a text file."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = [(built.filename, built.content) for built in rendered.files]
    if sub.alerts_only:
        parts.append((f"alerts_{rendered.as_of:%Y%m%d}.txt", body(rendered, texts).encode("utf-8")))
    paths = []
    for name, content in parts:
        path = folder / f"sub{sub.id}_{due:%Y%m%d-%H%M}_{name}"
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(content)
        partial.replace(path)  # a reader never sees half a file
        paths.append(path)
    return paths


def body(rendered: Rendered, texts: Texts) -> str:
    """The mail's text: title, scope and date, then the alerts one per line (at most 50)."""
    alerts = rendered.alerts
    lines = [f"{rendered.title} — {rendered.scope_label} — {texts.label('as_of')} {rendered.as_of}", ""]
    if alerts:
        lines.append(texts.label("pk_section_alerts") + f" ({len(alerts)}):")
        lines += [
            f"· {texts.label('pk_alert_' + a.kind)} {a.subject} {a.before} → {a.after}" for a in alerts[:50]
        ]
        if len(alerts) > 50:
            lines.append(texts.label("pk_alerts_more").format(count=len(alerts) - 50))
    return "\n".join(lines)


def message(
    sub: Subscription,
    due: datetime,
    rendered: Rendered,
    settings: Settings,
    texts: Texts,
) -> EmailMessage:
    """The e-mail: subject with scope and date, the alerts in the body, the files attached."""
    mail = EmailMessage()
    mail["Subject"] = f"{rendered.title} · {rendered.scope_label} · {rendered.as_of}"
    mail["From"] = settings.smtp_from
    mail["To"] = sub.email or ""
    mail["Message-ID"] = (
        f"<sjgk-pack-{sub.id}-{due:%Y%m%d%H%M}@{settings.smtp_from.split('@')[-1] or 'sjgk'}>"
    )
    mail.set_content(body(rendered, texts))
    for built in rendered.files:
        main_type, sub_type = MIME[built.fmt].split("/", 1)
        mail.add_attachment(built.content, maintype=main_type, subtype=sub_type, filename=built.filename)
    return mail


def send_mail(mail: EmailMessage, settings: Settings) -> None:
    """Send through the configured SMTP server (TLS as set; password from the environment only)."""
    if not settings.smtp_host:
        raise RuntimeError("SMTP is not configured (SJGK_SMTP_HOST)")
    password = os.environ.get(PASSWORD_ENV)
    if settings.smtp_tls == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=60)
    else:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=60)
    with server:
        if settings.smtp_tls == "starttls":
            server.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            server.login(settings.smtp_user, password or "")
        server.send_message(mail)


# ----------------------------------------------------------------------------- one delivery, all due


def deliver_one(
    engine: Engine,
    sub: Subscription,
    due: datetime,
    kind: str,
    settings: Settings,
    texts: Texts,
    now: datetime,
) -> Outcome:
    """Claim, render, send, record: one subscription at one due time."""
    if not _claim(engine, sub.id, due, kind, now):
        return Outcome(sub.id, due, "skipped", "already sent or in progress")
    as_of = None
    try:
        rendered = render_for(engine, sub, settings, texts, due)
        as_of = rendered.as_of
        quiet = sub.alerts_only and not rendered.alerts  # an alerts-only check with nothing to say
        done = ["no alerts: nothing sent"] if quiet else []
        if sub.channel in ("outbox", "both") and not quiet:
            paths = write_outbox(Path(settings.pack_outbox_dir), sub, due, rendered, texts)
            done.append("outbox " + ", ".join(p.name for p in paths))
        if sub.channel in ("smtp", "both") and not quiet:
            send_mail(message(sub, due, rendered, settings, texts), settings)
            done.append(f"mail to {sub.email}")
        detail = f"as_of={as_of} alerts={len(rendered.alerts)} " + "; ".join(done)
        _finish(engine, sub.id, due, "sent", detail, as_of)
        outcome = Outcome(sub.id, due, "sent", detail)
    except Exception as error:
        detail = f"{type(error).__name__}: {error}"
        _finish(engine, sub.id, due, "failed", detail, as_of)
        outcome = Outcome(sub.id, due, "failed", detail)
    audit.record(
        engine, sub.recipient, "pack_delivery",
        f"#{sub.id} due={due:%Y-%m-%d %H:%M} kind={kind} {outcome.status}: {outcome.detail}",
        success=outcome.status == "sent",
    )  # fmt: skip
    return outcome


def deliver_due(
    engine: Engine, settings: Settings, texts: Texts, now: datetime | None = None
) -> list[Outcome]:
    """Every active subscription whose due time has come, once each."""
    now = now or datetime.now()
    outcomes = []
    for sub in all_subscriptions(engine):
        due = None if sub.paused else sub.due_at(now)
        if due is not None:
            outcomes.append(deliver_one(engine, sub, due, "due", settings, texts, now))
    return outcomes


def deliver_now(
    engine: Engine, sub_id: int, settings: Settings, texts: Texts, now: datetime | None = None
) -> Outcome:
    """Send one subscription at once ('send a test'), even paused; its schedule is untouched."""
    sub = get(engine, sub_id)
    if sub is None:
        raise ValueError(f"no subscription #{sub_id}")
    now = now or datetime.now()
    return deliver_one(engine, sub, now.replace(microsecond=0), "now", settings, texts, now)
