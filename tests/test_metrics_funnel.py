"""Stage reached and the funnel, against values worked out by hand from tests/funnel_world.py.

Default cohort at as_of 2026-06-30: created in [2025-07-01, 2026-06-30] = F1…F8, F10
(F9 was created in 2025-03). max_stage by hand:
F1 4 (full path), F2 4 (won from 3: won implies 4), F3 3 (lost after advancing),
F4 2 (reopened, then 2), F5 2 (only the 06-16 snapshot says 2), F6 3 (history
1→3→2), F7 0, F8 1, F10 4 (stage 5 counts as 4).
Values (CNY): F1 120k, F2 30k, F3 60k, F4 20k, F5 8k, F6 85k, F7 15k, F8 5k, F10 95k.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.context import Context
from analytics.metrics.funnel import (
    cohort_window,
    funnel,
    funnel_breakdown,
    funnel_opportunities,
    funnel_totals,
)
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from tests import funnel_world
from tests.conftest import drop_engine, new_engine
from tests.funnel_world import AS_OF


@pytest.fixture(scope="module")
def engine(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    funnel_world.load(engine)
    yield engine
    drop_engine(backend, engine)


def ctx_for(engine, scope=None, as_of=AS_OF, **filters) -> Context:
    return Context(engine, scope or Scope.company(), Settings(), as_of, Filters(**filters))


def max_stages(frame: pd.DataFrame) -> dict[str, int]:
    return dict(zip(frame["opportunity_id"], frame["max_stage"].astype(int), strict=True))


def column(frame: pd.DataFrame, name: str) -> list:
    return [None if pd.isna(v) else v for v in frame[name]]


def test_cohort_window_default_is_exactly_funnel_months(engine):
    assert cohort_window(ctx_for(engine)) == (date(2025, 7, 1), date(2026, 6, 30))
    narrowed = ctx_for(engine, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert cohort_window(narrowed) == (date(2026, 3, 1), date(2026, 3, 31))


def test_max_stage_from_history_and_every_snapshot(engine):
    got = max_stages(funnel_opportunities(ctx_for(engine), 0))
    assert got == {"F1": 4, "F2": 4, "F3": 3, "F4": 2, "F5": 2, "F6": 3, "F7": 0, "F8": 1, "F10": 4}


def test_max_stage_ignores_what_happened_after_as_of(engine):
    # At 06-23: F8's move to 1 (06-25) and the 06-30 snapshot are not known yet.
    got = max_stages(funnel_opportunities(ctx_for(engine, as_of=date(2026, 6, 23)), 0))
    assert got["F8"] == 0 and got["F5"] == 2 and got["F6"] == 3


def test_funnel_company(engine):
    frame = funnel(ctx_for(engine))
    assert column(frame, "stage") == [0, 1, 2, 3, 4]
    # reached[k] = count with max_stage >= k; skipped stages count as passed.
    assert column(frame, "reached") == [9, 8, 7, 5, 3]
    assert column(frame, "reached_value") == pytest.approx([438_000, 423_000, 418_000, 390_000, 245_000])
    # conversion[k] = reached[k+1]/reached[k]; for 4: won/reached[4] = 3/3.
    assert column(frame, "conversion") == pytest.approx([8 / 9, 7 / 8, 5 / 7, 3 / 5, 1.0])
    totals = funnel_totals(frame)
    assert (totals["cohort"], totals["won"], totals["lost"], totals["terminated"]) == (9, 3, 1, 1)
    assert totals["won_value"] == pytest.approx(245_000)
    # F4 was lost and reopened: open at as_of, so not closed.
    assert totals["closed"] == 5 and totals["closed_value"] == pytest.approx(320_000)
    assert totals["win_rate_cohort"] == pytest.approx(3 / 9)
    assert totals["win_rate_closed"] == pytest.approx(3 / 5)
    assert (totals["cohort_start"], totals["cohort_end"]) == (date(2025, 7, 1), date(2026, 6, 30))


def test_funnel_at_an_earlier_as_of(engine):
    # As of 06-23 F8 had not reached 1 yet; cohort [2025-06-24, 2026-06-23] is the same nine.
    frame = funnel(ctx_for(engine, as_of=date(2026, 6, 23)))
    assert column(frame, "reached") == [9, 7, 7, 5, 3]


def test_funnel_custom_window_and_empty_cohort(engine):
    wide = funnel(ctx_for(engine, start=date(2025, 1, 1), end=date(2026, 6, 30)))
    # F9 joins: created at 3, won in 2025.
    assert column(wide, "reached") == [10, 9, 8, 6, 4]
    assert funnel_totals(wide)["won"] == 4
    empty = funnel(ctx_for(engine, start=date(2010, 1, 1), end=date(2010, 12, 31)))
    assert column(empty, "reached") == [0, 0, 0, 0, 0]
    assert column(empty, "conversion") == [None] * 5
    totals = funnel_totals(empty)
    assert totals["cohort"] == 0 and totals["win_rate_cohort"] is None and totals["win_rate_closed"] is None


def test_funnel_in_an_owner_scope_with_zero_denominators(engine):
    # A3's cohort: F5 (max 2, open) and F6 (max 3, open).
    frame = funnel(ctx_for(engine, Scope.of_owner("A3")))
    assert column(frame, "reached") == [2, 2, 2, 1, 0]
    assert column(frame, "conversion") == pytest.approx([1.0, 1.0, 0.5, 0.0, None])
    totals = funnel_totals(frame)
    assert totals["won"] == 0 and totals["closed"] == 0
    assert totals["win_rate_cohort"] == 0.0 and totals["win_rate_closed"] is None


def _segment(breakdown: pd.DataFrame, dimension: str, segment) -> pd.DataFrame:
    rows = breakdown[breakdown["dimension"] == dimension]
    rows = rows[rows["segment"].isna()] if segment is None else rows[rows["segment"] == segment]
    return rows.sort_values("stage")


def test_breakdown_by_product(engine):
    breakdown = funnel_breakdown(ctx_for(engine))
    vpn = _segment(breakdown, "product", "综合VPN")  # F1 4 won, F3 3 lost, F7 0 term, F8 1
    assert column(vpn, "reached") == [4, 3, 2, 2, 1]
    assert column(vpn, "conversion") == pytest.approx([3 / 4, 2 / 3, 1.0, 1 / 2, 1.0])
    assert column(vpn, "weakest_step") == [False, False, False, True, False]
    assert vpn["win_rate_cohort"].iloc[0] == pytest.approx(1 / 4)
    assert vpn["win_rate_closed"].iloc[0] == pytest.approx(1 / 3)
    sms = _segment(breakdown, "product", "短信群发")  # F5 only, max 2, open
    assert column(sms, "reached") == [1, 1, 1, 0, 0]
    # 0/1 at step 2, then zero denominators: NULL, not an error.
    assert column(sms, "conversion") == [1.0, 1.0, 0.0, None, None]
    assert sms["win_rate_closed"].isna().all()
    assert set(breakdown["dimension"]) == {"product", "industry", "campaign", "branch", "origin", "class"}


def test_breakdown_by_class_origin_and_missing_campaign(engine):
    breakdown = funnel_breakdown(ctx_for(engine))
    # ordinary_2: F2 (4, won), F4 (2), F7 (0, terminated), F8 (1; 30 users > 25).
    ordinary2 = _segment(breakdown, "class", "ordinary_2")
    assert column(ordinary2, "reached") == [4, 3, 2, 1, 1]
    dispatched = _segment(breakdown, "origin", "dispatched")  # F3 (3, lost), F6 (3, open)
    assert column(dispatched, "reached") == [2, 2, 2, 2, 0]
    assert dispatched["closed"].iloc[0] == 1 and dispatched["won"].iloc[0] == 0
    # No campaign: F2, F4, F5, F7, F8, F10 → max 4, 2, 2, 0, 1, 4.
    none = _segment(breakdown, "campaign", None)
    assert column(none, "reached") == [6, 5, 4, 2, 2]


def test_breakdown_segment_equals_the_funnel_filtered_to_it(engine):
    breakdown = funnel_breakdown(ctx_for(engine))
    for product in ("综合VPN", "企业总机", "ICT集成"):
        filtered = funnel(ctx_for(engine, products=(product,)))
        segment = _segment(breakdown, "product", product)
        assert column(segment, "reached") == column(filtered, "reached")
        assert column(segment, "conversion") == pytest.approx(column(filtered, "conversion"))


def test_opportunities_behind_a_stage_and_a_cell(engine):
    ctx = ctx_for(engine)
    assert set(funnel_opportunities(ctx, 3)["opportunity_id"]) == {"F1", "F2", "F3", "F6", "F10"}
    assert set(funnel_opportunities(ctx, "won")["opportunity_id"]) == {"F1", "F2", "F10"}
    cell = funnel_opportunities(ctx, 2, "campaign", None)
    # Those that stopped earliest first.
    assert cell["opportunity_id"].tolist() == ["F4", "F5", "F10", "F2"]
    assert funnel_opportunities(ctx, 1, "origin", "dispatched")["opportunity_id"].tolist() == ["F6", "F3"]
    with pytest.raises(ValueError):
        funnel_opportunities(ctx, 1, "owner_id; DROP TABLE x", "A1")
    with pytest.raises(ValueError):
        funnel_opportunities(ctx, 7)
