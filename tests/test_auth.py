"""Sign-in, lock-out, sessions, layered scope, audit and the ``users`` CLI.

Every test runs on DuckDB (a file in tmp_path) and on PostgreSQL (a database
created for this module and dropped after it).  PostgreSQL is skipped only
when SJGK_TEST_PG_URL is unset and the default local server is unreachable.
Argon2 is made cheap for speed, except in the tests about its parameters.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import create_engine, delete, insert, select, text, update
from sqlalchemy.engine import make_url

from analytics import audit, auth, schema, users_cli
from analytics.scope import Scope
from analytics.settings import Settings

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"
NOW = datetime(2026, 6, 30, 9, 0, 0)
PASSWORD = "Correct-Horse-7"
DEFAULT_HASHER = auth.passwords._hasher  # the hasher lives in analytics/auth/passwords.py
AUTH_TABLES = (schema.audit_log, schema.user_sessions, schema.app_users, schema.org)

ORG = [
    # staff_id, name, role, team, branch, active
    ("D1", "总监甲", "director", None, None, True),
    ("B1", "局长乙", "branch_head", None, "浦东", True),
    ("B2", "局长丁", "branch_head", None, "徐汇", True),
    ("T1", "经理丙", "team_manager", "浦东一组", "浦东", True),
    ("I1", "行业戊", "industry_manager", "金融行业组", "浦东", True),
    ("A1", "张三", "account_manager", "浦东一组", "浦东", True),
    ("A2", "李四", "account_manager", "徐汇一组", "徐汇", True),
    ("N1", "分析己", "analyst", None, None, True),
    ("X1", "离职庚", "account_manager", "浦东一组", "浦东", False),
    ("Q1", "奇怪辛", "janitor", "浦东一组", "浦东", True),
]


# ---------------------------------------------------------------------- fixtures


def _pg_reachable(url: str) -> bool:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1")).scalar()
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="module")
def pg_engine():
    """A fresh PostgreSQL database for this module, dropped afterwards."""
    base = os.environ.get("SJGK_TEST_PG_URL")
    if base is None:
        base = PG_DEFAULT
        if not _pg_reachable(base):
            pytest.skip(
                f"PostgreSQL not reachable at {base} and SJGK_TEST_PG_URL is unset "
                "(start one with scripts/pg_test_server.sh start)"
            )
    name = f"sjgk_auth_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(make_url(base).set(database=name))
    try:
        schema.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["duckdb", "postgresql"])
def engine(request, tmp_path):
    """An empty warehouse holding the small org above."""
    if request.param == "duckdb":
        eng = create_engine(f"duckdb:///{tmp_path / 'auth.duckdb'}")
        schema.metadata.create_all(eng)
    else:
        eng = request.getfixturevalue("pg_engine")
        with eng.begin() as conn:
            for table in AUTH_TABLES:
                conn.execute(delete(table))
    keys = ("staff_id", "name", "role", "team", "branch", "active")
    with eng.begin() as conn:
        conn.execute(insert(schema.org), [dict(zip(keys, row, strict=True)) for row in ORG])
    yield eng
    if request.param == "duckdb":
        eng.dispose()


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    """Cheap argon2 parameters for speed; the product default is tested separately."""
    monkeypatch.setattr(
        auth.passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def settings() -> Settings:
    return Settings().with_overrides(session_hours=8, max_failed_logins=3, lockout_minutes=15, language="zh")


def _dump(engine, table) -> str:
    with engine.connect() as conn:
        rows = conn.execute(select(table)).fetchall()
    return "\n".join(repr(tuple(row)) for row in rows)


def _actions(engine) -> list[str]:
    return list(audit.recent(engine)["action"])


# ----------------------------------------------------------------------- hashing


def test_default_hasher_is_current_argon2id():
    encoded = DEFAULT_HASHER.hash(PASSWORD)
    params = extract_parameters(encoded)
    assert encoded.startswith("$argon2id$")
    assert params.time_cost >= 3 and params.memory_cost >= 65536 and params.parallelism >= 1
    assert DEFAULT_HASHER.verify(encoded, PASSWORD)


def test_password_is_hashed_and_never_stored_or_audited(engine, settings):
    auth.add_user(engine, "alice", PASSWORD, staff_id="T1")
    assert auth.authenticate(engine, "alice", PASSWORD, settings, now=NOW).ok
    wrong = "Wrong-Horse-8"
    assert not auth.authenticate(engine, "alice", wrong, settings, now=NOW).ok
    assert not auth.authenticate(engine, "nobody", wrong, settings, now=NOW).ok
    auth.reset_password(engine, "alice", "Another-Horse-9")
    with engine.connect() as conn:
        stored = conn.execute(select(schema.app_users.c.password_hash)).scalar()
    assert stored != "Another-Horse-9" and stored.startswith("$argon2id$")
    for table in (schema.app_users, schema.audit_log, schema.user_sessions):
        dumped = _dump(engine, table)
        for secret in (PASSWORD, wrong, "Another-Horse-9"):
            assert secret not in dumped
    assert all("password_hash" not in user for user in auth.list_users(engine))


def test_weak_hash_is_upgraded_at_sign_in(engine, settings, monkeypatch):
    auth.add_user(engine, "alice", PASSWORD, staff_id="T1")  # cheap parameters
    monkeypatch.setattr(auth.passwords, "_hasher", DEFAULT_HASHER)
    assert auth.authenticate(engine, "alice", PASSWORD, settings, now=NOW).ok
    with engine.connect() as conn:
        stored = conn.execute(select(schema.app_users.c.password_hash)).scalar()
    assert extract_parameters(stored).memory_cost == DEFAULT_HASHER.memory_cost
    assert auth.authenticate(engine, "alice", PASSWORD, settings, now=NOW).ok


# ----------------------------------------------------------------------- sign-in


def test_sign_in_success_wrong_password_and_unknown(engine, settings):
    auth.add_user(engine, "Alice", PASSWORD, staff_id="T1")
    result = auth.authenticate(engine, "  ALICE ", PASSWORD, settings, now=NOW)
    assert (result.ok, result.reason, result.username) == (True, "ok", "alice")
    result = auth.authenticate(engine, "alice", PASSWORD + "x", settings, now=NOW)
    assert (result.ok, result.reason) == (False, "bad_password")
    assert auth.authenticate(engine, "bob", PASSWORD, settings, now=NOW).reason == "unknown"
    assert auth.authenticate(engine, "", PASSWORD, settings, now=NOW).reason == "unknown"
    assert auth.authenticate(engine, "has space", "", settings, now=NOW).reason == "unknown"


def test_lockout_after_max_failures_refuses_even_the_right_password(engine, settings):
    auth.add_user(engine, "alice", PASSWORD, staff_id="T1")
    for attempt in range(1, 4):
        result = auth.authenticate(engine, "alice", "nope", settings, now=NOW)
        assert result.reason == "bad_password"
        assert (result.locked_until is not None) == (attempt == 3)
    assert result.locked_until == NOW + timedelta(minutes=15)
    later = NOW + timedelta(minutes=14, seconds=59)
    locked = auth.authenticate(engine, "alice", PASSWORD, settings, now=later)
    assert (locked.ok, locked.reason) == (False, "locked")
    assert auth.get_user(engine, "alice", now=later)["locked"]
    unlocked = auth.authenticate(engine, "alice", PASSWORD, settings, now=NOW + timedelta(minutes=15))
    assert unlocked.ok
    user = auth.get_user(engine, "alice", now=NOW + timedelta(minutes=15))
    assert user["failed_attempts"] == 0 and not user["locked"]


def test_success_resets_the_count_and_an_expired_lock_restarts_it(engine, settings):
    auth.add_user(engine, "alice", PASSWORD, staff_id="T1")
    for _ in range(2):
        auth.authenticate(engine, "alice", "nope", settings, now=NOW)
    assert auth.authenticate(engine, "alice", PASSWORD, settings, now=NOW).ok
    for _ in range(2):
        assert auth.authenticate(engine, "alice", "nope", settings, now=NOW).locked_until is None
    assert auth.authenticate(engine, "alice", "nope", settings, now=NOW).locked_until
    after = NOW + timedelta(minutes=20)
    result = auth.authenticate(engine, "alice", "nope", settings, now=after)
    assert (result.reason, result.locked_until) == ("bad_password", None)
    assert auth.get_user(engine, "alice", now=after)["failed_attempts"] == 1
    assert auth.authenticate(engine, "alice", PASSWORD, settings, now=after).ok


def test_disabled_user_and_staff_who_left(engine, settings):
    auth.add_user(engine, "alice", PASSWORD, staff_id="T1")
    token = auth.create_session(engine, "alice", settings, now=NOW)
    auth.disable_user(engine, "alice", actor="boss")
    assert auth.authenticate(engine, "alice", PASSWORD, settings, now=NOW).reason == "disabled"
    assert auth.resolve_session(engine, token, now=NOW) is None
    assert auth.role_of(engine, "alice") == ""
    assert auth.scope_for_user(engine, "alice", settings).level == "nothing"
    with pytest.raises(auth.UnknownUser):
        auth.create_session(engine, "alice", settings, now=NOW)
    auth.enable_user(engine, "alice")
    assert auth.authenticate(engine, "alice", PASSWORD, settings, now=NOW).ok

    auth.add_user(engine, "gone", PASSWORD, staff_id="X1")
    assert auth.authenticate(engine, "gone", PASSWORD, settings, now=NOW).reason == "disabled"
    assert auth.role_of(engine, "gone") == ""


def test_user_changes_validate_and_report_expected_errors(engine):
    auth.add_user(engine, "alice", PASSWORD, staff_id="T1")
    with pytest.raises(auth.DuplicateUser):
        auth.add_user(engine, "ALICE", PASSWORD, staff_id="A1")
    with pytest.raises(auth.UserError, match="staff id"):
        auth.add_user(engine, "bob", PASSWORD)
    with pytest.raises(auth.UserError, match="needs a staff id"):
        auth.add_user(engine, "bob", PASSWORD, role="team_manager")
    with pytest.raises(auth.UserError, match="comes from the org"):
        auth.add_user(engine, "bob", PASSWORD, staff_id="A1", role="branch_head")
    with pytest.raises(auth.UserError, match="unknown role"):
        auth.add_user(engine, "bob", PASSWORD, role="king")
    with pytest.raises(auth.UserError, match="at least"):
        auth.add_user(engine, "bob", "short", staff_id="A1")
    with pytest.raises(auth.UserError, match="username"):
        auth.add_user(engine, "bad name", PASSWORD, staff_id="A1")
    with pytest.raises(auth.UnknownUser):
        auth.disable_user(engine, "nobody")
    with pytest.raises(auth.UnknownUser):
        auth.reset_password(engine, "nobody", PASSWORD)
    same = auth.add_user(engine, "bob", PASSWORD, staff_id="A1", role="account_manager")
    assert same["role_override"] is None and same["role"] == "account_manager"
    assert [u["username"] for u in auth.list_users(engine)] == ["alice", "bob"]


def test_reset_and_change_password(engine, settings):
    auth.add_user(engine, "alice", PASSWORD, staff_id="T1")
    token = auth.create_session(engine, "alice", settings, now=NOW)
    for _ in range(3):
        auth.authenticate(engine, "alice", "nope", settings, now=NOW)
    auth.reset_password(engine, "alice", "Temporary-Pass-1", actor="boss")
    assert auth.resolve_session(engine, token, now=NOW) is None
    result = auth.authenticate(engine, "alice", "Temporary-Pass-1", settings, now=NOW)
    assert result.ok and result.must_change_password
    assert not auth.change_password(engine, "alice", "wrong-old", "Brand-New-Pass-2")
    assert auth.change_password(engine, "alice", "Temporary-Pass-1", "Brand-New-Pass-2")
    result = auth.authenticate(engine, "alice", "Brand-New-Pass-2", settings, now=NOW)
    assert result.ok and not result.must_change_password


# ---------------------------------------------------------------------- sessions


def test_session_expiry_and_revoke(engine, settings):
    auth.add_user(engine, "alice", PASSWORD, staff_id="T1")
    token = auth.create_session(engine, "alice", settings, now=NOW)
    assert len(token) >= 40
    assert token not in _dump(engine, schema.user_sessions)
    assert auth.resolve_session(engine, token, now=NOW) == "alice"
    almost = NOW + timedelta(hours=8) - timedelta(seconds=1)
    assert auth.resolve_session(engine, token, now=almost) == "alice"
    assert auth.resolve_session(engine, token, now=NOW + timedelta(hours=8)) is None
    for bad in (None, "", "x" * 600, token + "x"):
        assert auth.resolve_session(engine, bad, now=NOW) is None

    other = auth.create_session(engine, "alice", settings, now=NOW)
    assert other != token
    assert auth.revoke_session(engine, other, now=NOW)
    assert auth.resolve_session(engine, other, now=NOW) is None
    assert not auth.revoke_session(engine, other, now=NOW)
    assert auth.resolve_session(engine, token, now=NOW) == "alice"
    auth.revoke_user_sessions(engine, "alice")
    assert auth.resolve_session(engine, token, now=NOW) is None

    short = settings.with_overrides(session_hours=1)
    brief = auth.create_session(engine, "alice", short, now=NOW)
    assert auth.resolve_session(engine, brief, now=NOW + timedelta(minutes=61)) is None
    with pytest.raises(auth.UnknownUser):
        auth.create_session(engine, "nobody", settings, now=NOW)


# ------------------------------------------------------------------------- scope


def test_scope_and_role_for_every_role(engine, settings):
    accounts = {
        "dir": ("D1", None),
        "head": ("B1", None),
        "tm": ("T1", None),
        "im": ("I1", None),
        "am": ("A1", None),
        "ana": ("N1", None),
        "ana_free": (None, "analyst"),
        "boss": (None, "director"),
        "promoted": ("A2", "director"),  # director override on a staff account
        "ghost": ("ZZ9", "director"),  # staff id not in the org
        "ghost_am": ("ZZ8", None),
        "odd": ("Q1", None),  # unknown org role
    }
    for username, (staff_id, role) in accounts.items():
        auth.add_user(engine, username, PASSWORD, staff_id=staff_id, role=role)
    expected = {
        "dir": (Scope.company(), "director"),
        "head": (Scope.of_branch("浦东"), "branch_head"),
        "tm": (Scope.of_team("浦东", "浦东一组"), "team_manager"),
        "im": (Scope.of_team("浦东", "金融行业组"), "industry_manager"),
        "am": (Scope.of_owner("A1"), "account_manager"),
        "ana": (Scope.nothing(), "analyst"),
        "ana_free": (Scope.nothing(), "analyst"),
        "boss": (Scope.company(), "director"),
        "promoted": (Scope.company(), "director"),
        "ghost": (Scope.nothing(), "director"),
        "ghost_am": (Scope.nothing(), ""),
        "odd": (Scope.nothing(), ""),
        "nobody": (Scope.nothing(), ""),
    }
    for username, (scope, role) in expected.items():
        got = auth.scope_for_user(engine, username, settings)
        assert (got.level, got.branch, got.team, got.staff_id) == (
            scope.level,
            scope.branch,
            scope.team,
            scope.staff_id,
        ), username
        assert got.label, username
        assert auth.role_of(engine, username) == role, username
    assert auth.scope_for_user(engine, "tm", settings).label == "经理丙 · 浦东 / 浦东一组"
    assert auth.scope_for_user(engine, "head", settings).label == "局长乙 · 浦东"
    assert "全公司" in auth.scope_for_user(engine, "dir", settings).label
    english = settings.with_overrides(language="en")
    assert auth.scope_for_user(engine, "dir", english).label == "总监甲 · whole company"

    readers = settings.with_overrides(read_roles_for_analyst="company")
    assert auth.scope_for_user(engine, "ana", readers).level == "company"
    assert auth.scope_for_user(engine, "ana_free", readers).level == "company"

    assert [auth.can_upload(r) for r in auth.ROLES] == [False, False, False, False, True, True]
    assert [auth.can_admin(r) for r in auth.ROLES] == [False, False, False, False, True, False]
    assert not auth.can_upload("") and not auth.can_admin(None)


def test_scope_follows_the_org_as_loaded_now(engine, settings):
    auth.add_user(engine, "tm", PASSWORD, staff_id="T1")
    auth.add_user(engine, "head", PASSWORD, staff_id="B1")
    assert auth.scope_for_user(engine, "tm", settings).team == "浦东一组"
    org = schema.org
    with engine.begin() as conn:  # the manager moved team (a new org load)
        conn.execute(update(org).where(org.c.staff_id == "T1").values(team="徐汇一组", branch="徐汇"))
        conn.execute(update(org).where(org.c.staff_id == "B1").values(branch="徐汇"))
    moved = auth.scope_for_user(engine, "tm", settings)
    assert (moved.level, moved.team) == ("team", "徐汇一组")
    assert moved.label == "经理丙 · 徐汇 / 徐汇一组"
    assert auth.scope_for_user(engine, "head", settings).branch == "徐汇"
    with engine.begin() as conn:  # and was then made an account manager
        conn.execute(update(org).where(org.c.staff_id == "T1").values(role="account_manager"))
    assert auth.scope_for_user(engine, "tm", settings) == Scope(
        "owner", staff_id="T1", label="经理丙 · 徐汇 / 徐汇一组"
    )
    with engine.begin() as conn:  # and left the org file altogether
        conn.execute(delete(org).where(org.c.staff_id == "T1"))
    assert auth.scope_for_user(engine, "tm", settings).level == "nothing"
    with engine.begin() as conn:
        conn.execute(update(org).where(org.c.staff_id == "B1").values(branch=None))
    assert auth.scope_for_user(engine, "head", settings).level == "nothing"


# ------------------------------------------------------------------------- audit


def test_audit_rows_for_sign_in_and_user_changes(engine, settings):
    assert not auth.users_exist(engine)
    auth.add_user(engine, "alice", PASSWORD, staff_id="T1", actor="boss")
    assert auth.users_exist(engine)
    auth.authenticate(engine, "alice", PASSWORD, settings, now=NOW)
    auth.authenticate(engine, "alice", "nope", settings, now=NOW)
    auth.authenticate(engine, "nobody", "nope", settings, now=NOW)
    token = auth.create_session(engine, "alice", settings, now=NOW)
    auth.revoke_session(engine, token, now=NOW)
    auth.reset_password(engine, "alice", "Another-Pass-3", actor="boss")
    auth.disable_user(engine, "alice", actor="boss")
    auth.authenticate(engine, "alice", "Another-Pass-3", settings, now=NOW)

    log = audit.recent(engine)
    assert list(log.columns) == ["id", "at", "username", "action", "detail", "success"]
    assert list(log["action"]) == [
        "sign_in_failed",
        "user_disable",
        "user_reset_password",
        "sign_out",
        "sign_in_failed",
        "sign_in_failed",
        "sign_in",
        "user_add",
    ]
    assert list(log["id"]) == sorted(log["id"], reverse=True) and log["id"].is_unique
    add = log[log["action"] == "user_add"].iloc[0]
    assert add["username"] == "boss" and "alice" in add["detail"] and bool(add["success"])
    failed = audit.recent(engine, action="sign_in_failed")
    assert set(failed["username"]) == {"alice", "nobody"}
    assert not failed["success"].astype(bool).any()
    assert set(failed["detail"]) >= {"unknown user", "account disabled"}
    assert len(audit.recent(engine, limit=2)) == 2
    assert list(audit.recent(engine, username="boss")["action"]) == [
        "user_disable",
        "user_reset_password",
        "user_add",
    ]
    text_of_log = log.to_string()
    assert PASSWORD not in text_of_log and "Another-Pass-3" not in text_of_log


def test_audit_record_joins_the_callers_transaction(engine):
    first = audit.record(engine, "ann", "upload", "file a.csv", now=NOW)
    with pytest.raises(RuntimeError):
        with engine.begin() as conn:
            audit.record(conn, "ann", "export", "pack.xlsx", now=NOW)
            raise RuntimeError("the upload failed")
    with engine.begin() as conn:
        second = audit.record(conn, "ann", "export", "pack.xlsx")
    assert second == first + 1
    assert _actions(engine) == ["export", "upload"]
    with pytest.raises(ValueError):
        audit.record(engine, "ann", "DROP TABLE", "")


def test_demo_users_bound_to_real_staff_and_idempotent(engine, settings):
    first = auth.ensure_demo_users(engine, "demo", settings)
    by_name = {row["username"]: row for row in first}
    assert list(by_name) == list(auth.DEMO_USERNAMES)
    assert all(row["created"] for row in first)
    assert by_name["director"]["staff_id"] == "D1" and by_name["director"]["role"] == "director"
    assert by_name["branch_head"]["staff_id"] == "B1"
    assert by_name["team_manager"]["staff_id"] == "T1"
    assert by_name["account_manager"]["staff_id"] == "A1"  # in T1's team, active
    assert by_name["analyst"]["staff_id"] == "N1"
    assert by_name["team_manager"]["scope_label"] == "经理丙 · 浦东 / 浦东一组"
    assert by_name["account_manager"]["name"] == "张三"
    assert auth.authenticate(engine, "team_manager", "demo", settings, now=NOW).ok
    again = auth.ensure_demo_users(engine, "other", settings)
    assert [r["username"] for r in again] == list(auth.DEMO_USERNAMES)
    assert not any(r["created"] for r in again)
    assert auth.authenticate(engine, "director", "demo", settings, now=NOW).ok
    assert len(auth.list_users(engine)) == 5


# --------------------------------------------------------------------------- CLI


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sjgk")
    sub = parser.add_subparsers(dest="command", required=True)
    users_cli.add_parser(sub)
    return parser


def _cli(engine, settings, *argv: str) -> int:
    args = _parser().parse_args(["users", *argv])
    assert args.command == "users"
    return users_cli.run(args, engine, settings)


def test_cli_parses_db_before_or_after_the_action():
    parser = _parser()
    # --db is SUPPRESSed on subcommands so a --db before the subcommand survives (analytics.cli)
    assert getattr(parser.parse_args(["users", "list"]), "db", None) is None
    assert parser.parse_args(["users", "--db", "duckdb:///a", "list"]).db == "duckdb:///a"
    assert parser.parse_args(["users", "list", "--db", "duckdb:///b"]).db == "duckdb:///b"
    args = parser.parse_args(["users", "add", "x", "--staff-id", "A1", "--password-stdin"])
    assert (args.users_command, args.staff_id, args.password_stdin) == ("add", "A1", True)
    with pytest.raises(SystemExit):
        parser.parse_args(["users", "add", "x", "--password", "a", "--password-stdin"])
    with pytest.raises(SystemExit):
        parser.parse_args(["users", "add", "x", "--role", "king"])


def test_cli_add_list_disable_reset(engine, settings, capsys, monkeypatch):
    assert _cli(engine, settings, "add", "alice", "--staff-id", "T1", "--password", PASSWORD) == 0
    out = capsys.readouterr().out
    assert "added user alice" in out and "经理丙" in out and "浦东一组" in out

    assert _cli(engine, settings, "add", "alice", "--staff-id", "A1", "--password", PASSWORD) == 1
    captured = capsys.readouterr()
    assert "already exists" in captured.err and "Traceback" not in captured.err

    monkeypatch.setattr("sys.stdin", io.StringIO("Stdin-Secret-4\n"))
    assert _cli(engine, settings, "add", "ana", "--role", "analyst", "--password-stdin") == 0
    assert auth.authenticate(engine, "ana", "Stdin-Secret-4", settings, now=NOW).ok

    prompts = iter(["Prompted-Pass-5", "Prompted-Pass-5"])
    monkeypatch.setattr(users_cli.getpass, "getpass", lambda prompt="": next(prompts))
    assert _cli(engine, settings, "add", "ghost", "--staff-id", "ZZ9", "--role", "director") == 0
    assert "not in the loaded org" in capsys.readouterr().err
    assert auth.authenticate(engine, "ghost", "Prompted-Pass-5", settings, now=NOW).ok

    mismatch = iter(["Prompted-Pass-5", "Other-Pass-6"])
    monkeypatch.setattr(users_cli.getpass, "getpass", lambda prompt="": next(mismatch))
    assert _cli(engine, settings, "add", "bob", "--staff-id", "A1") == 1
    assert "do not match" in capsys.readouterr().err

    assert _cli(engine, settings, "list") == 0
    out = capsys.readouterr().out
    assert "alice" in out and "ana" in out and "team_manager" in out
    assert "$argon2" not in out and PASSWORD not in out

    assert _cli(engine, settings, "disable", "alice") == 0
    assert "disabled user alice" in capsys.readouterr().out
    assert auth.authenticate(engine, "alice", PASSWORD, settings, now=NOW).reason == "disabled"
    assert _cli(engine, settings, "disable", "nobody") == 1
    assert "no user 'nobody'" in capsys.readouterr().err

    monkeypatch.setattr("sys.stdin", io.StringIO("Reset-Secret-7\r\n"))
    assert _cli(engine, settings, "reset-password", "ana", "--password-stdin") == 0
    assert "reset the password of ana" in capsys.readouterr().out
    result = auth.authenticate(engine, "ana", "Reset-Secret-7", settings, now=NOW)
    assert result.ok and result.must_change_password
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert _cli(engine, settings, "reset-password", "ana", "--password-stdin") == 1
    assert "no password on standard input" in capsys.readouterr().err
    assert _cli(engine, settings, "reset-password", "nobody", "--password", PASSWORD) == 1
    capsys.readouterr()

    assert _cli(engine, settings, "enable", "alice") == 0
    assert "enabled user alice" in capsys.readouterr().out
    assert _cli(engine, settings, "list", "--json") == 0
    listed = {u["username"]: u for u in json.loads(capsys.readouterr().out)}
    assert listed["alice"]["status"] == "active" and listed["alice"]["scope"].startswith("经理丙")
    assert all("password_hash" not in u for u in listed.values())
    actions = _actions(engine)
    assert actions.count("user_add") == 3
    assert {"user_disable", "user_reset_password", "user_enable"} <= set(actions)
    assert audit.recent(engine, action="user_add")["username"].str.startswith("cli").all()
