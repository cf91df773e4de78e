"""Building a pack for a user: their scope, the format's bytes, and the audit-log entry.

The download button, ``python -m analytics pack`` and ``deliver`` all come here,
so the three produce the same pack for the same user, filters and data date.
The scope is always the recipient's own (``scope_for_user``), never the scope of
whoever asked for it; filters can only narrow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine

from analytics import audit
from analytics.context import Context
from analytics.pack.content import Pack, Texts, build_pack
from analytics.scope import Filters
from analytics.settings import Settings
from analytics.warehouse import newest_snapshot_date, one_version

FORMATS = ("xlsx", "pdf")
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class NoScope(ValueError):
    """The user is unknown, disabled or may not read data: no pack."""


@dataclass(frozen=True)
class Built:
    """A rendered pack: its bytes, format, file name, and what it held."""

    content: bytes
    fmt: str
    filename: str
    pack: Pack
    seconds: float


def user_context(
    engine: Engine, username: str, settings: Settings, as_of: date | None, filters: Filters
) -> Context:
    """The recipient's own context: their scope (never the caller's), the filters, the data date
    (default: the newest snapshot)."""
    from analytics.auth import scope_for_user
    from analytics.metrics.options import resolve_team_names

    scope = scope_for_user(engine, username, settings)
    if scope.level == "nothing":
        raise NoScope(f"user {username!r} is unknown, disabled or may not read data")
    day = as_of or newest_snapshot_date(engine) or date.today()
    return resolve_team_names(Context(engine, scope, settings, day, filters))


def render(pack: Pack, texts: Texts, fmt: str) -> bytes:
    """The pack's bytes in ``fmt`` (xlsx or pdf)."""
    if fmt == "xlsx":
        from analytics.pack.excel import pack_xlsx

        return pack_xlsx(pack, texts)
    if fmt == "pdf":
        from analytics.pack.pdf import pack_pdf

        return pack_pdf(pack, texts)
    raise ValueError(f"unknown pack format {fmt!r}; one of {FORMATS}")


def filename(pack: Pack, fmt: str) -> str:
    return f"meeting_pack_{pack.recipient}_{pack.as_of}.{fmt}"


def make_pack(ctx: Context, texts: Texts, recipient: str, since: date | None = None) -> Pack:
    """The pack with its alerts since ``since`` (the previous pack's data date; None: the
    weekly review's pair) as its first section."""
    from analytics.pack.alerts import alerts_section

    section, _ = alerts_section(ctx, texts, since)
    return build_pack(ctx, texts, recipient, alerts=section)


def build(
    ctx: Context, texts: Texts, recipient: str, fmt: str, since: date | None = None, pack: Pack | None = None
) -> Built:
    """Build (or reuse ``pack``) and render one format, timed."""
    started = datetime.now()
    pack = pack or one_version(ctx.engine, lambda: make_pack(ctx, texts, recipient, since))
    content = render(pack, texts, fmt)
    seconds = (datetime.now() - started).total_seconds()
    return Built(content, fmt, filename(pack, fmt), pack, seconds)


def record(
    engine: Engine, username: str, built: Built, via: str, success: bool = True, note: str = ""
) -> None:
    """The audit-log entry of a pack taken away (action ``pack``)."""
    pack = built.pack
    detail = (
        f"pack {built.fmt} for={pack.recipient} as_of={pack.as_of} scope={pack.scope_label} "
        f"rows={pack.rows} bytes={len(built.content)} seconds={built.seconds:.1f} via={via}"
    )
    audit.record(engine, username, "pack", f"{detail} {note}".strip(), success=success)
