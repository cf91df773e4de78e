"""Calibration of p(o), frozen forecasts and their scores, by hand from tests/forecast_world.py.

Backtest date S0 = 2026-03-31 (shrinkage 2).  Closed by S0 in its look-back
(from 2024-03-31): C1 won(4), C4 lost(1), C5 terminated(3), C7 lost(0), C8 won(4):
stage rates k1 2/4, k2 2/3, k3 2/3.  Open at S0 and closed by as_of:
C2 stage 3 small 综合VPN: (2 + 2·2/3) / (2 + 2) = 5/6, won;
C3 stage 2 small 综合VPN: 5/6, lost; C6 stage 2 ordinary_2 企业总机: (0 + 2·2/3) / (1 + 2) = 4/9, won.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from analytics import schema
from analytics.context import Context
from analytics.forecast.calibration import (
    calibration,
    curve_z,
    probability_backtest,
    reliability_from_sums,
    reliability_table,
    wilson,
)
from analytics.forecast.components import build_model
from analytics.forecast.freeze import freeze_all, freeze_forecasts, known_through
from analytics.forecast.frozen import forecast_backtest_report, frozen_scores
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from tests.forecast_world import AS_OF, S0

SETTINGS = Settings().with_overrides(
    probability_shrinkage=2.0, probability_lift_by_evidence=False, forecast_parts=[]
)
"""Hand-computed figures without growth.py's parts (tests/test_forecast_growth.py covers those),
with the multiplied segment lift (the evidence lift: tests/test_probabilities_recovery.py)."""


def ctx_for(engine, scope=None) -> Context:
    return Context(engine, scope or Scope.company(), SETTINGS, AS_OF, Filters())


def test_backtest_scores_deals_closed_since(forecast_engine):
    backtest = probability_backtest(ctx_for(forecast_engine)).set_index("opportunity_id")
    assert sorted(backtest.index) == ["C2", "C3", "C6"]  # O2 is still open: no outcome yet
    assert (backtest["as_of_date"] == S0).all()
    assert backtest["p_win"].to_dict() == pytest.approx({"C2": 5 / 6, "C3": 5 / 6, "C6": 4 / 9})
    assert backtest["stage_rate"].tolist() == pytest.approx([2 / 3] * 3)
    assert backtest["won"].to_dict() == {"C2": 1, "C3": 0, "C6": 1}


def test_brier_score_against_the_stage_only_baseline(forecast_engine):
    summary = calibration(ctx_for(forecast_engine))["summary"]
    assert summary["brier_score"] == pytest.approx(((1 / 6) ** 2 + (5 / 6) ** 2 + (5 / 9) ** 2) / 3)
    assert summary["brier_baseline"] == pytest.approx(((1 / 3) ** 2 + (2 / 3) ** 2 + (1 / 3) ** 2) / 3)
    assert summary["brier_skill"] == pytest.approx(1 - summary["brier_score"] / summary["brier_baseline"])
    assert (summary["backtest_dates"], summary["predictions"], summary["deals"]) == (1, 3, 3)


def test_reliability_table(forecast_engine):
    table = reliability_table(probability_backtest(ctx_for(forecast_engine)))
    calibrated = table[table["model"] == "calibrated"].set_index("bucket")
    assert list(calibrated.index) == ["0.4-0.5", "0.8-0.9", "all"]
    assert calibrated.loc["0.8-0.9", ["predictions", "predicted", "observed"]].tolist() == pytest.approx(
        [2, 5 / 6, 0.5]
    )
    assert calibrated.loc["0.4-0.5", "observed"] == 1.0
    naive = table[table["model"] == "stage_only"].set_index("bucket")
    assert naive.loc["0.6-0.7", ["predictions", "observed"]].tolist() == pytest.approx([3, 2 / 3])


def test_backtest_follows_the_scope(forecast_engine):
    summary = calibration(ctx_for(forecast_engine, Scope.of_branch("徐汇")))["summary"]
    assert summary["predictions"] == 1
    assert summary["brier_score"] == pytest.approx((5 / 9) ** 2)


def test_freeze_is_idempotent_and_matches_the_forecast(forecast_engine):
    from analytics.forecast.yearend import year_end_forecast

    assert known_through(AS_OF) == 202605 and known_through(S0) == 202602
    # 3 lines x June..December, and x the next quarter's 3 and the next 12 months' 12 months
    assert freeze_forecasts(forecast_engine, AS_OF, SETTINGS) == 3 * 7 + 3 * (3 + 12)
    assert freeze_forecasts(forecast_engine, AS_OF, SETTINGS) == 66
    with forecast_engine.connect() as conn:
        t = schema.forecast_snapshots
        year_end_rows = (t.c.snapshot_date == AS_OF) & (t.c.horizon == "year_end")
        rows = conn.execute(select(func.count()).select_from(t).where(year_end_rows)).scalar()
        year_end = conn.execute(
            select(func.sum(t.c.expected)).where(year_end_rows & (t.c.month == 12))
        ).scalar()
    assert rows == 21
    assert year_end == pytest.approx(
        year_end_forecast(ctx_for(forecast_engine))["overall"]["forecast_expected"]
    )


def test_frozen_forecasts_scored_against_revenue_that_arrived(forecast_engine):
    # S0 knew through 202602: months 3..12; each of S0 and AS_OF: the next quarter's 3, next 12 months' 12
    assert freeze_all(forecast_engine, SETTINGS) == 3 * 10 + 21 + 2 * 3 * (3 + 12)
    scores = frozen_scores(ctx_for(forecast_engine)).set_index(["branch", "product", "month"]).sort_index()
    assert len(scores) == 9 and (scores["snapshot_date"] == S0).all()  # months 3..5 of S0 arrived since
    # 浦东 综合VPN at S0: 20000 to date + 10000 a month; C2 (5/6, March), O2 (0.6, March), C3 (5/6, May).
    vpn = scores.loc[("浦东", "综合VPN")]
    assert vpn["expected"].tolist() == pytest.approx(
        [30_000, 40_000 + 5_000 / 12 * 5 / 6 + 500 * 0.6, 50_000 + 2 * (5_000 / 12 * 5 / 6 + 500 * 0.6)]
    )
    assert vpn["actual"].tolist() == pytest.approx([30_000, 43_000, 52_400])
    # 徐汇 企业总机: 12000 + 4000 a month; C6 (4/9, April) earns from May.
    xuhui = scores.loc[("徐汇", "企业总机")]
    assert xuhui["expected"].tolist() == pytest.approx([16_000, 20_000, 24_000 + 20_000 / 12 * 4 / 9])
    assert xuhui["actual"].tolist() == pytest.approx([12_000, 18_300, 26_300])
    assert bool(vpn.loc[3, "inside_band"]) and not bool(xuhui.loc[3, "inside_band"])  # no pipeline in March
    assert scores.loc[("浦东", "ICT集成"), "inside_band"].all()
    frozen = calibration(ctx_for(forecast_engine))
    summary = frozen["frozen_summary"]
    assert summary["scored"] == 9
    assert summary["bias"] == pytest.approx(scores["error"].sum() / scores["actual"].sum())
    history = frozen["frozen_history"].set_index("snapshot_date")["expected"]
    s0_year_end = 120_000 + 9 * (5_000 / 12 * 5 / 6 + 500 * 0.6) + 7 * 5_000 / 12 * 5 / 6
    s0_year_end += 52_000 + 8 * 20_000 / 12 * 4 / 9
    assert history[S0] == pytest.approx(s0_year_end)
    assert history[AS_OF] == pytest.approx(216_798)  # O5 at p 0.95 (probability_open_max)


def test_frozen_forecasts_are_per_branch(forecast_engine):
    freeze_all(forecast_engine, SETTINGS)
    team = calibration(ctx_for(forecast_engine, Scope.of_team("浦东", "浦东一组")))
    assert team["frozen_summary"]["scored"] == 0 and not team["frozen_in_scope"]
    branch = frozen_scores(ctx_for(forecast_engine, Scope.of_branch("徐汇")))
    assert set(branch["branch"]) == {"徐汇"} and len(branch) == 3


def test_company_total_frozen_with_its_own_band_and_scored(forecast_engine):
    """The company total's band is frozen from the lines summed run by run (issue 16): the live
    model's overall band, scored against the company's revenue in ``report forecast_backtest``."""
    freeze_all(forecast_engine, SETTINGS)
    ctx = ctx_for(forecast_engine)
    with forecast_engine.connect() as conn:
        table = schema.forecast_snapshot_totals
        year_end = (table.c.snapshot_date == S0) & (table.c.horizon == "year_end")
        totals = conn.execute(select(table).where(year_end).order_by(table.c.month)).all()
    live = build_model(
        Context(forecast_engine, Scope.company(), SETTINGS, S0), through_period=known_through(S0)
    )
    paths = live.simulation.paths.sum(0) + live.base_through.sum(0)[None]
    assert [t.month for t in totals] == list(live.months)
    assert [t.p10 for t in totals] == pytest.approx(list(np.quantile(paths, 0.1, axis=0)), rel=1e-6)
    assert [t.p90 for t in totals] == pytest.approx(list(np.quantile(paths, 0.9, axis=0)), rel=1e-6)
    report = forecast_backtest_report(ctx)
    assert set(report["horizon"]) == {"year_end"}  # by default the year-end's rows only, as before
    company = report[(report["level"] == "company") & (report["snapshot_date"] != "all")]
    # S0's months 3..5 have arrived: the company's revenue is the sum of the three lines'.
    lines = frozen_scores(ctx).groupby("month")["actual"].sum()
    assert company["month"].tolist() == [3, 4, 5]
    assert company["actual"].tolist() == pytest.approx(lines.tolist())
    assert set(company["coverage"]) <= {0.0, 1.0}
    summary = report[report["snapshot_date"] == "all"].set_index("level")
    assert summary.loc["company", "coverage"] == pytest.approx(company["coverage"].mean())
    assert summary.loc["lines", "lines"] == 9
    # A branch sees no company row: the total is not theirs.
    branch = forecast_backtest_report(ctx_for(forecast_engine, Scope.of_branch("徐汇")))
    assert set(branch["level"]) == {"lines"}


def _frozen(engine, table, rows: list[tuple]) -> None:
    """Hand-made frozen rows: (snapshot_date, horizon, year, month, [branch, product,] p10, p50, p90)."""
    with engine.begin() as conn:
        for row in rows:
            day, horizon, year, month, *line, p10, p50, p90 = row
            keys = dict(zip(["branch", "product"], line, strict=True)) if line else {"lines": 3}
            conn.execute(
                table.insert().values(
                    snapshot_date=day, horizon=horizon, year=year, month=month, data_through=None,
                    expected=p50, p10=p10, p50=p50, p90=p90, frozen_at=datetime(2026, 1, 1), **keys,
                )
            )  # fmt: skip


def test_each_horizon_scored_from_its_own_first_month_by_hand(forecast_engine):
    """A tiny frozen table per horizon, scored by hand (revenue through 202605, tests/forecast_world.py):
    a window's row is scored on the revenue from the window's first month, the year-end's from January,
    and by_horizon gives each horizon's coverage, P50 MAPE and bias (issue 16 item 4)."""
    from analytics.forecast.frozen import backtest_health, by_horizon, total_scores

    with forecast_engine.begin() as conn:  # the module's earlier tests froze S0 and AS_OF here
        for table in (schema.forecast_snapshots, schema.forecast_snapshot_totals):
            conn.execute(table.delete())
    nq, n12 = date(2026, 3, 20), date(2025, 12, 20)
    vpn, phone = ("浦东", "综合VPN"), ("徐汇", "企业总机")
    _frozen(
        forecast_engine,
        schema.forecast_snapshots,
        [
            (nq, "next_quarter", 2026, 4, *vpn, 10_000, 12_000, 14_000),  # April 13,000: inside
            (nq, "next_quarter", 2026, 5, *vpn, 15_000, 20_000, 22_000),  # + May 9,400 = 22,400: above
            (nq, "next_quarter", 2026, 6, *vpn, 25_000, 30_000, 35_000),  # June not loaded: not scored
            (nq, "next_quarter", 2026, 4, *phone, 7_000, 8_000, 9_000),  # 6,300: below
            (nq, "next_quarter", 2026, 5, *phone, 10_000, 14_000, 16_000),  # + 8,000 = 14,300: inside
            (n12, "next_12_months", 2025, 12, *vpn, 9_000, 10_000, 11_000),  # December 10,000: inside
            (n12, "next_12_months", 2026, 1, *vpn, 21_000, 22_000, 23_000),  # 20,000: below
            (n12, "next_12_months", 2026, 5, *vpn, 60_000, 62_000, 64_000),  # 62,400: inside
            (nq, "year_end", 2026, 4, *vpn, 40_000, 42_000, 44_000),  # January..April 43,000: inside
        ],
    )
    _frozen(
        forecast_engine,
        schema.forecast_snapshot_totals,
        [
            (n12, "next_12_months", 2025, 12, 9_000, 10_000, 11_000),  # 10,000: inside
            (n12, "next_12_months", 2026, 1, 20_000, 25_000, 27_000),  # + 16,000 = 26,000: inside
            (n12, "next_12_months", 2026, 5, 90_000, 95_000, 99_000),  # 62,400 + 26,300 = 88,700: below
        ],
    )
    ctx = ctx_for(forecast_engine)
    scores = frozen_scores(ctx, None).set_index(["horizon", "month", "branch"])["actual"]  # by period
    assert scores.loc[("next_quarter", 4)].to_dict() == {"浦东": 13_000, "徐汇": 6_300}
    assert scores.loc[("next_quarter", 5)].to_dict() == {"浦东": 22_400, "徐汇": 14_300}
    assert scores.loc["next_12_months"].tolist() == [10_000, 20_000, 62_400]  # 202512, 202601, 202605
    assert scores.loc[("year_end", 4, "浦东")] == 43_000
    assert len(frozen_scores(ctx)) == 1  # the year-end's alone, as before
    totals = total_scores(ctx, None)
    assert totals["actual"].tolist() == [10_000, 26_000, 88_700]

    table = by_horizon(frozen_scores(ctx, None), totals).set_index(["horizon", "level"])
    quarter = table.loc[("next_quarter", "lines")]
    assert (quarter["rows"], quarter["effective"], quarter["coverage"]) == (4, 4.0, 0.5)
    assert quarter["mape"] == pytest.approx(
        (1_000 / 13_000 + 2_400 / 22_400 + 1_700 / 6_300 + 300 / 14_300) / 4
    )
    assert quarter["bias"] == pytest.approx((1_000 + 2_400 - 1_700 + 300) / 56_000)
    twelve = table.loc[("next_12_months", "lines")]
    assert twelve["coverage"] == pytest.approx(2 / 3)
    assert twelve["mape"] == pytest.approx((0 + 2_000 / 20_000 + 400 / 62_400) / 3)
    assert twelve["bias"] == pytest.approx(-1_600 / 92_400)
    company = table.loc[("next_12_months", "company")]
    assert company["coverage"] == pytest.approx(2 / 3)
    assert company["bias"] == pytest.approx((0 + 1_000 - 6_300) / 124_700)
    assert table.loc[("year_end", "lines"), "coverage"] == 1.0
    assert ("next_quarter", "company") not in table.index  # nothing frozen for it

    # The page's warning reads the horizon shown once it has enough scored rows, else the year-end's.
    strict = replace(ctx, settings=SETTINGS.with_overrides(forecast_backtest_min_scored=4))
    assert backtest_health(strict, "next_quarter")["horizon"] == "next_quarter"
    assert backtest_health(strict, "next_quarter")["coverage_ok"] is False  # 50 %
    assert backtest_health(strict, "next_12_months")["horizon"] == "year_end"  # 3 rows: too few
    assert backtest_health(strict, "next_12_months")["coverage"] == 1.0  # the year-end's 1 of 1

    report = forecast_backtest_report(ctx, "next_quarter")
    assert set(report["horizon"]) == {"next_quarter"}
    quarter_all = report[report["snapshot_date"] == "all"]
    assert quarter_all[["level", "lines", "coverage"]].values.tolist() == [["lines", 4, 0.5]]
    assert forecast_backtest_report(ctx, "next_year").empty  # never frozen


# --- the reliability curve's sampling interval (Wilson) --------------------------------------


def test_wilson_interval_by_hand():
    assert wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson(30, 100) == pytest.approx((0.2189, 0.3958), abs=1e-4)
    assert all(np.isnan(wilson(0, 0)))


def test_reliability_rows_say_whether_the_prediction_sits_in_the_interval():
    sums = pd.DataFrame(
        {
            "as_of_date": S0,
            "model": ["calibrated", "calibrated", "stage_only"],
            "bucket": [3, 5, 6],
            "predictions": [100, 10, 100],
            "p_sum": [35.0, 5.5, 65.0],  # mean predicted 0.35, 0.55, 0.65
            "wins": [30, 5, 30],
            "squared_error_sum": [20.0, 2.5, 30.0],
        }
    )
    rows = reliability_from_sums(sums).set_index(["model", "bucket"])
    assert rows.loc[("calibrated", "0.3-0.4"), "observed_low"] == pytest.approx(0.2189, abs=1e-4)
    assert rows.loc[("calibrated", "0.3-0.4"), "within"]  # 0.35 in (0.219, 0.396)
    assert rows.loc[("calibrated", "0.5-0.6"), "within"]  # 0.55 in (0.237, 0.763)
    assert not rows.loc[("stage_only", "0.6-0.7"), "within"]  # 0.65 above (0.219, 0.396)
    assert rows.loc[("calibrated", "all"), "predictions"] == 110


def test_the_curve_is_judged_as_a_whole():
    """Ten buckets of 100 predictions: the 0.1-0.2 bucket predicts 0.166 against 24 wins, outside
    its own 95 % interval (0.1669, 0.3323) but inside the curve's: z = Φ⁻¹(1 - 0.05 / 20) = 2.807,
    Wilson (0.1420, 0.3760).  The 0.8-0.9 bucket predicts 0.85 against 40 wins, outside both
    (0.2747, 0.5399): the 'all' row says the curve is not within."""
    assert curve_z(10) == pytest.approx(2.8070, abs=1e-4)
    buckets = list(range(10))
    predicted = [0.05, 0.166, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95]
    wins = [5, 24, 25, 35, 45, 55, 65, 75, 85, 95]
    sums = pd.DataFrame(
        {
            "as_of_date": S0,
            "model": "calibrated",
            "bucket": buckets,
            "predictions": 100,
            "p_sum": [100 * p for p in predicted],
            "wins": wins,
            "squared_error_sum": 20.0,
        }
    )
    rows = reliability_from_sums(sums).set_index(["model", "bucket"])
    low = rows.loc[("calibrated", "0.1-0.2")]
    assert not low["within"] and low["within_curve"]
    assert rows.loc[("calibrated", "all"), "within_curve"]
    missed = sums.assign(wins=[*wins[:8], 40, 95])
    rows = reliability_from_sums(missed).set_index(["model", "bucket"])
    assert not rows.loc[("calibrated", "0.8-0.9"), "within_curve"]
    assert not rows.loc[("calibrated", "all"), "within_curve"]
    assert rows.loc[("calibrated", "0.1-0.2"), "within_curve"]


def test_a_deal_scored_at_several_dates_counts_once_in_the_interval():
    """110 predictions of 55 deals (each at two dates, same outcome): the interval is Wilson's on
    half the predictions, 50 of the 100 in bucket 3 with 15 wins, not on all of them."""
    sums = pd.DataFrame(
        {
            "as_of_date": S0,
            "model": ["calibrated", "calibrated", "stage_only"],
            "bucket": [3, 5, 6],
            "predictions": [100, 10, 110],
            "p_sum": [35.0, 5.5, 71.5],
            "wins": [30, 5, 35],
            "squared_error_sum": [20.0, 2.5, 30.0],
        }
    )
    rows = reliability_from_sums(sums, deals=55).set_index(["model", "bucket"])
    low, high = wilson(15, 50)
    assert (low, high) == pytest.approx((0.1910, 0.4375), abs=1e-4)
    assert rows.loc[("calibrated", "0.3-0.4"), ["observed_low", "observed_high"]].tolist() == pytest.approx(
        [low, high]
    )
    assert rows.loc[("calibrated", "0.3-0.4"), "predictions"] == 100  # the count shown stays every prediction
    assert rows.loc[("calibrated", "all"), "observed_low"] == pytest.approx(wilson(35 / 2, 55)[0])
    # Every prediction a deal of its own: as without deals.
    alone = reliability_from_sums(sums, deals=110).set_index(["model", "bucket"])
    assert alone.loc[("calibrated", "0.3-0.4"), "observed_low"] == pytest.approx(wilson(30, 100)[0])


def test_the_per_deal_table_counts_distinct_deals():
    backtest = pd.DataFrame(
        {
            "as_of_date": [S0, S0, AS_OF, AS_OF],
            "opportunity_id": ["D1", "D2", "D1", "D2"],
            "p_win": [0.35, 0.35, 0.35, 0.35],
            "stage_rate": [0.6, 0.6, 0.6, 0.6],
            "won": [1, 0, 1, 0],
        }
    )
    row = reliability_table(backtest).set_index(["model", "bucket"]).loc[("calibrated", "0.3-0.4")]
    assert row["predictions"] == 4
    assert [row["observed_low"], row["observed_high"]] == pytest.approx(list(wilson(1, 2)))


def test_open_deals_at_the_won_stage_take_their_cohorts_rate(demo_warehouse):
    """Deals seen open at the won stage at past dates tell how often one goes on to win: p(o)
    is that cohort's rate, not the closed deals' 1 capped at probability_open_max."""
    from analytics.forecast.probabilities import win_probabilities

    settings = Settings()
    ctx = Context(demo_warehouse["engine"], Scope.company(), settings, demo_warehouse["as_of"])
    p = win_probabilities(ctx)
    won_stage = p[p["probability_stage"] == p["probability_stage"].max()]
    seen = won_stage[won_stage["cohort_closed"] > 0]
    assert len(seen) and (seen["p_win"] > settings.probability_open_max).all()
    assert (won_stage.loc[won_stage["cohort_closed"] == 0, "p_win"] <= settings.probability_open_max).all()
    assert (
        p.loc[p["probability_stage"] < won_stage["probability_stage"].max(), "p_win"]
        <= settings.probability_open_max
    ).all()
