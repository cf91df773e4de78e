"""Forecast horizons (issue 16 item 3): which months, deals and run-rate months fall in a window.

Hand-worked on tests/forecast_world.py (as_of 2026-06-30, revenue loaded through
202605).  Open deals and their close months (months from January 2026; an
overdue or missing close date is as_of's month): O2 and O7 in 6 (June), O4 7,
O1 8, O5 9, O3 12, O6 14 (February 2027).  A won deal earns annual_value / 12 a
month from the month after its close month, counting only the window's months.

Run-rate per month (the last 3 periods 202603..05, one-off fees out): 浦东 综合VPN
(10000 + 10000 + 9400) / 3 = 9800; 徐汇 企业总机 (0 + 6300 + 6000) / 3 = 4100.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.cli import main
from analytics.context import Context
from analytics.forecast.horizons import (
    expected_vs_band,
    forecast_report,
    lead_horizon,
    window_forecast,
    window_lines,
    window_of,
)
from analytics.forecast.probabilities import SlipDistribution, open_pipeline
from analytics.forecast.simulate import Deals, simulate
from analytics.scope import Scope
from analytics.settings import Settings
from analytics.warehouse import replace_all
from tests import forecast_world
from tests.conftest import drop_engine, new_engine
from tests.forecast_world import AS_OF
from ui.catalogue import LABELS

SETTINGS = Settings().with_overrides(probability_shrinkage=2.0)
VPN, PHONE = ("浦东", "综合VPN"), ("徐汇", "企业总机")


def ctx_for(engine, as_of: date = AS_OF, settings: Settings = SETTINGS) -> Context:
    return Context(engine, Scope.company(), settings, as_of)


# --- the windows ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("horizon", "as_of", "data_through", "months", "periods"),
    [
        ("year_end", date(2026, 6, 30), 202605, (6, 12), (202606, 202612)),
        ("next_quarter", date(2026, 6, 30), 202605, (7, 9), (202607, 202609)),
        ("next_quarter", date(2026, 7, 1), 202606, (10, 12), (202610, 202612)),
        ("next_quarter", date(2026, 12, 4), 202611, (13, 15), (202701, 202703)),
        ("next_12_months", date(2026, 6, 30), 202605, (6, 17), (202606, 202705)),
        ("next_12_months", date(2027, 1, 8), 202611, (0, 11), (202612, 202711)),
        ("next_12_months", date(2026, 3, 2), None, (3, 14), (202603, 202702)),
        ("next_year", date(2026, 12, 4), 202611, (13, 24), (202701, 202712)),
    ],
)
def test_window_months(horizon, as_of, data_through, months, periods):
    window = window_of(horizon, as_of, data_through)
    assert (window.first, window.last) == months
    assert (window.first_period, window.last_period) == periods


# --- the simulation over a window (pure numpy) --------------------------------------------


def test_simulation_earns_only_the_window_months():
    """Sure deals of 1,200 a year (100 a month): closing in June, December and February next year."""
    deals = Deals(
        p_win=np.ones(3), value=np.full(3, 1200.0), close_month=np.array([6, 12, 14]),
        line=np.array([0, 0, 1]), n_lines=2,
    )  # fmt: skip
    common = {"first_close": 6, "runs": 50, "seed": 1}
    next_year = simulate(deals, SlipDistribution.none(), months=np.arange(13, 25), earn_from=13, **common)
    # January-December 2027: the June and December deals earn all 12 months, the February one 10.
    assert next_year.paths[:, 0, -1] == pytest.approx([2400.0, 1000.0])
    assert next_year.paths[0, 0, :3] == pytest.approx([200.0, 400.0, 600.0])  # cumulative from January
    quarter = simulate(deals, SlipDistribution.none(), months=np.arange(7, 10), earn_from=7, **common)
    assert quarter.paths[:, 0, -1] == pytest.approx([300.0, 0.0])  # July-September: the June deal only
    year_end = simulate(deals, SlipDistribution.none(), months=np.arange(6, 13), **common)
    assert year_end.paths[:, 0, -1] == pytest.approx([600.0, 0.0])  # as before: July-December
    # A slip of +2 months for every deal: the December deal now closes in February (earns 10 months).
    later = SlipDistribution(np.array([2]), np.array([1.0]), 1)
    slipped = simulate(deals, later, months=np.arange(13, 25), earn_from=13, **common)
    assert slipped.paths[:, 0, -1] == pytest.approx([2200.0, 800.0])
    assert slipped.expected[:, -1] == pytest.approx([2200.0, 800.0])


# --- a window on the forecast world (both backends) ---------------------------------------


def by_line(frame: pd.DataFrame, column: str) -> dict:
    rows = frame[frame["level"] == "branch"]
    return dict(zip(rows["branch"], rows[column], strict=True))


def test_next_quarter_and_next_12_months_by_hand(forecast_engine):
    ctx = ctx_for(forecast_engine)
    p = open_pipeline(ctx).set_index("opportunity_id")
    value = p["p_win"] * p["annual_value"] / 12  # expected revenue per month earned

    quarter = window_forecast(ctx, "next_quarter")  # July-September 2026
    assert (quarter["first_period"], quarter["last_period"], quarter["months"]) == (202607, 202609, 3)
    levels = quarter["levels"]
    assert by_line(levels, "run_rate") == pytest.approx({"浦东": 9800 * 3, "徐汇": 4100 * 3})
    # O2 (June) 3 months, O1 (August) 1; O7 (June) 3, O4 (July) 2; O5 (September), O3, O6 nothing.
    assert by_line(levels, "pipeline_expected") == pytest.approx(
        {"浦东": 3 * value["O2"] + 1 * value["O1"], "徐汇": 3 * value["O7"] + 2 * value["O4"]}
    )
    # The quarter's phased budget: 综合VPN 15000 x 3, 企业总机 and ICT集成 annual / 12 x 3.
    assert quarter["overall"]["budget"] == pytest.approx(45_000 + 30_000 + 15_000)
    assert quarter["overall"]["gap"] == pytest.approx(90_000 - quarter["overall"]["forecast_expected"])

    rolling = window_forecast(ctx, "next_12_months")  # June 2026-May 2027
    assert (rolling["first_period"], rolling["last_period"]) == (202606, 202705)
    levels = rolling["levels"]
    assert by_line(levels, "run_rate") == pytest.approx({"浦东": 9800 * 12, "徐汇": 4100 * 12})
    months = {"O2": 11, "O1": 9, "O3": 5, "O5": 8, "O6": 3, "O7": 11, "O4": 10}
    pudong = sum(months[o] * value[o] for o in ("O2", "O1", "O3", "O5", "O6"))
    assert by_line(levels, "pipeline_expected") == pytest.approx(
        {"浦东": pudong, "徐汇": 11 * value["O7"] + 10 * value["O4"]}
    )
    # No 2027 budget is loaded: no gap against half a budget.
    assert rolling["budget_note"] == "no_budget" and rolling["overall"]["budget"] is None
    # The page says why in words: every note has its sentence (it showed the bare key once).
    assert f"fc_window_{rolling['budget_note']}" in LABELS and "fc_window_no_basis" in LABELS
    overall = rolling["overall"]
    assert overall["p10"] <= overall["p50"] <= overall["p90"] and overall["p10"] < overall["p90"]


def test_window_reads_revenue_only_through_the_period_asked(forecast_engine):
    """A backtest of a window reads the revenue known then: through 202604 the run-rate is the
    mean of 202602..04, 浦东 (10000 x 3) / 3 = 10000 (the 调测费 is one-off), 徐汇
    (6000 + 0 + 6300) / 3 = 4100; by default (as_of's month) 202603..05: 9800 and 4100."""
    ctx = ctx_for(forecast_engine)
    window = window_of("next_quarter", AS_OF, 202604)
    earlier, _, _ = window_lines(ctx, window, 202604, through=202604)
    live, _, _ = window_lines(ctx, window, 202604)
    rates = {
        name: dict(zip(f["branch"], f["recurring_monthly"], strict=True))
        for name, f in (("e", earlier), ("l", live))
    }
    assert rates["e"] == pytest.approx({"浦东": 10000, "徐汇": 4100})
    assert rates["l"] == pytest.approx({"浦东": 9800, "徐汇": 4100})


def test_report_forecast_horizon_is_the_window_forecast(forecast_engine):
    ctx = ctx_for(forecast_engine)
    report = forecast_report(ctx, "next_quarter")
    overall = report[report["level"] == "overall"].iloc[0]
    page = window_forecast(ctx, "next_quarter")["overall"]
    for field in ("run_rate", "pipeline_expected", "forecast_expected", "p10", "p50", "p90", "budget", "gap"):
        assert overall[field] == pytest.approx(page[field]), field


# --- which horizon the page leads with ------------------------------------------------------


@pytest.fixture(scope="module")
def december_engine(backend, tmp_path_factory, pg_available):
    """The forecast world moved on to December: revenue through November, a 2027 budget loaded."""
    frames = forecast_world.build_frames()
    revenue = frames["revenue"]
    later = revenue[revenue["period"] == 202605].copy()
    extra = []
    for period in range(202606, 202612):
        extra.append(later.assign(period=period))
    frames["revenue"] = pd.concat([revenue, *extra], ignore_index=True)
    budget = frames["budget"]
    frames["budget"] = pd.concat([budget, budget.assign(year=2027)], ignore_index=True)
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, frames, loaded_by="test", label="fixture")
    yield engine
    drop_engine(backend, engine)


def test_december_leads_with_next_year(december_engine, forecast_engine):
    december = date(2026, 12, 4)
    assert lead_horizon(ctx_for(december_engine, december)) == "next_year"
    assert lead_horizon(ctx_for(forecast_engine)) == "year_end"  # June: the year-end
    # No 2027 budget in the plain world: December leads with the rolling 12 months instead.
    assert lead_horizon(ctx_for(forecast_engine, december)) == "next_12_months"
    # November with one month of the year left to load: the year-end band has collapsed.
    november = ctx_for(december_engine, date(2026, 11, 27))
    assert lead_horizon(november) == "next_year"
    assert lead_horizon(
        replace(november, settings=SETTINGS.with_overrides(forecast_forward_months_left=0))
    ) == ("year_end")
    result = window_forecast(ctx_for(december_engine, december), "next_year")
    assert (result["first_period"], result["last_period"]) == (202701, 202712)
    assert result["budget_note"] == "ok" and result["overall"]["budget"] == pytest.approx(360_000)


def test_report_command_prints_the_page_numbers(demo_warehouse, capsys):
    """``report forecast --horizon next_12_months`` prints what the page's function gives."""
    from analytics import auth
    from analytics.scope import Filters
    from analytics.settings import load_settings

    argv = ["report", "forecast", "--horizon", "next_12_months", "--as-user", "director", "--format", "json"]
    assert main([*argv, "--db", demo_warehouse["url"], "--as-of", str(demo_warehouse["as_of"])]) == 0
    rows = json.loads(capsys.readouterr().out)
    overall = next(r for r in rows if r["level"] == "overall")
    settings = load_settings()
    scope = auth.scope_for_user(demo_warehouse["engine"], "director", settings)
    page = window_forecast(
        Context(demo_warehouse["engine"], scope, settings, demo_warehouse["as_of"], Filters()),
        "next_12_months",
    )
    assert overall["horizon"] == "next_12_months"
    assert (overall["first_period"], overall["last_period"]) == (page["first_period"], page["last_period"])
    for field in ("run_rate", "pipeline_expected", "forecast_expected", "p10", "p50", "p90"):
        assert overall[field] == pytest.approx(page["overall"][field]), field


def test_backtest_coverage_by_months_ahead_by_hand():
    """Frozen on 2026-10-16: November is 1 month ahead, December 2; frozen 2026-11-20: December 1."""
    from analytics.forecast.frozen import by_lead

    lines = pd.DataFrame(
        {
            "snapshot_date": [date(2026, 10, 16)] * 4 + [date(2026, 11, 20)] * 2,
            "year": [2026] * 6,
            "month": [11, 11, 12, 12, 12, 12],
            "inside_band": [True, False, True, True, False, False],
        }
    )
    totals = lines.drop_duplicates(["snapshot_date", "month"]).assign(inside_band=[True, False, True])
    frame = by_lead(lines, totals).set_index("months_ahead")
    assert frame["lines_scored"].to_dict() == {1: 4, 2: 2}
    assert frame["lines_coverage"].to_dict() == pytest.approx({1: 0.25, 2: 1.0})  # 1 of 4 one month ahead
    assert frame["company_scored"].to_dict() == {1: 2, 2: 1}
    assert frame["company_coverage"].to_dict() == pytest.approx({1: 1.0, 2: 0.0})  # Oct16-Nov, Nov20-Dec in
    assert by_lead(lines.iloc[:0], totals.iloc[:0]).empty


# --- the growth parts in a forward window ---------------------------------------------------


def test_next_12_months_counts_business_not_yet_created(forecast_engine):
    """Deals created and won inside the window raise the rolling 12 months' band and its P50.

    The world's history has wins created in January (lag 3: C2, C6) and October 2025 (lag 2:
    C1), so business still to be created from July on is expected to win by the window's end.
    Without the part, the same window (same draws) sits lower by about its mean.
    """
    with_part = window_forecast(
        ctx_for(forecast_engine, settings=SETTINGS.with_overrides(forecast_parts=["new_business"])),
        "next_12_months",
    )["overall"]
    without = window_forecast(
        ctx_for(forecast_engine, settings=SETTINGS.with_overrides(forecast_parts=[])), "next_12_months"
    )["overall"]
    assert with_part["new_business"] > 0 and without["new_business"] == 0
    assert with_part["forecast_expected"] == pytest.approx(
        without["forecast_expected"] + with_part["new_business"]
    )
    assert with_part["p50"] > without["p50"] + 0.5 * with_part["new_business"]
    # Next quarter (July-September): no lag seen is short enough for a deal created from July on
    # to earn inside it (a July deal won at lag 2 earns from October).
    quarter = window_forecast(
        ctx_for(forecast_engine, settings=SETTINGS.with_overrides(forecast_parts=["new_business"])),
        "next_quarter",
    )["overall"]
    assert quarter["new_business"] == 0


@pytest.mark.parametrize(
    ("expected", "position"), [(105.0, "above"), (100.0, "inside"), (90.0, "inside"), (89.0, "below")]
)
def test_the_page_says_when_the_expected_lies_outside_its_band(expected, position):
    """forecast_expected counts each deal from its expected close month; the band draws the
    close month from when wins came: when they part, the page names which side and why."""
    overall = {"forecast_expected": expected, "p10": 90.0, "p50": 95.0, "p90": 100.0}
    assert expected_vs_band(overall) == position
    if position != "inside":
        assert f"fc_expected_{position}_band" in LABELS
