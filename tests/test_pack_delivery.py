"""Subscriptions and ``deliver`` (issue 18 f), on DuckDB and PostgreSQL, against an SMTP server
on 127.0.0.1 started by the test (aiosmtpd): one mail per due subscription with the right
attachments, the account manager's attachment holds only their deals, a second deliver sends
nothing, a run that dies between render and send is completed once by the next run, a failure
is retried, and every attempt is audited."""

from __future__ import annotations

import email
import email.header
import io
import socket
from datetime import datetime, timedelta

import openpyxl
import pytest
from aiosmtpd.controller import Controller

from analytics import audit
from analytics.cli import main
from analytics.pack import delivery, subscriptions
from analytics.settings import load_settings
from tests.pack_world import pack_world_fixture  # noqa: F401 (fixture)
from ui.catalogue import label
from ui.catalogue.pack import pack_texts

MONDAY = datetime(2026, 11, 23, 8, 0)  # a Monday at 08:00, after the demo's data date


class Inbox:
    """aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch, tmp_path):
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on 127.0.0.1 (aiosmtpd's start-up check needs a real one)
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    monkeypatch.setenv("SJGK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SJGK_SMTP_PORT", str(inbox.port))
    monkeypatch.setenv("SJGK_SMTP_TLS", "none")
    monkeypatch.setenv("SJGK_PACK_OUTBOX_DIR", str(tmp_path / "outbox"))
    yield inbox
    controller.stop()


@pytest.fixture
def fresh(pack_world):
    """No subscription left from another test."""
    for sub in subscriptions.all_subscriptions(pack_world["engine"]):
        subscriptions.remove(pack_world["engine"], sub.id)
    return pack_world


def deliver(world, at: datetime, *extra: str) -> int:
    return main(["deliver", "--db", world["url"], "--at", f"{at:%Y-%m-%d %H:%M}", *extra])


def add(world, user: str, *extra: str) -> int:
    created = MONDAY - timedelta(days=3)
    return subscriptions.add(
        world["engine"], user, ["xlsx"], "weekly", "08:00", weekday=0, email=f"{user}@example.test",
        channel="smtp", created_by="director", now=created, **dict(extra),
    )  # fmt: skip


def attachment(message, suffix: str) -> bytes:
    parts = [p for p in message.walk() if (p.get_filename() or "").endswith(suffix)]
    assert len(parts) == 1, [p.get_filename() for p in message.walk()]
    return parts[0].get_payload(decode=True)


def owners_in(content: bytes) -> set:
    book = openpyxl.load_workbook(io.BytesIO(content))
    ws = book[label("pk_section_problems")]
    header_row = int(ws.freeze_panes[1:]) - 1
    rows = list(ws.iter_rows(min_row=header_row, max_col=11, values_only=True))
    column = rows[0].index(label("owner_name"))
    return {r[column] for r in rows[1:]}


def test_one_mail_per_due_subscription_in_the_recipients_scope(fresh, smtp, capsys):
    manager, director = fresh["users"]["account_manager"], fresh["users"]["director"]
    add(fresh, manager)
    add(fresh, director)
    assert deliver(fresh, MONDAY + timedelta(minutes=5)) == 0
    assert len(smtp.messages) == 2
    by_recipient = {m["To"]: m for m in smtp.messages}
    mine = owners_in(attachment(by_recipient[f"{manager}@example.test"], ".xlsx"))
    everyone = owners_in(attachment(by_recipient[f"{director}@example.test"], ".xlsx"))
    assert len(mine) == 1 and len(everyone) > 1 and mine < everyone
    assert deliver(fresh, MONDAY + timedelta(minutes=10)) == 0  # a second run: nothing new
    assert len(smtp.messages) == 2
    assert "nothing due" not in capsys.readouterr().out  # it saw them, and skipped them
    assert deliver(fresh, MONDAY + timedelta(days=7, minutes=1)) == 0  # next Monday: once more each
    assert len(smtp.messages) == 4


def test_a_crash_between_render_and_send_sends_once_on_the_next_run(fresh, smtp, monkeypatch):
    sub_id = add(fresh, fresh["users"]["team_manager"])
    real_send = delivery.send_mail

    def dies(mail, settings):
        raise SystemExit("killed between render and send")

    monkeypatch.setattr(delivery, "send_mail", dies)
    with pytest.raises(SystemExit):
        delivery.deliver_due(fresh["engine"], load_settings(), pack_texts(), MONDAY + timedelta(minutes=1))
    assert smtp.messages == []
    row = subscriptions.deliveries(fresh["engine"], sub_id).iloc[0]
    assert row["status"] == "sending" and row["attempts"] == 1  # recorded before sending
    monkeypatch.setattr(delivery, "send_mail", real_send)
    soon = delivery.deliver_due(fresh["engine"], load_settings(), pack_texts(), MONDAY + timedelta(minutes=3))
    assert [o.status for o in soon] == ["skipped"]  # the dead run might still be alive
    later = delivery.deliver_due(
        fresh["engine"], load_settings(), pack_texts(), MONDAY + timedelta(minutes=15)
    )
    assert [o.status for o in later] == ["sent"] and len(smtp.messages) == 1
    again = delivery.deliver_due(
        fresh["engine"], load_settings(), pack_texts(), MONDAY + timedelta(minutes=30)
    )
    assert [o.status for o in again] == ["skipped"] and len(smtp.messages) == 1


def test_a_failed_send_is_retried_and_audited(fresh, smtp, monkeypatch):
    sub_id = add(fresh, fresh["users"]["branch_head"])
    monkeypatch.setenv("SJGK_SMTP_PORT", "1")  # nobody listens there
    assert deliver(fresh, MONDAY + timedelta(minutes=1)) == 1
    failed = subscriptions.deliveries(fresh["engine"], sub_id).iloc[0]
    assert failed["status"] == "failed" and failed["detail"]
    assert subscriptions.listing(fresh["engine"]).set_index("id").loc[sub_id, "last_status"] == "failed"
    monkeypatch.setenv("SJGK_SMTP_PORT", str(smtp.port))
    assert deliver(fresh, MONDAY + timedelta(minutes=6)) == 0  # the next run retries it
    retried = subscriptions.deliveries(fresh["engine"], sub_id).iloc[0]
    assert retried["status"] == "sent" and retried["attempts"] == 2 and len(smtp.messages) == 1
    outcomes = audit.recent(fresh["engine"], action="pack_delivery")["success"].tolist()[:2]
    assert outcomes == [True, False]


def test_deliver_now_sends_at_once_and_the_outbox(fresh, smtp, monkeypatch, tmp_path):
    sub_id = subscriptions.add(
        fresh["engine"], fresh["users"]["director"], ["pdf", "xlsx"], "monthly", "08:00", day_of_month=1,
        channel="outbox", created_by="director",
    )  # fmt: skip
    subscriptions.set_paused(fresh["engine"], sub_id, True)
    assert main(["deliver", "--db", fresh["url"], "--now", str(sub_id)]) == 0
    files = sorted(p.suffix for p in (tmp_path / "outbox").iterdir())
    assert files == [".pdf", ".xlsx"] and smtp.messages == []


def test_subscriptions_command(fresh, capsys):
    user = fresh["users"]["team_manager"]
    cli = ["subscriptions", "--db", fresh["url"]]
    assert main([*cli, "add", "--recipient", user, "--format", "pdf", "--weekly", "mon"]) == 0
    sub_id = int(capsys.readouterr().out.split("#")[1].split()[0])
    assert main([*cli, "pause", str(sub_id)]) == 0
    assert subscriptions.get(fresh["engine"], sub_id).paused
    assert main([*cli, "list"]) == 0
    assert "weekly mon 08:00" in capsys.readouterr().out
    assert main([*cli, "remove", str(sub_id)]) == 0
    assert subscriptions.get(fresh["engine"], sub_id) is None
    refused = [*cli, "add", "--recipient", user, "--format", "pdf", "--weekly", "mon", "--channel", "smtp"]
    assert main(refused) == 2  # e-mail without an address
    assert "e-mail" in capsys.readouterr().err
    assert main([*cli, "add", "--recipient", "nobody", "--format", "pdf", "--monthly", "1"]) == 2


def test_schedule_due_times():
    sub = subscriptions.Subscription(
        1, "u", None, ("pdf",), "monthly", None, 31, "08:00", (), "outbox", False, None, datetime(2026, 1, 1)
    )
    assert sub.due_at(datetime(2026, 2, 28, 9, 0)) == datetime(
        2026, 2, 28, 8, 0
    )  # clamped to the month's end
    assert sub.due_at(datetime(2026, 3, 1, 7, 0)) == datetime(2026, 2, 28, 8, 0)
    assert sub.due_at(datetime(2025, 12, 31, 9, 0)) is None  # before it existed


def alerts_only(world, user: str, schedule: str = "daily") -> int:
    return subscriptions.add(
        world["engine"], user, ["alerts"], schedule, "07:30", weekday=0 if schedule == "weekly" else None,
        email=f"{user}@example.test", channel="both", created_by="director", now=MONDAY - timedelta(days=3),
    )  # fmt: skip


def test_alerts_only_mails_the_alerts_without_a_pack(fresh, smtp, tmp_path):
    """Alerts by themselves: the body lists them, nothing is attached; the outbox gets the text."""
    director = fresh["users"]["director"]
    sub_id = alerts_only(fresh, director)
    settings = load_settings().with_overrides(pack_alert_absolute=0.0)
    outcomes = delivery.deliver_due(fresh["engine"], settings, pack_texts(), MONDAY)
    assert [o.status for o in outcomes] == ["sent"]
    (mail,) = smtp.messages
    subject = str(email.header.make_header(email.header.decode_header(mail["Subject"])))
    assert subject.startswith(label("pk_alerts_title"))
    assert [p.get_filename() for p in mail.walk() if p.get_filename()] == []  # no pack attached
    text = mail.get_payload(decode=True).decode("utf-8")
    count = int(outcomes[0].detail.split("alerts=")[1].split()[0])
    assert count > 0 and f"{label('pk_section_alerts')} ({count}):" in text
    assert text.count("\n· ") == min(count, 50)
    written = list((tmp_path / "outbox").glob(f"sub{sub_id}_*_alerts_*.txt"))
    assert len(written) == 1 and written[0].read_text("utf-8") == text.rstrip("\n")  # (mail adds a newline)


def test_alerts_only_sends_nothing_when_nothing_fired(fresh, smtp, tmp_path):
    sub_id = alerts_only(fresh, fresh["users"]["director"])
    quiet = load_settings().with_overrides(pack_alert_absolute=1e15, pack_alert_gap_points=1.0)
    outcomes = delivery.deliver_due(fresh["engine"], quiet, pack_texts(), MONDAY)
    assert [o.status for o in outcomes] == ["sent"] and "nothing sent" in outcomes[0].detail
    assert smtp.messages == [] and not list((tmp_path / "outbox").glob("*"))
    row = subscriptions.deliveries(fresh["engine"], sub_id).iloc[0]
    assert row["status"] == "sent" and row["as_of"] is not None  # the next check starts from here
    # the next day's check is a new due time: checked again, once
    again = delivery.deliver_due(fresh["engine"], quiet, pack_texts(), MONDAY + timedelta(days=1))
    assert len(again) == 1 and len(subscriptions.deliveries(fresh["engine"], sub_id)) == 2


def test_daily_schedule_and_alerts_alone():
    sub = subscriptions.Subscription(
        1,
        "u",
        None,
        ("alerts",),
        "daily",
        None,
        None,
        "07:30",
        (),
        "outbox",
        False,
        None,
        datetime(2026, 1, 1),
    )
    assert sub.alerts_only and sub.describe() == "daily 07:30"
    assert subscriptions.latest_slot(sub, datetime(2026, 11, 24, 7, 29)) == datetime(2026, 11, 23, 7, 30)
    assert subscriptions.latest_slot(sub, datetime(2026, 11, 24, 7, 30)) == datetime(2026, 11, 24, 7, 30)
    with pytest.raises(ValueError, match="alerts"):
        subscriptions.check(["alerts", "pdf"], "daily", None, None, "07:30", "outbox", None, [])
    subscriptions.check(["alerts"], "daily", None, None, "07:30", "outbox", None, [])
