"""`report funnel|durations|classes|problems|process` print the pages' numbers, fields as in metrics.md.

Runs against tests/funnel_world.py (with one demo user per role bound to its org),
so the printed values can be checked against the hand-computed ones as well.
"""

from __future__ import annotations

import json

import pytest

from analytics import auth
from analytics.cli import main
from tests import funnel_world
from tests.conftest import drop_engine, new_engine
from tests.funnel_world import AS_OF


@pytest.fixture(scope="module")
def warehouse(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    funnel_world.load(engine)
    auth.ensure_demo_users(engine, "funnel-pass-2026")
    yield engine.url.render_as_string(hide_password=False)
    drop_engine(backend, engine)


def report(capsys, url: str, name: str, *extra: str, user: str = "director") -> list[dict]:
    code = main(
        ["report", name, "--db", url, "--as-user", user, "--as-of", str(AS_OF), *extra, "--format", "json"]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_report_funnel(warehouse, capsys):
    rows = report(capsys, warehouse, "funnel")
    assert [r["stage"] for r in rows] == [0, 1, 2, 3, 4]
    assert [r["reached"] for r in rows] == [9, 8, 7, 5, 3]
    assert rows[0]["conversion"] == pytest.approx(8 / 9)
    assert set(rows[0]) >= {"reached_value", "won", "closed", "win_rate_cohort", "win_rate_closed"}
    assert rows[0]["win_rate_closed"] == pytest.approx(0.6)
    assert rows[0]["cohort_start"].startswith("2025-07-01")


def test_report_funnel_from_to_and_filter(warehouse, capsys):
    rows = report(capsys, warehouse, "funnel", "--from", "2025-01-01", "--to", "2026-06-30")
    assert [r["reached"] for r in rows] == [10, 9, 8, 6, 4]
    rows = report(capsys, warehouse, "funnel", "--filter", "product=ICT集成")
    assert [r["reached"] for r in rows] == [2, 2, 2, 2, 1]


def test_report_durations_classes_process_problems(warehouse, capsys):
    durations = report(capsys, warehouse, "durations")
    assert [r["median_days"] for r in durations] == pytest.approx([15, 21, 21, 30, 14])
    assert [r["p90_days"] for r in durations] == pytest.approx([19, 31, 26.6, 30.6, 18])
    classes = report(capsys, warehouse, "classes")
    assert [(r["opportunity_class"], r["opportunities"]) for r in classes] == [
        ("major", 2),
        ("important", 2),
        ("ordinary_1", 1),
        ("ordinary_2", 4),
        ("small", 1),
    ]
    process = report(capsys, warehouse, "process")
    assert (process[0]["level"], process[0]["skipped_stages"], process[0]["backward_moves"]) == (
        "total",
        2,
        1,
    )
    problems = report(capsys, warehouse, "problems")
    # Under the default thresholds (overdue by more than 60 days, 2 × p90, 60 days idle): F6 has
    # sat 60 days in stage 2 > 2 × 26.6 = 53.2; F5 71 days in stage 1 > 2 × 31 = 62 (and abnormal);
    # F4's 29 days in stage 2 are stale only at 1 × p90 (26.6), and it was called on 06-20.
    assert [r["opportunity_id"] for r in problems] == ["F6", "F5"]
    assert {"overdue", "stale", "idle", "abnormal", "slip_count"} <= set(problems[0])


def test_report_follows_the_users_scope(warehouse, capsys):
    # account_manager is bound to an account manager of the team manager's team (浦东一组: A1).
    rows = report(capsys, warehouse, "funnel", user="account_manager")
    assert rows[0]["reached"] == 4  # F1, F2, F7, F8
    assert report(capsys, warehouse, "problems", user="account_manager") == []


def test_report_csv_and_table(warehouse, capsys):
    assert main(["report", "funnel", "--db", warehouse, "--as-user", "director", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("stage,reached,reached_value,conversion")
    assert main(["report", "durations", "--db", warehouse, "--as-user", "director"]) == 0
    assert "median_days" in capsys.readouterr().out
