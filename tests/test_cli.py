"""The command line prints the numbers the pages show, and fails in words."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics import auth
from analytics.cli import main
from analytics.context import Context
from analytics.metrics.overview import overview
from analytics.scope import Filters
from analytics.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_report_overview_json_equals_the_analytics_numbers(demo_warehouse, capsys):
    code, out, _ = run_cli(
        capsys,
        "report",
        "overview",
        "--db",
        demo_warehouse["url"],
        "--as-user",
        "branch_head",
        "--as-of",
        str(demo_warehouse["as_of"]),
        "--format",
        "json",
    )
    assert code == 0
    row = json.loads(out)[0]
    settings = load_settings()
    scope = auth.scope_for_user(demo_warehouse["engine"], "branch_head", settings)
    expected = overview(
        Context(demo_warehouse["engine"], scope, settings, demo_warehouse["as_of"], Filters())
    )
    assert row["open_count"] == expected["open_count"]
    assert row["open_value"] == pytest.approx(expected["open_value"])
    assert row["win_rate"] == pytest.approx(expected["win_rate"])
    assert row["actual_ytd"] == pytest.approx(expected["attainment"]["actual_ytd"])
    assert row["progress_gap"] == pytest.approx(expected["attainment"]["progress_gap"])


def test_report_filter_and_csv(demo_warehouse, capsys):
    code, out, _ = run_cli(
        capsys,
        "report",
        "attainment",
        "--db",
        demo_warehouse["url"],
        "--as-user",
        "director",
        "--filter",
        "branch=浦东",
        "--format",
        "csv",
    )
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("level,branch,product,actual_ytd")
    branches = {line.split(",")[1] for line in lines[1:]} - {""}
    assert branches == {"浦东"}


def test_report_refuses_unknown_users_and_filters(demo_warehouse, capsys):
    code, _, err = run_cli(capsys, "report", "overview", "--db", demo_warehouse["url"], "--as-user", "nobody")
    assert code == 2 and "nobody" in err
    code, _, err = run_cli(
        capsys,
        "report",
        "overview",
        "--db",
        demo_warehouse["url"],
        "--as-user",
        "director",
        "--filter",
        "colour=red",
    )
    assert code == 2 and "colour" in err


def test_demo_export_writes_contract_files(tmp_path, capsys):
    db = f"duckdb:///{tmp_path / 'w.duckdb'}"
    code, out, _ = run_cli(
        capsys,
        "demo",
        "--db",
        db,
        "--scale",
        "0.02",
        "--as-of",
        "2026-11-20",
        "--export",
        str(tmp_path / "export"),
    )
    assert code == 0 and "opportunity_snapshot" in out
    names = {p.name for p in (tmp_path / "export").iterdir()}
    assert "组织架构.csv" in names and "收入预算.xlsx" in names
    code, out, _ = run_cli(capsys, "demo", "--db", db, "--if-empty")
    assert code == 0 and "already holds data" in out


def test_a_warehouse_in_use_gives_a_clear_message(tmp_path):
    path = tmp_path / "busy.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('held', flush=True); "
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        time.sleep(0.2)
        result = subprocess.run(
            [sys.executable, "-m", "analytics", "demo", "--db", f"duckdb:///{path}", "--scale", "0.02"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.kill()
    assert result.returncode == 2
    assert "in use" in result.stderr and "Traceback" not in result.stderr
