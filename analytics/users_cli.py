"""The ``users`` subcommand: manage sign-in accounts from the command line.

    users add USERNAME [--staff-id S] [--role R] [--password P | --password-stdin]
    users disable USERNAME
    users enable USERNAME
    users reset-password USERNAME [--password P | --password-stdin] [--no-must-change]
    users list [--json]

The main CLI registers it with :func:`add_parser` and dispatches
``args.command == "users"`` to :func:`run`.  Without ``--password`` or
``--password-stdin`` the password is prompted for (twice) without echo.
Expected problems (duplicate or unknown user, bad role, empty password) print
one line on stderr and return exit code 1, never a stack trace.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from sqlalchemy.engine import Engine

from analytics import auth
from analytics.settings import Settings

DB_HELP = "SQLAlchemy URL of the warehouse (default: the database_url setting)."


class _InputError(Exception):
    """The password could not be read."""


def _db_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--db", metavar="URL", default=default, help=DB_HELP)


def _password_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--password",
        help="the password (visible to other local users in the process list; "
        "prefer the prompt or --password-stdin)",
    )
    group.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``users`` and its actions on the main CLI's subparsers."""
    users = subparsers.add_parser(
        "users",
        help="manage sign-in accounts (add, disable, enable, reset-password, list)",
        description="Manage the accounts that may sign in to the dashboard.",
        conflict_handler="resolve",  # the main CLI may add its own --db here
    )
    _db_option(users, argparse.SUPPRESS)  # SUPPRESS keeps a --db given before `users`
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    # --db is accepted after the action too; SUPPRESS keeps a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    _db_option(common, argparse.SUPPRESS)

    add = actions.add_parser(
        "add",
        parents=[common],
        help="create an account",
        description="Create an account bound to a person of the org (工号) and/or with a "
        "role.  Scope and role follow the org as loaded; --role overrides it only for "
        "analyst and director accounts, or for accounts without a staff id.",
    )
    add.add_argument("username")
    add.add_argument("--staff-id", dest="staff_id", metavar="S", help="staff id (工号) in org")
    add.add_argument("--role", choices=auth.ROLES, help="role override (analyst, director)")
    _password_options(add)
    add.add_argument(
        "--must-change-password",
        action="store_true",
        help="ask the user to choose a new password at first sign-in",
    )

    disable = actions.add_parser(
        "disable", parents=[common], help="stop an account from signing in (ends its sessions)"
    )
    disable.add_argument("username")

    enable = actions.add_parser("enable", parents=[common], help="let a disabled account sign in again")
    enable.add_argument("username")

    reset = actions.add_parser(
        "reset-password",
        parents=[common],
        help="set a new password (unlocks the account, ends its sessions)",
    )
    reset.add_argument("username")
    _password_options(reset)
    reset.add_argument(
        "--no-must-change",
        dest="must_change_password",
        action="store_false",
        help="do not ask the user to change the password at next sign-in",
    )

    listing = actions.add_parser("list", parents=[common], help="list accounts (no hashes)")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return users


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli"


def _read_password(args: argparse.Namespace) -> str:
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise _InputError("no password on standard input")
        return password
    if getattr(args, "password", None) is not None:
        return args.password
    try:
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Repeat password: ")
    except (EOFError, KeyboardInterrupt):
        raise _InputError("no password given") from None
    if first != second:
        raise _InputError("the passwords do not match")
    return first


def _status(user: dict[str, Any]) -> str:
    if not user["active"]:
        return "disabled"
    if user["locked"]:
        return f"locked until {user['locked_until']:%Y-%m-%d %H:%M}"
    if user["staff_status"] == "left":
        return "staff left"
    return "active"


def _print_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    cells = [[("" if r[c] is None else str(r[c])) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def _list(engine: Engine, settings: Settings, as_json: bool) -> int:
    users = auth.list_users(engine)
    for user in users:
        user["status"] = _status(user)
        user["scope"] = auth.scope_for_user(engine, user["username"], settings).label
    if as_json:
        print(json.dumps(users, ensure_ascii=False, default=str, indent=2))
        return 0
    if not users:
        print("no users yet; add one with: users add USERNAME --staff-id S (or --role director)")
        return 0
    columns = ["username", "role", "staff_id", "name", "status", "must_change_password", "scope"]
    _print_table(users, columns)
    return 0


def _add(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    password = _read_password(args)
    user = auth.add_user(
        engine,
        args.username,
        password,
        staff_id=args.staff_id,
        role=args.role,
        must_change_password=args.must_change_password,
        actor=_actor(),
    )
    scope = auth.scope_for_user(engine, user["username"], settings)
    who = f", staff {user['staff_id']}" if user["staff_id"] else ""
    if user["name"]:
        who += f" ({user['name']})"
    print(f"added user {user['username']}: role {user['role'] or '-'}{who}; sees {scope.label}")
    if user["staff_status"] == "unknown":
        print(
            f"warning: staff id {user['staff_id']} is not in the loaded org; the account "
            "sees nothing until an org file containing it is loaded",
            file=sys.stderr,
        )
    elif user["staff_status"] == "left":
        print(
            f"warning: staff {user['staff_id']} is marked inactive in the org; the account cannot sign in",
            file=sys.stderr,
        )
    return 0


def run(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Carry out ``users ACTION``; returns the process exit code."""
    action = getattr(args, "users_command", None)
    try:
        auth.ensure_auth_tables(engine)
        if action == "add":
            return _add(engine, settings, args)
        if action == "disable":
            auth.disable_user(engine, args.username, actor=_actor())
            print(f"disabled user {auth.normalise_username(args.username)}")
            return 0
        if action == "enable":
            auth.enable_user(engine, args.username, actor=_actor())
            print(f"enabled user {auth.normalise_username(args.username)}")
            return 0
        if action == "reset-password":
            password = _read_password(args)
            auth.reset_password(
                engine,
                args.username,
                password,
                must_change_password=args.must_change_password,
                actor=_actor(),
            )
            note = " (to be changed at next sign-in)" if args.must_change_password else ""
            print(f"reset the password of {auth.normalise_username(args.username)}{note}")
            return 0
        if action == "list":
            return _list(engine, settings, getattr(args, "json", False))
    except (auth.UserError, _InputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"error: unknown users action {action!r}", file=sys.stderr)
    return 2
