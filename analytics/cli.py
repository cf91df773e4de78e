"""The command line: demo data, loading (issue 4) and reports, one parser.

``--db URL`` is accepted before the subcommand and after it (after wins); without
it the warehouse is the ``database_url`` setting, i.e. ``SJGK_DATABASE_URL``.
``report`` needs ``--as-user``: the command line cannot read data without a
viewer's scope, the same rule the pages follow.  ``report --format xlsx --out
FILE`` writes the workbook the page's export button gives, audited the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from analytics.settings import SettingError, load_settings


def _date(text: str) -> date:
    return datetime.strptime(text, "%Y-%m-%d").date()


DB_HELP = "SQLAlchemy URL of the warehouse (default: SJGK_DATABASE_URL, else the local DuckDB file)"


def build_parser() -> argparse.ArgumentParser:
    settings = load_settings()
    parser = argparse.ArgumentParser(prog="python -m analytics", description="商机管控 command line")
    parser.add_argument("--db", default=None, help=DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        # SUPPRESS: a --db given before the subcommand is kept when none follows it.
        p.add_argument("--db", default=argparse.SUPPRESS, help=DB_HELP)
        return p

    demo = command("demo", "Generate deterministic demo data into the warehouse (replaces all data).")
    demo.add_argument("--seed", type=int, default=settings.demo_seed)
    demo.add_argument("--as-of", type=_date, default=None, help="YYYY-MM-DD (default: today)")
    demo.add_argument("--scale", type=float, default=1.0, help="1.0 = 20,000 opportunities")
    demo.add_argument(
        "--export", type=Path, default=None, help="also write contract-format export files here"
    )
    demo.add_argument("--if-empty", action="store_true", help="only when the warehouse holds no data")
    demo.add_argument("--demo-password", default=None, help="create demo users with this password")

    from analytics.loader.kinds import ORDER as LOAD_KINDS

    load = command("load", "Load export files (CSV/TXT/XLSX/ZIP) into the warehouse.")
    load.add_argument("paths", nargs="+", type=Path, help="files, zips or folders; one batch, all or nothing")
    load.add_argument("--kind", choices=LOAD_KINDS, help="the kind of every file (default: from its headers)")
    load.add_argument("--encoding", help="e.g. gbk, gb18030, utf-8 (default: detected)")
    load.add_argument(
        "--snapshot-date", type=_date, help="opportunities snapshot date (default: 导出日期 or today)"
    )
    load.add_argument("--sheet", help="the worksheet to read from an .xlsx with several")
    load.add_argument("--as-user", default=None, help="who is loading, for the load history and audit log")
    load.add_argument("--report", type=Path, help="write the quarantined rows to this .csv or .xlsx")
    load.add_argument(
        "--confirm-shrink", action="store_true",
        help="load even when it shrinks what it replaces (a snapshot date, period, year …) by more than "
        "replace_shrink_confirm_share; without it such a load is refused (exit 1) with the numbers",
    )  # fmt: skip

    undo = command("undo", "Undo a load (as on 导入记录): the warehouse returns to its state before it.")
    undo.add_argument("load_id", type=int, help="the load's number (导入编号) in the load history")
    undo.add_argument("--cascade", action="store_true", help="also undo the later loads that depend on it")
    undo.add_argument("--as-user", default=None, help="who is undoing, for the load history and audit log")

    from analytics.forecast.horizons import HORIZONS
    from analytics.reports import REPORTS

    report = command("report", "Print a report with the same numbers the pages show.")
    report.add_argument("name", choices=sorted(REPORTS))
    report.add_argument("--as-user", required=True, help="whose scope to report for (a dashboard user)")
    report.add_argument("--as-of", type=_date, default=None, help="YYYY-MM-DD (default: newest snapshot)")
    report.add_argument("--from", dest="start", type=_date, default=None)
    report.add_argument("--to", dest="end", type=_date, default=None)
    report.add_argument(
        "--compare-to", type=_date, default=None,
        help="movement: snapshot A (default: the newest week_compare_days before --as-of)",
    )  # fmt: skip
    report.add_argument(
        "--horizon",
        choices=HORIZONS,
        default=None,
        help="forecast, forecast_backtest: the window (default year_end: the rest of this year, "
        "as the page's 年底; forecast_backtest scores the frozen forecasts of that window)",
    )
    report.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="e.g. branch=浦东, team=浦东/金融一组 (a bare team name only if unique); repeatable",
    )
    report.add_argument(
        "--format",
        choices=["table", "json", "csv", "xlsx"],
        default="table",
        help="xlsx: the page's Excel export (needs --out; audited like the page's)",
    )
    report.add_argument("--out", type=Path, default=None, help="write to this file instead of printing")

    from analytics.pack.commands import add_parsers as add_pack_parsers

    add_pack_parsers(command)  # pack, subscriptions, deliver (issue 18)

    command("migrate", "Bring the warehouse's schema to the newest revision (also done at every start).")

    from analytics import users_cli

    users_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()  # reads the settings: a bad SJGK_* value stops here, named
    except SettingError as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return 1
    args = parser.parse_args(argv)
    from analytics import commands

    try:
        return commands.dispatch(args)
    except commands.UserError as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return 2


def print_frame(frame: pd.DataFrame, fmt: str) -> None:
    """Print a report frame as a table, JSON records or CSV."""
    if fmt == "json" and callable(frame.attrs.get("document")):  # a report with its own JSON shape
        print(json.dumps(frame.attrs["document"](), ensure_ascii=False, indent=2))
    elif fmt == "json":
        records = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        print(frame.to_csv(index=False), end="")
    else:
        with pd.option_context("display.max_rows", 200, "display.max_columns", 50, "display.width", 200):
            print(frame.to_string(index=False))
