"""Command line of the meeting pack: ``pack``, ``subscriptions`` and ``deliver``.

``pack`` writes one user's pack (their scope, never a wider one) and records it in the
audit log like the download button.  Each handler takes the catalogue's ``Texts`` from
``analytics.commands`` (the command line's one door to the label catalogue), and an
expected failure is a :class:`CommandError`, printed there as one line.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from analytics.pack.build import FORMATS, NoScope, build, record, user_context
from analytics.scope import parse_filters

FILTER_HELP = "e.g. branch=浦东, team=浦东/金融一组, product=综合VPN; repeatable"


def _date(text: str) -> date:
    return datetime.strptime(text, "%Y-%m-%d").date()


def add_parsers(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Declare ``pack`` (and the subscription commands) on the command line's parser."""
    pack = command("pack", "Write the meeting pack (会议材料) of a user's own scope as Excel or PDF.")
    pack.add_argument("--as-user", required=True, help="whose pack: their scope, audited as theirs")
    pack.add_argument("--as-of", type=_date, default=None, help="YYYY-MM-DD (default: newest snapshot)")
    pack.add_argument("--filter", action="append", default=[], metavar="FIELD=VALUE", help=FILTER_HELP)
    pack.add_argument("--format", choices=FORMATS, required=True)
    pack.add_argument("--out", type=Path, required=True, help="the file to write")
    try:
        from analytics.pack import subscriptions_cli
    except ImportError:  # pragma: no cover - subscriptions arrive after the pack itself
        return
    subscriptions_cli.add_parsers(command)


class CommandError(ValueError):
    """An expected failure of a pack command (unknown user, bad filter, nothing due)."""


def run_pack(args, engine, settings, texts) -> int:
    """``pack``: build, write, audit; print what was written and how long it took."""
    try:
        filters = parse_filters(args.filter, None, None)
        ctx = user_context(engine, args.as_user, settings, args.as_of, filters)
    except (NoScope, ValueError) as error:
        raise CommandError(str(error)) from error
    built = build(ctx, texts, args.as_user, args.format)
    args.out.write_bytes(built.content)
    record(engine, args.as_user, built, via="command line")
    print(
        f"pack {args.format}: {built.pack.rows:,} rows, {len(built.content):,} bytes in "
        f"{built.seconds:.1f} s written to {args.out}"
    )
    return 0


def handlers() -> dict[str, Callable]:
    """Subcommand → handler(args, engine, settings, texts)."""
    out: dict[str, Callable] = {"pack": run_pack}
    try:
        from analytics.pack import subscriptions_cli
    except ImportError:  # pragma: no cover
        return out
    return {**out, **subscriptions_cli.HANDLERS}
