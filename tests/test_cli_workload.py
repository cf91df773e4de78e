"""`report workload` prints the page's numbers; the Excel export is audited."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from analytics import audit, auth
from analytics.cli import main
from analytics.context import Context
from analytics.exports import export_workbook
from analytics.metrics.workload import FIELDS, workload
from analytics.scope import Filters
from analytics.settings import load_settings


def expected_for(env, username: str, filters: Filters | None = None) -> pd.DataFrame:
    settings = load_settings()
    scope = auth.scope_for_user(env["engine"], username, settings)
    return workload(Context(env["engine"], scope, settings, env["as_of"], filters or Filters()))


def report(capsys, env, username: str, fmt: str, *extra: str) -> str:
    argv = ["report", "workload", "--db", env["url"], "--as-user", username, "--as-of", str(env["as_of"])]
    code = main([*argv, *extra, "--format", fmt])
    assert code == 0
    return capsys.readouterr().out


def test_report_workload_json_has_every_field_and_the_page_numbers(demo_warehouse, capsys):
    rows = json.loads(report(capsys, demo_warehouse, "team_manager", "json"))
    expected = expected_for(demo_warehouse, "team_manager")
    assert len(rows) == len(expected) > 0
    assert set(FIELDS) <= set(rows[0])
    for got, want in zip(rows, expected.to_dict("records"), strict=True):
        assert got["owner_id"] == want["owner_id"] and got["team"] == want["team"]
        assert got["open_count"] == want["open_count"]
        assert got["win_rate_adjusted"] == pytest.approx(want["win_rate_adjusted"])
        assert got["open_value_team_median"] == pytest.approx(want["open_value_team_median"])


def test_report_workload_csv_with_a_filter(demo_warehouse, capsys):
    out = report(capsys, demo_warehouse, "director", "csv", "--filter", "origin=mined")
    frame = pd.read_csv(io.StringIO(out))
    expected = expected_for(demo_warehouse, "director", Filters(origins=("mined",)))
    assert list(frame["new_mined"]) == list(expected["new_mined"])
    assert frame["new_dispatched"].sum() == 0


def test_export_of_the_scorecard_is_recorded(demo_warehouse):
    frame = expected_for(demo_warehouse, "director")
    content = export_workbook(demo_warehouse["engine"], "director", {"客户经理": frame}, "workload test")
    back = pd.read_excel(io.BytesIO(content), sheet_name="客户经理")
    assert list(back["owner_id"]) == list(frame["owner_id"])
    last = audit.recent(demo_warehouse["engine"], limit=1, action="export").iloc[0]
    assert last["username"] == "director" and "workload test" in last["detail"]
