"""What each command-line subcommand does, apart from argument parsing."""

from __future__ import annotations

import argparse
from contextlib import redirect_stdout
from datetime import date
from time import perf_counter

from sqlalchemy.exc import DBAPIError

from analytics.context import Context
from analytics.db import ensure_schema, get_engine, schema_revision
from analytics.dialect import is_locked_error, limit_memory
from analytics.exports import export_book, report_book
from analytics.metrics.options import resolve_team_names
from analytics.reports import run_report
from analytics.scope import parse_filters
from analytics.settings import load_settings
from analytics.warehouse import is_empty, newest_snapshot_date, replace_all, replace_tables


class UserError(Exception):
    """An expected failure, printed as one clear line instead of a traceback."""


def dispatch(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        engine = get_engine(args.db or settings.database_url)
        applied = ensure_schema(engine)
    except DBAPIError as error:
        if is_locked_error(error):
            raise UserError(
                "the warehouse file is in use by another process (is the dashboard running?)"
            ) from error
        raise UserError(f"cannot open the warehouse: {error.orig}") from error
    if args.command == "migrate":
        return report_migration(engine, applied)
    from analytics.pack.commands import handlers as pack_handlers

    if args.command in pack_handlers():
        return run_pack_command(args, engine, settings)
    handler = {"demo": run_demo, "load": run_load, "undo": run_undo, "report": run_report_command}.get(
        args.command
    )
    if handler is None:
        from analytics import users_cli

        return users_cli.run(args, engine, settings)
    return handler(args, engine, settings)


def report_migration(engine, applied: list[str]) -> int:
    """``migrate``: dispatch has already migrated (as every command does); say what it did."""
    if applied:
        print("已升级 / migrated: " + " → ".join(applied))
    print(f"数据库结构版本 / schema revision: {schema_revision(engine)} (newest)")
    return 0


def run_pack_command(args, engine, settings) -> int:
    """pack, subscriptions, deliver (issue 18), worded with the label catalogue."""
    # The command line sits beside ui/ (ARCHITECTURE.md): the catalogue has no Streamlit.
    from analytics.pack.commands import CommandError, handlers
    from analytics.pack.content import Texts
    from ui.catalogue import help_text, label

    language = settings.language
    texts = Texts(lambda key: label(key, language, settings), lambda key: help_text(key, language, settings))
    try:
        return handlers()[args.command](args, engine, settings, texts)
    except CommandError as error:
        raise UserError(str(error)) from error


DEMO_DUCKDB_MEMORY_MB = 800
"""DuckDB's buffer cap while the demo writes (as the loader caps its scratch DuckDB): the
write stages its tables and copies them in; under DuckDB's default (80% of the machine)
the process grew past 2 GB at scale 10 (issue 20 item 2)."""

AFTER_COMMIT_DUCKDB_MEMORY_MB = 1200
"""DuckDB's buffer cap for the steps after a commit (derived tables, backtest states, the
freezes) in the demo and load commands.  Measured on the 1,000,000-opportunity warehouse:
under 800 MB the opportunity facts' build ran out of memory (a window over every
opportunity does not spill), so scale 50 ended with none of them done; with no cap the
backtest states' build took 9.5 GB; under 1200 MB each step spills what it can and the
process stays under 2 GB (the issue's bound)."""

DEMO_MB_PER_SCALE = 45
"""The demo's peak memory per unit of --scale (generate_tables: 2.09 GB at scale 50)."""
DEMO_BASE_MB = 400  # the interpreter, the libraries and DuckDB's own buffers


def demo_scale_refusal(scale: float, memory_mb: float) -> str | None:
    """Why ``--scale`` cannot be built on a machine with ``memory_mb`` of memory, or None.

    The generator draws every opportunity's plan and history at once (its memory
    grows with the scale): a scale whose estimated peak exceeds the machine's memory
    would be killed after minutes of work, so it is refused before anything is
    drawn or written, with the largest scale that fits.
    """
    needed = DEMO_BASE_MB + DEMO_MB_PER_SCALE * scale
    if needed <= memory_mb:
        return None
    largest = max(0.0, (memory_mb - DEMO_BASE_MB) / DEMO_MB_PER_SCALE)
    return (
        f"--scale {scale:g} 需要约 {needed / 1024:.1f} GB 内存，本机只有 {memory_mb / 1024:.1f} GB；"
        f"最大可用 --scale {largest:.0f} / --scale {scale:g} needs about {needed / 1024:.1f} GB of "
        f"memory and this machine has {memory_mb / 1024:.1f} GB: the largest scale it can build "
        f"is about {largest:.0f} ({round(largest * 20_000):,} opportunities)"
    )


def machine_memory_mb() -> float:
    """This machine's physical memory in MB."""
    import os

    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_demo(args, engine, settings) -> int:
    """Generate demo data (and optionally demo users and export files)."""
    from analytics import ingest
    from analytics.demo.generate import TABLES, generate, generate_tables

    refusal = demo_scale_refusal(args.scale, machine_memory_mb())
    if refusal and not (args.if_empty and not is_empty(engine)):
        raise UserError(refusal)
    limit_memory(engine, DEMO_DUCKDB_MEMORY_MB)

    if args.if_empty and not is_empty(engine):
        print("warehouse already holds data; demo data not generated")
        limit_memory(engine, AFTER_COMMIT_DUCKDB_MEMORY_MB)
        print_steps(ingest.finish(engine, settings, refresh=False))  # a freeze a crash cut short
    else:
        as_of = args.as_of or date.today()
        started = perf_counter()
        if args.export:  # the export files need every frame after the write
            frames = generate(args.seed, as_of, scale=args.scale)
            replace_all(engine, frames, loaded_by="demo", label="demo")
            rows = {name: len(frame) for name, frame in frames.items()}
        else:  # each table written and let go as it is drawn (memory: issue 20)
            _, rows = replace_tables(
                engine, generate_tables(args.seed, as_of, scale=args.scale), loaded_by="demo", label="demo"
            )
        print(f"生成并写入 / drawn and written: {perf_counter() - started:.1f} s", flush=True)
        # each snapshot's forecast, as if frozen at its load; the derived tables
        limit_memory(engine, AFTER_COMMIT_DUCKDB_MEMORY_MB)
        print_steps(ingest.after_rebuild(engine, settings))
        counts = ", ".join(f"{name} {rows.get(name, 0):,}" for name in TABLES)
        print(f"demo data as of {as_of} (seed {args.seed}): {counts}")
        if args.export:
            from analytics.demo.export import export

            paths = export(frames, args.export)
            print(f"wrote {len(paths)} export files to {args.export}")
    if args.demo_password:
        from analytics.auth import ensure_demo_users

        for user in ensure_demo_users(engine, args.demo_password):
            print(f"demo user {user['username']:<16} {user['role']:<16} {user.get('label', '')}")
    return 0


def print_steps(steps) -> None:
    """The steps after a commit with their times (nothing when none was due)."""
    from analytics.loader.report import steps_text

    for line in steps_text(steps):
        print(line)


def run_load(args, engine, settings) -> int:
    """Load a batch of export files, then the steps its commit sets off; print the report;
    0 when loaded, 1 when refused."""
    import getpass

    from analytics import ingest, loader

    defaults = loader.Overrides(
        kind=args.kind, encoding=args.encoding, snapshot_date=args.snapshot_date, sheet=args.sheet
    )
    username = args.as_user or f"cli:{getpass.getuser()}"
    limit_memory(engine, AFTER_COMMIT_DUCKDB_MEMORY_MB)  # the load's own scratch DuckDB has its cap
    try:
        report = ingest.ingest(
            engine, [loader.Input.from_path(p) for p in args.paths], username=username,
            settings=settings, defaults=defaults, confirm_shrink=args.confirm_shrink,
            announce=print_replacements,
        )  # fmt: skip
    except loader.LoadError as error:
        raise UserError(str(error)) from error
    except DBAPIError as error:
        if is_locked_error(error):
            raise UserError(
                "the warehouse file is in use by another process (is the dashboard running?)"
            ) from error
        raise
    print(report.text())
    if args.report:
        loader.write_quarantine(report, args.report)
        print(f"隔离的行已写入 / quarantined rows written to {args.report} ({len(report.quarantine):,})")
    return 0 if report.ok else 1


def print_replacements(replacements: list) -> None:
    """Before anything is written: what the load replaces, old rows and value against new."""
    from analytics.loader.messages import say

    if replacements:
        print(f"{say('replace_title')}：")
    for item in replacements:
        print(say("replace_file", file=item.file_name, sentence=item.sentence()), flush=True)


def run_undo(args, engine, settings) -> int:
    """Undo a load, as the 导入记录 page does; refused (exit 2) when later loads depend on it
    and --cascade is not given, naming them."""
    import getpass

    from analytics import loader

    username = args.as_user or f"cli:{getpass.getuser()}"
    try:
        undone = loader.undo(engine, args.load_id, username, cascade=args.cascade)
    except loader.UndoRefused as refusal:
        hint = "（加 --cascade 一并撤销 / add --cascade to undo them too）" if refusal.dependents else ""
        raise UserError(f"{refusal}{hint}") from refusal
    print("已撤销 / undone: " + "、".join(f"#{i}" for i in undone))
    return 0


def run_report_command(args, engine, settings) -> int:
    """Print a named report for the scope of --as-user."""
    from analytics.auth import scope_for_user
    from analytics.cli import print_frame

    scope = scope_for_user(engine, args.as_user, settings)
    if scope.level == "nothing":
        raise UserError(f"user {args.as_user!r} is unknown, disabled or may not read data")
    try:
        filters = parse_filters(args.filter, args.start, args.end)
    except ValueError as error:
        raise UserError(str(error)) from error
    if args.format == "xlsx" and args.out is None:
        raise UserError("--format xlsx writes a workbook: name the file with --out FILE")
    as_of = args.as_of or newest_snapshot_date(engine) or date.today()
    try:
        ctx = resolve_team_names(Context(engine, scope, settings, as_of, filters))
    except ValueError as error:
        raise UserError(str(error)) from error
    if args.format == "xlsx":
        return write_report_book(args, ctx)
    frame = run_report(args.name, ctx, args.compare_to, getattr(args, "horizon", None))
    if args.out is None:
        print_frame(frame, args.format)
        return 0
    with open(args.out, "w", encoding="utf-8") as handle, redirect_stdout(handle):
        print_frame(frame, args.format)
    print(f"{args.name}: {len(frame):,} rows written to {args.out}")
    return 0


def write_report_book(args, ctx: Context) -> int:
    """``--format xlsx``: the page's export workbook for --as-user's scope, audited as theirs."""
    # The command line sits beside ui/ (ARCHITECTURE.md) and, like a page, heads what people
    # read with the label catalogue, a package without Streamlit.
    from ui.catalogue import label

    book = report_book(args.name, ctx, lambda key: label(key, ctx.settings.language))
    content = export_book(ctx.engine, args.as_user, book, via="command line")
    args.out.write_bytes(content)
    print(f"{args.name}: {book.rows:,} rows written to {args.out}")
    return 0
