"""Home-page metrics against values worked out by hand from tests/tiny_world.py.

as_of = 2026-06-30; trailing window T starts 2025-06-30; idle since 2026-05-31.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.context import Context, months_before
from analytics.metrics.attainment import budget_attainment, time_progress
from analytics.metrics.my_pipeline import for_manager, my_deals
from analytics.metrics.overview import overview
from analytics.metrics.pipeline import pipeline_summary
from analytics.metrics.problems import problem_groups, problem_opportunities
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from tests.tiny_world import AS_OF

# The problem thresholds before issue 17 item 7 (no overdue grace, 1 × p90, 30 days idle): the
# hand-worked reasons below were computed for them, and the same deals under the defaults differ.
STRICT = Settings(overdue_grace_days=0, stale_p90_factor=1.0, idle_days=30)


def ctx_for(engine, scope=None, settings=None, **filters) -> Context:
    return Context(engine, scope or Scope.company(), settings or Settings(), AS_OF, Filters(**filters))


def test_time_progress_counts_as_of_day():
    # 2026-06-30 is day 181 of 365.
    assert time_progress(AS_OF) == pytest.approx(181 / 365)
    # 2024 is a leap year: 31 December is day 366 of 366.
    from datetime import date

    assert time_progress(date(2024, 12, 31)) == 1.0


def test_months_before_clamps_to_month_end():
    from datetime import date

    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 6, 30), 12) == date(2025, 6, 30)


def test_pipeline_summary_company(tiny_engine):
    got = pipeline_summary(ctx_for(tiny_engine))
    # open: O1 O2 O5 O6 O9 O10 = 120000+60000+85000+5000+8000+50000
    assert got["open_count"] == 6
    assert got["open_value"] == pytest.approx(328_000)
    # key: class major O1; top 10% of 6 open = ceil(0.6) = 1 → O1 again.
    assert got["key_open_count"] == 1
    # closed in T: O3 won, O4 lost, O8 terminated (O7 closed 2025-03-01, outside).
    assert (got["won_count"], got["closed_count"]) == (1, 3)
    assert got["win_rate"] == pytest.approx(1 / 3)


def test_pipeline_summary_scoped_to_branch_and_owner(tiny_engine):
    pudong = pipeline_summary(ctx_for(tiny_engine, Scope.of_branch("浦东")))
    assert pudong["open_count"] == 5  # O1 O2 O5 O9 O10
    assert pudong["open_value"] == pytest.approx(323_000)
    owner = pipeline_summary(ctx_for(tiny_engine, Scope.of_owner("A3")))
    assert owner["open_count"] == 1 and owner["open_value"] == pytest.approx(5_000)
    # The key set is decided company-wide: A3's only open deal is not key.
    assert owner["key_open_count"] == 0
    assert owner["win_rate"] == 0.0  # O8 terminated is A3's only close in T
    nothing = pipeline_summary(ctx_for(tiny_engine, Scope.nothing()))
    assert nothing["open_count"] == 0 and nothing["win_rate"] is None


def test_pipeline_summary_filters(tiny_engine):
    got = pipeline_summary(ctx_for(tiny_engine, products=("综合VPN",)))
    assert got["open_count"] == 4  # O1 O2 O9 O10
    got = pipeline_summary(ctx_for(tiny_engine, classes=("important",)))
    # O5 transformation 85000; O10 influence flag.
    assert got["open_count"] == 2 and got["open_value"] == pytest.approx(135_000)


def test_problem_opportunities_reasons(tiny_engine):
    frame = problem_opportunities(ctx_for(tiny_engine, settings=STRICT)).set_index("opportunity_id")
    assert sorted(frame.index) == ["O1", "O10", "O6", "O9"]
    # O1: due 06-15 → overdue; stage 3 since 04-10 = 81 days > p90 of stage 3 (49).
    assert frame.loc["O1", ["overdue", "stale", "idle", "abnormal"]].tolist() == [True, True, False, False]
    assert frame.loc["O1", "slip_count"] == 1  # due 06-01 in the 06-23 snapshot
    # O10: stage 2 for 29 days > p90 of stage-2 stints [10, 19, 31] = 28.6.
    assert frame.loc["O10", "stale_threshold_days"] == pytest.approx(28.6)
    assert frame.loc["O10", ["stale", "idle"]].tolist() == [True, False]
    # O6: stage 1 for 149 days > p90 of [20, 21, 30, 50] = 44; no activity; abnormal.
    assert frame.loc["O6", "stale_threshold_days"] == pytest.approx(44)
    assert frame.loc["O6", ["stale", "idle", "abnormal"]].tolist() == [True, True, True]
    # O9: stage 0 for 90 days > max(p90 = 10, minimum 14); last visit 05-01 → idle.
    assert frame.loc["O9", "stale_threshold_days"] == 14
    assert frame.loc["O9", ["stale", "idle"]].tolist() == [True, True]
    # Key first, then by value.
    assert next(iter(frame.index)) == "O1"


def test_problem_thresholds_come_from_settings(tiny_engine):
    """The defaults (overdue by more than 60 days, 2 × p90, 60 days idle) flag O6 and O9 only."""
    frame = problem_opportunities(ctx_for(tiny_engine)).set_index("opportunity_id")
    # O1: due 06-15 is 15 days before as_of (≤ 60: not overdue); 81 days in stage 3 ≤ 2 × 49 = 98.
    # O10: 29 days in stage 2 ≤ 2 × 28.6 = 57.2.
    assert sorted(frame.index) == ["O6", "O9"]
    # O6: 149 days in stage 1 > 2 × 44 = 88; no activity since 2026-05-01 (60 days) → idle; abnormal.
    assert frame.loc["O6", "stale_threshold_days"] == pytest.approx(88)
    assert frame.loc["O6", ["overdue", "stale", "idle", "abnormal"]].tolist() == [False, True, True, True]
    # O9: 90 days in stage 0 > max(2 × 10, 14) = 20; last visit 05-01 is not before 05-01 → not idle.
    assert frame.loc["O9", "stale_threshold_days"] == pytest.approx(20)
    assert frame.loc["O9", ["overdue", "stale", "idle"]].tolist() == [False, True, False]
    # Each setting moves the result on its own: a 15-day grace makes O1 (15 days late) not
    # overdue, a 14-day one makes it overdue.
    for grace, overdue in ((15, False), (14, True)):
        settings = Settings(overdue_grace_days=grace)
        got = problem_opportunities(ctx_for(tiny_engine, settings=settings)).set_index("opportunity_id")
        assert ("O1" in got.index) is overdue
    # A 1.6 × p90 stale threshold: O9 stays stale (90 > max(16, 14)).
    wide = problem_opportunities(ctx_for(tiny_engine, settings=Settings(stale_p90_factor=1.6)))
    # O1: 81 > 1.6 × 49 = 78.4 → stale now; O10: 29 ≤ 45.8.
    assert sorted(wide["opportunity_id"]) == ["O1", "O6", "O9"]


def test_budget_attainment_overall_and_by_branch(tiny_engine):
    frame = budget_attainment(ctx_for(tiny_engine))
    overall = frame[frame["level"] == "overall"].iloc[0]
    # 浦东: 4 × 10000 − 2000 (202603 missing) = 38000; 徐汇: 5 × 20000 = 100000.
    assert overall["data_through"] == 202605
    assert overall["actual_ytd"] == pytest.approx(138_000)
    assert overall["budget_annual"] == pytest.approx(360_000)
    # 浦东 monthly 5 × 10000; 徐汇 annual-only 240000 × 5/12.
    assert overall["budget_ytd"] == pytest.approx(150_000)
    assert overall["attainment"] == pytest.approx(138_000 / 360_000)
    assert overall["ytd_attainment"] == pytest.approx(0.92)
    assert overall["progress_gap"] == pytest.approx(138_000 / 360_000 - 181 / 365)
    branch = frame[frame["level"] == "branch"].set_index("branch")
    assert branch.loc["浦东", "attainment"] == pytest.approx(38_000 / 120_000)
    assert branch.loc["徐汇", "budget_ytd"] == pytest.approx(100_000)


def test_budget_attainment_respects_scope(tiny_engine):
    frame = budget_attainment(ctx_for(tiny_engine, Scope.of_branch("徐汇")))
    overall = frame[frame["level"] == "overall"].iloc[0]
    assert overall["actual_ytd"] == pytest.approx(100_000)
    assert overall["budget_annual"] == pytest.approx(240_000)
    # An account manager has revenue but no budget of their own: attainment is null.
    owner = budget_attainment(ctx_for(tiny_engine, Scope.of_owner("A1")))
    row = owner[owner["level"] == "overall"].iloc[0]
    assert row["actual_ytd"] == pytest.approx(38_000)
    assert row["budget_annual"] == 0
    assert pd.isna(row["attainment"])


def test_overview_combines_the_parts(tiny_engine):
    got = overview(ctx_for(tiny_engine, settings=STRICT))
    assert got["problem_count"] == 4 and got["key_problem_count"] == 1
    # Under the defaults: O6 and O9, neither key (test_problem_thresholds_come_from_settings).
    got = overview(ctx_for(tiny_engine))
    assert got["problem_count"] == 2 and got["key_problem_count"] == 0
    assert got["problem_share"] == pytest.approx(2 / 6)  # O6 and O9 of the six open deals
    assert overview(ctx_for(tiny_engine, Scope.nothing()))["problem_share"] is None
    assert got["attainment"]["actual_ytd"] == pytest.approx(138_000)
    assert str(got["freshness"]["newest_snapshot"]) == "2026-06-30"
    assert got["freshness"]["last_revenue_period"] == 202605


def test_the_home_page_asks_for_the_attainment_once(tiny_engine, monkeypatch):
    """The home page charts the branch and product rows of the frame its headline came from
    (overview's attainment_levels): budget_attainment is sent once per view, not twice."""
    from analytics.pages import PAGE_CALLS

    ctx = ctx_for(tiny_engine)
    sent: list[str] = []
    query = Context.query
    monkeypatch.setattr(Context, "query", lambda self, name, **p: sent.append(name) or query(self, name, **p))
    got = {function.__name__: function(ctx) for function in PAGE_CALLS["home"]}
    assert sent.count("budget_attainment") == 1
    levels = got["overview"]["attainment_levels"]
    pd.testing.assert_frame_equal(levels, budget_attainment(ctx))
    assert {"overall", "branch", "product"} <= set(levels["level"])
    assert got["overview"]["attainment"] == levels[levels["level"] == "overall"].to_dict("records")[0]


def test_period_filter_restricts_to_opportunities_created_in_range(tiny_engine):
    from datetime import date

    # Created in June 2026: O5 (06-20) and O10 (06-01), both open.
    got = pipeline_summary(ctx_for(tiny_engine, start=date(2026, 6, 1), end=date(2026, 6, 30)))
    assert got["open_count"] == 2 and got["open_value"] == pytest.approx(135_000)
    got = pipeline_summary(ctx_for(tiny_engine, end=date(2026, 1, 31)))
    # Created by January: O3 (won 04-10, in T) and O7 (won 2025-03-01, outside T).
    assert got["open_count"] == 0 and (got["won_count"], got["closed_count"]) == (1, 1)


def test_problem_share_of_open_deals(tiny_engine):
    """Issue 17 item 7: problem_groups says how many open deals a group holds and the share flagged."""
    groups = problem_groups(ctx_for(tiny_engine))
    total = groups[groups["level"] == "total"].iloc[0]
    # Open: O1 O2 O5 O6 O9 O10; problems under the defaults: O6 (A3) and O9 (A2).
    assert (total["open_count"], total["problem_count"]) == (6, 2)
    assert total["problem_share"] == pytest.approx(2 / 6)
    owners = groups[groups["level"] == "owner"].set_index("owner_id")
    # A1 (O1 O2 O10 open, none a problem) is left out; A2 holds O5 and O9, A3 only O6.
    assert sorted(owners.index) == ["A2", "A3"]
    assert owners.loc["A2", "problem_share"] == pytest.approx(1 / 2)
    assert owners.loc["A3", "problem_share"] == pytest.approx(1.0)
    # Under the stricter thresholds O1 and O10 are problems too: 4 of 6, A1 2 of 3.
    strict = problem_groups(ctx_for(tiny_engine, settings=STRICT)).set_index(
        ["level", "owner_id"], drop=False
    )
    assert strict[strict["level"] == "total"].iloc[0]["problem_share"] == pytest.approx(4 / 6)
    assert strict[strict["owner_id"] == "A1"].iloc[0]["problem_share"] == pytest.approx(2 / 3)


def test_my_deals_open_only_unless_closed_are_asked_for(tiny_engine):
    """我的商机: A1's own open deals, key first then by value, with their problem reasons."""
    mine = for_manager(ctx_for(tiny_engine, settings=STRICT), "A1")
    deals = my_deals(mine)
    # O1 (key, 120000), then O2 (60000), O10 (50000); O3 (won) is left out.
    assert deals["opportunity_id"].tolist() == ["O1", "O2", "O10"]
    assert deals["is_problem"].tolist() == [True, False, True]  # O1 overdue and stale, O10 stale
    both = my_deals(mine, include_closed=True)
    assert both["opportunity_id"].tolist() == ["O1", "O2", "O10", "O3"]
    assert both.set_index("opportunity_id").loc["O3", "status"] == "won"
    assert not both.set_index("opportunity_id").loc["O3", "is_problem"]
    # Never another manager's deal.
    assert set(my_deals(for_manager(ctx_for(tiny_engine), "A3"), include_closed=True)["opportunity_id"]) == {
        "O6",
        "O7",
        "O8",
    }
