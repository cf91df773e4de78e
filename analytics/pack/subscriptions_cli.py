"""``python -m analytics subscriptions add|list|remove|pause`` and ``deliver [--now ID]``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime

from analytics.pack import delivery, subscriptions

FILTER_HELP = "e.g. branch=浦东, product=综合VPN (narrows the recipient's own scope); repeatable"


def _moment(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def add_parsers(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    subs = command("subscriptions", "Manage meeting-pack subscriptions (rendered in the recipient's scope).")
    action = subs.add_subparsers(dest="action", required=True)
    add = action.add_parser("add", help="add a subscription")
    add.add_argument("--recipient", required=True, help="a dashboard user: the pack shows their scope")
    add.add_argument("--email", default=None, help="the recipient's address (needed for --channel smtp|both)")
    add.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=subscriptions.SUBSCRIPTION_FORMATS,
        required=True,
        help="xlsx and/or pdf; or 'alerts' alone: the alerts in the mail's body, nothing when there are none",
    )
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--daily", action="store_true", help="every day (e.g. alerts after the morning load)")
    when.add_argument("--weekly", choices=subscriptions.WEEKDAYS, help="every week on this day")
    when.add_argument("--monthly", type=int, metavar="DAY", help="every month on this day (1-31)")
    add.add_argument("--at", default="08:00", help="HH:MM local time (default 08:00)")
    add.add_argument("--filter", action="append", default=[], metavar="FIELD=VALUE", help=FILTER_HELP)
    add.add_argument("--channel", choices=subscriptions.CHANNELS, default="outbox")
    add.add_argument("--as-user", default=None, help="who sets it up, for the audit log")
    action.add_parser("list", help="list subscriptions with their last delivery")
    for name, text in (("remove", "remove a subscription"), ("pause", "pause (or --resume) a subscription")):
        one = action.add_parser(name, help=text)
        one.add_argument("id", type=int)
        one.add_argument("--as-user", default=None)
        if name == "pause":
            one.add_argument("--resume", action="store_true")
    deliver = command("deliver", "Send the meeting packs that are due (run it every few minutes from cron).")
    deliver.add_argument("--now", type=int, default=None, metavar="ID", help="send this subscription at once")
    deliver.add_argument(
        "--at", type=_moment, default=None, help="'YYYY-MM-DD HH:MM': deliver as of this time"
    )


def _schedule(args) -> str:
    return "daily" if args.daily else "weekly" if args.weekly else "monthly"


def run_subscriptions(args, engine, settings, texts) -> int:
    from analytics.pack.commands import CommandError

    if args.action == "list":
        frame = subscriptions.listing(engine)
        print("(no subscriptions)" if frame.empty else frame.to_string(index=False))
        return 0
    if args.action == "add":
        try:
            new_id = subscriptions.add(
                engine, args.recipient, args.formats, _schedule(args), args.at,
                weekday=subscriptions.WEEKDAYS.index(args.weekly) if args.weekly else None,
                day_of_month=args.monthly, email=args.email, filters=args.filter, channel=args.channel,
                created_by=args.as_user or "cli",
            )  # fmt: skip
        except ValueError as error:
            raise CommandError(str(error)) from error
        print(f"subscription #{new_id} added")
        return 0
    if args.action == "remove":
        done = subscriptions.remove(engine, args.id, args.as_user or "cli")
    else:
        done = subscriptions.set_paused(engine, args.id, not args.resume, args.as_user or "cli")
    if not done:
        raise CommandError(f"no subscription #{args.id}")
    print(f"subscription #{args.id} {args.action}{'d' if args.action == 'remove' else ''}")
    return 0


def run_deliver(args, engine, settings, texts) -> int:
    """Print one line per attempt; exit 1 when any failed (it is retried on the next run)."""
    from analytics.pack.commands import CommandError

    if args.now is not None:
        try:
            outcomes = [delivery.deliver_now(engine, args.now, settings, texts, args.at)]
        except ValueError as error:
            raise CommandError(str(error)) from error
    else:
        outcomes = delivery.deliver_due(engine, settings, texts, args.at)
    for o in outcomes:
        print(f"#{o.subscription_id} due {o.due_at:%Y-%m-%d %H:%M}: {o.status} — {o.detail}")
    if not outcomes:
        print("nothing due")
    return 1 if any(o.status == "failed" for o in outcomes) else 0


HANDLERS = {"subscriptions": run_subscriptions, "deliver": run_deliver}
