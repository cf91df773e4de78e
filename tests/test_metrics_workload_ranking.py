"""The 客户经理 ranking against orders worked out by hand from tests/workload_world.py.

The world (as_of 2026-06-30, w = 10, win_rate_min_closed = 5) plus a 2026 target of
100,000 for A5, who has already won 160,000 this year (H1 H2 H3 H6 H7): a target met.
Scorecard rows (manager x team), worked out in tests/test_metrics_workload.py:

  row          closed  win_rate_adjusted        activities in W   target   coverage
  A1 浦东       7      (4 + 10·11/15)/17 = 2/3   3 (AC1 AC3 AC4)   400,000  (200,000·0.95 + 40,000·P_P2)/295,000
  A2 浦东       1      too few                   0                 —        —
  A3 浦东       1      too few                   1 (AC6)           300,000  90,000·P_O1_STAGE2/160,000
  A3 徐汇       2      too few                   1 (AC5)           —        —
  A4 徐汇       0      too few                   0                 100,000  0
  A5 浦东       6      (5 + 10·11/15)/16         1 (AC8)           100,000  met (no remaining target)
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.context import Context
from analytics.metrics.workload import RANKING_MEASURES, workload, workload_ranking
from analytics.scope import Filters, Scope
from analytics.warehouse import replace_all
from tests.conftest import drop_engine, new_engine
from tests.test_metrics_workload import P_O1_STAGE2, P_P1, P_P2, STAGE_P
from tests.workload_world import AS_OF, build_frames

PUDONG, XUHUI = "浦东一组", "徐汇一组"


@pytest.fixture(scope="module")
def engine(backend, tmp_path_factory, pg_available):
    """The workload world with A5's target met, on each backend."""
    frames = build_frames()
    met = pd.DataFrame({"year": [2026], "staff_id": ["A5"], "amount": [100_000.0]})
    frames["targets"] = pd.concat([frames["targets"], met], ignore_index=True)
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, frames, loaded_by="test", label="fixture")
    yield engine
    drop_engine(backend, engine)


def ranking(engine, measure: str, size: int = 10, scope: Scope | None = None) -> pd.DataFrame:
    settings = STAGE_P.with_overrides(workload_ranking_size=size)
    return workload_ranking(Context(engine, scope or Scope.company(), settings, AS_OF, Filters()), measure)


def rows(frame: pd.DataFrame, band: str) -> list[tuple[str, str]]:
    part = frame[frame["band"] == band]
    return list(zip(part["owner_id"], part["team"], strict=True))


def test_win_rate_ranks_only_enough_closed_deals(engine):
    frame = ranking(engine, "win_rate_adjusted")
    # Ranked: A5 (0.771) above A1 (0.667); two ranked, so one top and one bottom.
    assert rows(frame, "top") == [("A5", PUDONG)]
    assert rows(frame, "bottom") == [("A1", PUDONG)]
    assert list(frame["ranking"].head(2)) == [1, 2]
    top = frame.iloc[0]
    assert top["ranking_value"] == pytest.approx((5 + 10 * 11 / 15) / 16)
    assert top["win_rate_low"] < top["ranking_value"] < top["win_rate_high"]
    assert frame.iloc[1]["ranking_value"] == pytest.approx(2 / 3)
    # A2's one lucky win (0.758 adjusted) is above A1's rate, yet not ranked: too few deals.
    unranked = frame[frame["band"] == "unranked"]
    assert set(zip(unranked["owner_id"], unranked["team"], strict=True)) == {
        ("A2", PUDONG),
        ("A3", PUDONG),
        ("A3", XUHUI),
        ("A4", XUHUI),
    }
    assert set(unranked["unranked_reason"]) == {"too_few_deals"} and unranked["ranking"].isna().all()
    assert unranked.iloc[0]["owner_id"] == "A2"  # the highest adjusted rate first (0.758)
    assert (frame["ranked_count"].iloc[0], frame["unranked_count"].iloc[0]) == (2, 4)


def test_effort_shows_top_and_bottom_and_leaves_the_middle_out(engine):
    everyone = ranking(engine, "activities_per_week")
    # 3/13 (A1), 1/13 (A3 twice, A5), 0 (A2, A4): six ranked, the better three on top.
    assert rows(everyone, "top")[0] == ("A1", PUDONG)
    assert {r[0] for r in rows(everyone, "top")[1:]} == {"A3"}
    assert rows(everyone, "bottom") == [("A5", PUDONG), ("A2", PUDONG), ("A4", XUHUI)]
    assert everyone["ranking_value"].iloc[0] == pytest.approx(3 / 13)
    two = ranking(engine, "activities_per_week", size=2)
    assert rows(two, "top")[0] == ("A1", PUDONG) and len(rows(two, "top")) == 2
    assert rows(two, "bottom") == [("A2", PUDONG), ("A4", XUHUI)]
    assert "A5" not in set(two["owner_id"]), "the middle is left out"
    assert list(two["ranking"]) == [1, 2, 5, 6]


def test_coverage_puts_a_met_target_first_and_no_target_aside(engine):
    frame = ranking(engine, "coverage")
    assert rows(frame, "top") == [("A5", PUDONG), ("A1", PUDONG)]
    assert rows(frame, "bottom") == [("A3", PUDONG), ("A4", XUHUI)]
    a5, a1, a3, a4 = (frame.iloc[i] for i in range(4))
    assert pd.isna(a5["ranking_value"]) and a5["remaining_target"] == 0
    assert a1["ranking_value"] == pytest.approx((200_000 * P_P1 + 40_000 * P_P2) / 295_000)
    assert a3["ranking_value"] == pytest.approx(90_000 * P_O1_STAGE2 / 160_000)
    assert a4["ranking_value"] == 0
    unranked = frame[frame["band"] == "unranked"]
    assert set(zip(unranked["owner_id"], unranked["team"], strict=True)) == {("A2", PUDONG), ("A3", XUHUI)}
    assert set(unranked["unranked_reason"]) == {"no_target"}


def test_the_ranking_is_the_viewers_scope(engine):
    xuhui = ranking(engine, "win_rate_adjusted", scope=Scope.of_team("徐汇", XUHUI))
    assert set(xuhui["team"]) == {XUHUI} and set(xuhui["band"]) == {"unranked"}
    effort = ranking(engine, "activities_per_week", scope=Scope.of_team("徐汇", XUHUI))
    assert rows(effort, "top") == [("A3", XUHUI)] and rows(effort, "bottom") == [("A4", XUHUI)]


@pytest.mark.parametrize("measure", RANKING_MEASURES)
def test_the_ranking_shows_the_scorecards_own_figures(engine, measure):
    """One metric one place: each ranked value is the scorecard's value of that row."""
    ctx = Context(engine, Scope.company(), STAGE_P, AS_OF, Filters())
    card = workload(ctx).set_index(["owner_id", "team"])
    frame = ranking(engine, measure).set_index(["owner_id", "team"])
    for key, row in frame.iterrows():
        assert row["ranking_value"] == pytest.approx(card.loc[key, measure], nan_ok=True)
        assert row["win_rate_low"] == pytest.approx(card.loc[key, "win_rate_low"], nan_ok=True)


def test_an_unknown_measure_is_refused(engine):
    with pytest.raises(ValueError, match="ranking measure"):
        ranking(engine, "open_value")


def test_expected_attainment_is_where_the_targets_bar_ends(engine):
    """(won this year + expected this year) / target: the number the targets chart writes by a bar."""
    card = workload(Context(engine, Scope.company(), STAGE_P, AS_OF, Filters())).set_index(
        ["owner_id", "team"]
    )
    expected = 200_000 * P_P1 + 40_000 * P_P2
    assert card.loc[("A1", PUDONG), "expected_attainment"] == pytest.approx((105_000 + expected) / 400_000)
    assert card.loc[("A5", PUDONG), "expected_attainment"] == pytest.approx(160_000 / 100_000)  # met
    assert card.loc[("A4", XUHUI), "expected_attainment"] == 0
    assert pd.isna(card.loc[("A2", PUDONG), "expected_attainment"])  # no target
