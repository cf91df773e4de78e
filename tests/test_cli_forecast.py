"""``report forecast|calibration|attainment_monthly`` print the numbers the pages show."""

from __future__ import annotations

import json

import pytest

from analytics import auth
from analytics.cli import main
from analytics.context import Context
from analytics.forecast.yearend import year_end_forecast
from analytics.scope import Filters
from analytics.settings import load_settings


def report(capsys, env, *argv: str) -> str:
    code = main(["report", *argv, "--db", env["url"], "--as-of", str(env["as_of"])])
    assert code == 0
    return capsys.readouterr().out


def test_report_forecast_json_equals_the_page_numbers(demo_warehouse, capsys):
    rows = json.loads(
        report(capsys, demo_warehouse, "forecast", "--as-user", "branch_head", "--format", "json")
    )
    overall = next(r for r in rows if r["level"] == "overall")
    settings = load_settings()
    scope = auth.scope_for_user(demo_warehouse["engine"], "branch_head", settings)
    expected = year_end_forecast(
        Context(demo_warehouse["engine"], scope, settings, demo_warehouse["as_of"], Filters())
    )
    for field in (
        "actual_ytd",
        "run_rate",
        "pipeline_expected",
        "forecast_expected",
        "gap",
        "p10",
        "p50",
        "p90",
    ):
        assert overall[field] == pytest.approx(expected["overall"][field]), field
    assert {r["branch"] for r in rows} - {None} == {scope.branch}


def test_report_calibration_and_monthly_as_csv(demo_warehouse, capsys):
    out = report(capsys, demo_warehouse, "calibration", "--as-user", "director", "--format", "csv")
    header = "model,bucket,predictions,predicted,observed,brier_score,observed_low,observed_high,within,within_curve"
    assert out.splitlines()[0] == header  # the interval after the checked-from-outside columns
    assert {line.split(",")[0] for line in out.strip().splitlines()[1:]} == {"calibrated", "stage_only"}
    out = report(capsys, demo_warehouse, "attainment_monthly", "--as-user", "director", "--format", "csv")
    assert out.splitlines()[0].startswith("month,period,actual,budget,actual_cumulative,budget_cumulative")
    assert len(out.strip().splitlines()) == 13
