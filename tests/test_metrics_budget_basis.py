"""Budget figures under a team or owner selection (metrics.md, Budget attainment).

The budget is kept by branch x product only.  A team's or an account manager's
revenue is measured against the selected managers' personal targets, or, when
a product is selected too (targets carry no product), against nothing: never
against the company's or a branch's whole budget.  Values worked out by hand
from tests/tiny_world.py (as_of 2026-06-30, revenue loaded through 202605)
with these targets added: A1 60,000 and A2 40,000 (浦东一组), A3 120,000
(徐汇一组), and a 2025 target for A1 that must not count.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.context import Context
from analytics.forecast.yearend import year_end_forecast
from analytics.metrics.attainment import budget_attainment, budget_basis, revenue_monthly
from analytics.metrics.overview import overview
from analytics.scope import Filters, Scope, team_key
from analytics.settings import Settings
from analytics.warehouse import replace_all
from tests.conftest import drop_engine, new_engine
from tests.tiny_world import AS_OF, build_frames

PUDONG_TEAM = team_key("浦东", "浦东一组")
COMPANY_BUDGET = 360_000  # 浦东 12 x 10,000 + 徐汇 240,000
A1_REVENUE = 38_000  # 202601..202605: 10,000 x 4 - 2,000
TEAM_TARGET = 100_000  # A1 60,000 + A2 40,000


@pytest.fixture(scope="module")
def engine(backend, tmp_path_factory, pg_available):
    frames = build_frames()
    frames["targets"] = pd.DataFrame(
        {
            "year": [2026, 2026, 2026, 2025],
            "staff_id": ["A1", "A2", "A3", "A1"],
            "amount": [60_000.0, 40_000.0, 120_000.0, 999_000.0],
        }
    )
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, frames, loaded_by="test", label="tiny world with targets")
    yield engine
    drop_engine(backend, engine)


def ctx_for(engine, scope: Scope | None = None, **filters) -> Context:
    return Context(engine, scope or Scope.company(), Settings(), AS_OF, Filters(**filters))


def overall_of(ctx: Context) -> pd.Series:
    frame = budget_attainment(ctx)
    return frame[frame["level"] == "overall"].iloc[0]


def test_a_directors_team_filter_is_not_measured_against_the_company_budget(engine):
    row = overall_of(ctx_for(engine, teams=(PUDONG_TEAM,)))
    assert row["actual_ytd"] == pytest.approx(A1_REVENUE)
    assert row["budget_annual"] != pytest.approx(COMPANY_BUDGET)  # was 38,000 / 360,000
    assert row["budget_basis"] == "target"
    assert row["budget_annual"] == pytest.approx(TEAM_TARGET)
    assert row["budget_ytd"] == pytest.approx(TEAM_TARGET * 5 / 12)
    assert row["attainment"] == pytest.approx(A1_REVENUE / TEAM_TARGET)
    assert row["progress_gap"] == pytest.approx(A1_REVENUE / TEAM_TARGET - 181 / 365)


def test_owner_filter_and_team_and_owner_scopes_use_the_targets(engine):
    owner = overall_of(ctx_for(engine, owners=("A1",)))
    assert (owner["budget_basis"], owner["budget_annual"]) == ("target", pytest.approx(60_000))
    team = overall_of(ctx_for(engine, Scope.of_team("浦东", "浦东一组")))
    assert team["budget_annual"] == pytest.approx(TEAM_TARGET)
    assert team["attainment"] == pytest.approx(A1_REVENUE / TEAM_TARGET)
    mine = overall_of(ctx_for(engine, Scope.of_owner("A3")))
    assert mine["attainment"] == pytest.approx(100_000 / 120_000)
    head = budget_attainment(ctx_for(engine, Scope.of_branch("浦东"), teams=(PUDONG_TEAM,)))
    branch = head[head["level"] == "branch"].set_index("branch")
    assert branch.loc["浦东", "budget_annual"] == pytest.approx(TEAM_TARGET)
    products = head[head["level"] == "product"]  # targets carry no product: no ratio per product
    assert len(products) and products["budget_annual"].isna().all() and products["attainment"].isna().all()


def test_a_team_and_a_product_have_no_denominator(engine):
    ctx = ctx_for(engine, teams=(PUDONG_TEAM,), products=("综合VPN",))
    assert budget_basis(ctx) == "none"
    frame = budget_attainment(ctx)
    assert (frame["budget_basis"] == "none").all()
    for column in ("budget_annual", "budget_ytd", "attainment", "ytd_attainment", "progress_gap"):
        assert frame[column].isna().all(), column
    assert overall_of(ctx)["actual_ytd"] == pytest.approx(A1_REVENUE)
    assert revenue_monthly(ctx)["budget"].isna().all()


def test_branch_and_product_filters_keep_the_budget(engine):
    row = overall_of(ctx_for(engine, branches=("浦东",), products=("综合VPN",)))
    assert (row["budget_basis"], row["budget_annual"]) == ("budget", pytest.approx(120_000))
    assert overall_of(ctx_for(engine))["budget_annual"] == pytest.approx(COMPANY_BUDGET)


def test_monthly_overview_and_forecast_follow_the_same_basis(engine):
    ctx = ctx_for(engine, teams=(PUDONG_TEAM,))
    monthly = revenue_monthly(ctx)
    assert monthly["budget"].tolist() == pytest.approx([TEAM_TARGET / 12] * 12)
    assert set(monthly["budget_basis"]) == {"target"}
    headline = overview(ctx)["attainment"]
    assert headline["budget_basis"] == "target" and headline["budget_annual"] == pytest.approx(TEAM_TARGET)
    forecast = year_end_forecast(ctx)["overall"]
    assert forecast["budget_basis"] == "target"
    assert forecast["budget_annual"] == pytest.approx(TEAM_TARGET)
    assert forecast["gap"] == pytest.approx(TEAM_TARGET - forecast["forecast_expected"])
    none = year_end_forecast(ctx_for(engine, teams=(PUDONG_TEAM,), products=("综合VPN",)))
    assert pd.isna(none["overall"]["budget_annual"]) and pd.isna(none["overall"]["gap"])
    assert none["basis"]["note"] == "no_budget"
