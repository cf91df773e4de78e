"""Budget attainment by month and every year-end forecast component, against values worked
out by hand from tests/forecast_world.py (as_of 2026-06-30, revenue through 202605).

Shrinkage is set to 2 so the hand arithmetic stays readable:
p = (segment_won + 2 x stage_rate) / (segment_closed + 2).
Stage rates at as_of over C1..C7 (3 won): k0 3/7, k1 3/6, k2 3/5, k3 3/4, k4 3/3.
"""

from __future__ import annotations

from datetime import date
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from analytics.blocks.binds import one_off_items
from analytics.context import Context
from analytics.forecast.components import build_model, deal_arrays, run_rates, simulation
from analytics.forecast.probabilities import (
    open_pipeline,
    slip_distribution,
    stage_win_rates,
    win_probabilities,
)
from analytics.forecast.yearend import year_end_forecast
from analytics.metrics.attainment import budget_attainment, revenue_monthly, time_progress
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from tests.forecast_world import AS_OF

SETTINGS = Settings().with_overrides(
    probability_shrinkage=2.0, probability_lift_by_evidence=False, forecast_parts=[], slip_censored=False
)
"""The hand-computed figures below predate growth.py's parts and the censored timing: pinned off
(tests/test_forecast_growth.py, tests/test_forecast_timing.py)."""


def ctx_for(engine, scope=None, as_of=AS_OF, settings=SETTINGS, **filters) -> Context:
    return Context(engine, scope or Scope.company(), settings, as_of, Filters(**filters))


# --- budget attainment -------------------------------------------------------------------


def test_attainment_with_missing_month_annual_only_budget_and_adjustments(forecast_engine):
    frame = budget_attainment(ctx_for(forecast_engine))
    overall = frame[frame["level"] == "overall"].iloc[0]
    # 浦东 VPN 5 x 10000 + 3000 调测费 - 600 调整 = 52400; 徐汇 总机 4 x 6000 (202603 missing) + 300 + 2000 = 26300.
    assert overall["actual_ytd"] == pytest.approx(78_700)
    assert overall["data_through"] == 202605
    assert overall["budget_annual"] == pytest.approx(360_000)
    # 浦东 VPN 5 x 15000; annual-only 120000 and 60000 phased 5/12.
    assert overall["budget_ytd"] == pytest.approx(75_000 + 50_000 + 25_000)
    assert overall["attainment"] == pytest.approx(78_700 / 360_000)
    assert overall["ytd_attainment"] == pytest.approx(78_700 / 150_000)
    assert overall["progress_gap"] == pytest.approx(78_700 / 360_000 - time_progress(AS_OF))
    line = frame[frame["level"] == "branch_product"].set_index(["branch", "product"])
    assert line.loc[("浦东", "ICT集成"), "actual_ytd"] == 0
    assert line.loc[("浦东", "ICT集成"), "budget_ytd"] == pytest.approx(25_000)


def test_revenue_monthly_actual_and_phased_budget_cumulative(forecast_engine):
    frame = revenue_monthly(ctx_for(forecast_engine)).set_index("month")
    assert list(frame.index) == list(range(1, 13))
    # Month 3: 徐汇 sent nothing, so only 浦东's 10000; month 4 has the one-off and the blank fee item.
    assert frame["actual"].iloc[:5].tolist() == pytest.approx([16_000, 16_000, 10_000, 19_300, 17_400])
    assert frame["actual_cumulative"].iloc[:5].tolist() == pytest.approx(
        [16_000, 32_000, 42_000, 61_300, 78_700]
    )
    # Months not loaded are unknown, never zero.
    assert frame.loc[6:, "actual"].isna().all() and frame.loc[6:, "actual_cumulative"].isna().all()
    # 15000 monthly + 120000/12 + 60000/12 = 30000 each month.
    assert frame["budget"].tolist() == pytest.approx([30_000] * 12)
    assert frame.loc[12, "budget_cumulative"] == pytest.approx(360_000)
    assert (frame["data_through"] == 202605).all()


def test_revenue_monthly_respects_scope(forecast_engine):
    frame = revenue_monthly(ctx_for(forecast_engine, Scope.of_branch("徐汇"))).set_index("month")
    assert frame.loc[3, "actual"] == 0  # the missing month is a loaded month with nothing for 徐汇
    assert frame.loc[5, "actual_cumulative"] == pytest.approx(26_300)
    assert frame.loc[1, "budget"] == pytest.approx(10_000)


# --- run-rate ------------------------------------------------------------------------------


def test_run_rate_excludes_one_off_items_and_counts_missing_periods(forecast_engine):
    rates = run_rates(ctx_for(forecast_engine), 202606).set_index(["branch", "product"])
    # Last 3 loaded periods 202603..05. 浦东: 3 x 10000 - 600 (调测费 3000 is one-off) = 29400 / 3.
    assert rates.loc[("浦东", "综合VPN"), "recurring_monthly"] == pytest.approx(9_800)
    assert rates.loc[("浦东", "综合VPN"), "run_rate"] == pytest.approx(9_800 * 7)  # June..December
    # 徐汇: 0 (202603) + 6000 + 300 (blank fee item is recurring) + 6000 (安装费 one-off) = 12300 / 3.
    assert rates.loc[("徐汇", "企业总机"), "recurring_monthly"] == pytest.approx(4_100)
    assert rates.loc[("徐汇", "企业总机"), "run_rate"] == pytest.approx(28_700)
    assert (rates["months_left"] == 7).all()


def test_run_rate_one_off_list_is_a_setting(forecast_engine):
    ctx = ctx_for(forecast_engine, settings=SETTINGS.with_overrides(one_off_fee_items=["调测费"]))
    rates = run_rates(ctx, 202606).set_index(["branch", "product"])
    assert rates.loc[("徐汇", "企业总机"), "recurring_monthly"] == pytest.approx(14_300 / 3)
    with pytest.raises(ValueError, match="at most"):
        one_off_items(SETTINGS.with_overrides(one_off_fee_items=[f"item{i}" for i in range(17)]))


# --- win probabilities ---------------------------------------------------------------------


def test_stage_rates_and_median_cycle(forecast_engine):
    rates = stage_win_rates(ctx_for(forecast_engine)).set_index("stage")
    assert rates["stage_closed"].tolist() == [7, 6, 5, 4, 3]
    assert rates["stage_rate"].tolist() == pytest.approx([3 / 7, 1 / 2, 3 / 5, 3 / 4, 1.0])
    assert rates["median_cycle_days"].iloc[0] == pytest.approx(90)  # C1, C2, C6 each took 90 days


def test_probabilities_shrink_segments_toward_the_stage_rate(forecast_engine):
    p = win_probabilities(ctx_for(forecast_engine)).set_index("opportunity_id")["p_win"]
    assert p["O1"] == pytest.approx((2 + 2 * 3 / 5) / (3 + 2))  # stage 2, small 综合VPN: 2 of 3
    assert p["O2"] == pytest.approx((2 + 2 * 1 / 2) / (4 + 2))  # stage 1: 2 of 4
    assert p["O3"] == pytest.approx((2 + 2 * 3 / 4) / (2 + 2))  # stage 3: 2 of 2
    assert p["O4"] == pytest.approx((1 + 2 * 1 / 2) / (2 + 2))  # stage 1, ordinary_2 企业总机: 1 of 2
    # major ICT集成: no segment history -> stage 4 rate 1.0, capped: open is not won (probability_open_max)
    assert p["O5"] == pytest.approx(0.95)
    assert p["O6"] == pytest.approx(3 / 7)  # stage 0, no segment history
    assert p["O7"] == pytest.approx((1 + 2 * 3 / 4) / (2 + 2))
    multiplied = Settings().with_overrides(probability_lift_by_evidence=False)
    default = win_probabilities(ctx_for(forecast_engine, settings=multiplied)).set_index("opportunity_id")[
        "p_win"
    ]
    assert default["O1"] == pytest.approx((2 + 20 * 3 / 5) / (3 + 20))  # the default pseudo-count 20
    # The default lift is by evidence: stage 2's segments (2 of 3, 1 of 2) differ no more than
    # chance (log-odds lifts +0.036 and -0.038 against sampling variances 0.18 and 0.19), so
    # their spread is 0 and O1 keeps the stage rate.
    evidence = win_probabilities(ctx_for(forecast_engine, settings=Settings())).set_index("opportunity_id")
    assert evidence.loc["O1", "p_win"] == pytest.approx(3 / 5)


def test_probabilities_do_not_depend_on_the_viewer(forecast_engine):
    company = win_probabilities(ctx_for(forecast_engine)).set_index("opportunity_id")["p_win"]
    owner = win_probabilities(ctx_for(forecast_engine, Scope.of_owner("A2"))).set_index("opportunity_id")[
        "p_win"
    ]
    assert sorted(owner.index) == ["O4", "O7"]
    assert owner.to_dict() == pytest.approx(company[owner.index].to_dict())


# --- pipeline_expected --------------------------------------------------------------------


def test_pipeline_months_follow_the_rules(forecast_engine):
    deals = open_pipeline(ctx_for(forecast_engine)).set_index("opportunity_id")
    m = deals["months_this_year"]
    assert m["O1"] == 4  # closes in August: revenue September..December
    assert m["O2"] == 6  # overdue: counts as closing in June
    assert m["O3"] == 0  # December close adds nothing this year
    assert m["O6"] == 0 and deals.loc["O6", "close_month"] == 14  # February next year
    assert m["O7"] == 6  # no expected close date: treated like overdue
    assert deals.loc["O1", "expected_revenue"] == pytest.approx(0.64 * 9_600 * 4 / 12)
    assert deals.loc["O5", "expected_revenue"] == pytest.approx(0.95 * 120_000 * 3 / 12)
    assert deals["expected_revenue"].sum() == pytest.approx(2_048 + 1_500 + 5_000 + 28_500 + 3_750)


def test_slip_distribution_from_the_snapshots(forecast_engine):
    slips = slip_distribution(ctx_for(forecast_engine))
    # C2: open at S0 due 03-20 (overdue: March), won in April -> +1; C6: due April, won April -> 0.
    assert slips.months.tolist() == [0, 1] and slips.weights.tolist() == pytest.approx([0.5, 0.5])


# --- forecast_expected, gap, new pipeline ---------------------------------------------------


def test_forecast_levels_by_hand(forecast_engine):
    result = year_end_forecast(ctx_for(forecast_engine))
    o = result["overall"]
    assert (o["actual_ytd"], o["run_rate"]) == pytest.approx((78_700, 68_600 + 28_700))
    assert o["pipeline_expected"] == pytest.approx(40_798)
    assert o["forecast_expected"] == pytest.approx(78_700 + 97_300 + 40_798)
    assert o["gap"] == pytest.approx(360_000 - 216_798)
    # Stage-1 rate 1/2; median cycle 90 days: a deal opened 06-30 signs 09-28, earns Oct..Dec = 3 months.
    assert result["basis"]["new_deal_months"] == 3 and result["basis"]["note"] == "needed"
    assert o["new_pipeline_needed"] == pytest.approx(143_202 / (0.5 * 3 / 12))
    lines = result["levels"][result["levels"]["level"] == "branch_product"].set_index(["branch", "product"])
    assert lines.loc[("浦东", "综合VPN"), "forecast_expected"] == pytest.approx(52_400 + 68_600 + 3_548)
    assert lines.loc[("徐汇", "企业总机"), "forecast_expected"] == pytest.approx(26_300 + 28_700 + 8_750)
    assert lines.loc[("浦东", "ICT集成"), "gap"] == pytest.approx(31_500)  # O5 expects 28500 of 60000
    product = result["levels"][result["levels"]["level"] == "product"].set_index("product")
    assert product.loc["综合VPN", "pipeline_expected"] == pytest.approx(3_548)


def test_band_and_simulated_mean_with_slips(forecast_engine):
    result = year_end_forecast(ctx_for(forecast_engine))
    # Slips 0 or +1 month (half each): E[m] O1 3.5, O2 5.5, O4 4.5, O5 2.5, O7 5.5.
    slipped = 0.64 * 9_600 * 3.5 / 12 + 0.5 * 6_000 * 5.5 / 12 + 0.5 * 24_000 * 4.5 / 12
    slipped += 0.95 * 120_000 * 2.5 / 12 + 0.625 * 12_000 * 5.5 / 12
    assert result["simulation"]["simulated_mean"] == pytest.approx(78_700 + 97_300 + slipped)
    o = result["overall"]
    assert o["p10"] <= o["p50"] <= o["p90"]
    # The page names the side when the expected (close months as expected) leaves the band.
    side = (
        "above"
        if o["forecast_expected"] > o["p90"]
        else "below"
        if o["forecast_expected"] < o["p10"]
        else "inside"
    )
    assert o["expected_vs_band"] == side
    model = build_model(ctx_for(forecast_engine))
    # The pipeline's own draws: O5 (p 0.95) earns 2 or 3 months when won, 20000 or more in all
    # but about 5 % of runs.  (The band adds the run-rate's misses: uncertainty.py.)
    arrays = deal_arrays(model.deals, len(model.lines))
    pipeline = simulation(ctx_for(forecast_engine), arrays, model.slips, model.months).paths.sum(0)[:, -1]
    assert np.quantile(pipeline, 0.1) >= 20_000
    total = model.simulation.paths.sum(0)[:, -1]
    assert total.mean() == pytest.approx(slipped, abs=4 * total.std() / np.sqrt(len(total)))


def test_forecast_months_join_actual_and_forecast(forecast_engine):
    months = year_end_forecast(ctx_for(forecast_engine))["months"].set_index("month")
    assert months.loc[5, "actual_cumulative"] == pytest.approx(78_700)
    assert pd.isna(months.loc[5, "expected_cumulative"])
    # June: one more month of run-rate (13900), no pipeline revenue yet (deals close in June at the earliest).
    assert months.loc[6, "expected_cumulative"] == pytest.approx(78_700 + 13_900)
    # No pipeline revenue in June: its band is the run-rate's one-month miss, summed over the lines
    # (uncertainty.py: variance sigma² (1 + 1/3) per line, correlated by rho).
    spread = build_model(ctx_for(forecast_engine)).spread
    sigma, rho = spread.run_rate_sigma, spread.run_rate_correlation
    assert sigma.max() > 0
    variance = ((1 - rho) * (sigma**2).sum() + rho * sigma.sum() ** 2) * (1 + 1 / 3)
    z90 = NormalDist().inv_cdf(0.9)
    assert months.loc[6, "p10"] == pytest.approx(78_700 + 13_900 - z90 * variance**0.5, rel=0.002)
    assert months.loc[6, "p90"] == pytest.approx(78_700 + 13_900 + z90 * variance**0.5, rel=0.002)
    assert months.loc[12, "expected_cumulative"] == pytest.approx(216_798)


def test_too_late_for_new_pipeline(forecast_engine):
    result = year_end_forecast(ctx_for(forecast_engine, as_of=date(2026, 10, 15)))
    # 10-15 + 90 days = 2027-01-13: a new deal earns nothing this year.
    assert result["basis"]["new_deal_months"] == 0 and result["basis"]["note"] == "too_late"
    assert pd.isna(result["overall"]["new_pipeline_needed"])


def test_forecast_scope_and_ignored_filters(forecast_engine):
    xuhui = year_end_forecast(ctx_for(forecast_engine, Scope.of_branch("徐汇")))["overall"]
    assert xuhui["forecast_expected"] == pytest.approx(26_300 + 28_700 + 8_750)
    assert xuhui["gap"] == pytest.approx(120_000 - 63_750)
    owner = year_end_forecast(ctx_for(forecast_engine, Scope.of_owner("A1")))
    assert owner["overall"]["pipeline_expected"] == pytest.approx(3_548 + 28_500)
    assert owner["overall"]["budget_annual"] == 0 and pd.isna(owner["overall"]["gap"])
    assert owner["basis"]["note"] == "no_budget"
    filtered = year_end_forecast(ctx_for(forecast_engine, industries=("政府",)))
    assert filtered["ignored_filters"] == ["industries"]
    assert filtered["overall"]["pipeline_expected"] == pytest.approx(5_000 + 3_750)  # O4, O7


def test_contributors_and_sensitivity(forecast_engine):
    result = year_end_forecast(ctx_for(forecast_engine))
    top = result["contributors"]
    assert top["opportunity_id"].tolist() == ["O5", "O4", "O7", "O1", "O2"]  # O3, O6 earn nothing
    assert top["share_of_pipeline"].sum() == pytest.approx(1.0)
    steps = result["sensitivity"]
    assert steps["opportunity_id"].tolist() == ["O5"]  # key: O5, O6 (major); O6 earns nothing this year
    assert steps.loc[0, "forecast_if_lost"] == pytest.approx(218_298 - 30_000)
    assert steps.loc[0, "gap_if_lost"] == pytest.approx(141_702 + 30_000)
