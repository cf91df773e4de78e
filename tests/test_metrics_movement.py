"""Week-over-week movement against values worked out by hand from tests/movement_world.py,
on DuckDB and PostgreSQL; and a property test that the waterfall adds up."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.context import Context
from analytics.metrics import movement as mv
from analytics.scope import Filters, Scope
from analytics.settings import load_settings
from analytics.warehouse import replace_all
from tests import movement_world as world
from tests.conftest import drop_engine, new_engine


@pytest.fixture(scope="module")
def movement_engine(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, world.build_frames(), loaded_by="test", label="fixture")
    yield engine
    drop_engine(backend, engine)


def ctx_for(engine, scope: Scope | None = None, filters: Filters | None = None) -> Context:
    return Context(engine, scope or Scope.company(), load_settings(), world.B, filters or Filters())


PAIR = mv.SnapshotPair(world.A, world.B)
CENT = 1  # fen


def fen(yuan: str) -> int:
    return round(float(yuan) * 100)


def test_default_pair_is_newest_and_a_week_before(movement_engine):
    ctx = ctx_for(movement_engine)
    assert mv.snapshot_pair(ctx) == PAIR
    assert mv.snapshot_pair(ctx, snapshot_a=date(2026, 6, 20)) == mv.SnapshotPair(world.S0, world.B)
    assert mv.snapshot_pair(ctx, snapshot_b=date(2026, 6, 29)) == mv.SnapshotPair(world.S0, world.A)
    with pytest.raises(mv.NoSnapshotPair):
        mv.snapshot_pair(ctx, snapshot_b=world.S0)


def test_week_compare_days_setting_picks_a(movement_engine):
    ctx = ctx_for(movement_engine)
    wider = Context(movement_engine, Scope.company(), load_settings({"SJGK_WEEK_COMPARE_DAYS": "8"}), world.B)
    assert mv.snapshot_pair(wider) == mv.SnapshotPair(world.S0, world.B)
    assert mv.snapshot_pair(ctx).a == world.B - timedelta(days=7)


def test_company_waterfall_by_hand(movement_engine):
    got = mv.movement(ctx_for(movement_engine), PAIR).waterfall
    expected = {
        "start": (9, "336000.48"), "new": (1, "8000.01"), "reopened": (1, "26000"),
        "increase": (1, "20000.00"), "decrease": (1, "10000.05"), "won": (1, "30000"),
        "lost": (1, "20000"), "terminated": (1, "15000"), "removed": (1, "70000.33"),
        "end": (7, "245000.11"),
    }  # fmt: skip
    assert {p: (got.counts[p], got.fen[p]) for p in expected} == {
        p: (count, fen(value)) for p, (count, value) in expected.items()
    }
    assert got.adds_up()
    assert got.as_dict()["end"]["value"] == "245000.11"


def test_label_counts_by_hand(movement_engine):
    got = mv.movement(ctx_for(movement_engine), PAIR)
    assert got.counts == {
        "new": 2, "advanced": 1, "regressed": 1, "slipped": 1, "pulled_in": 1, "value_changed": 2,
        "won": 1, "lost": 1, "terminated": 1, "removed": 1, "reopened": 1,
    }  # fmt: skip
    assert got.labelled == 9


def test_labels_per_opportunity(movement_engine):
    listed = mv.movement_list(ctx_for(movement_engine), PAIR, page_rows=100)
    labels = dict(zip(listed["opportunity_id"], listed["labels"], strict=True))
    assert labels == {
        "M1": "advanced,slipped,value_changed",
        "M2": "regressed,pulled_in,value_changed",
        "M3": "won",
        "M4": "lost",
        "M5": "terminated",
        "M6": "removed",
        "M7": "reopened",
        "M8": "new",
        "M9": "new",  # new and already won: labelled, outside the waterfall
    }
    parts = dict(zip(listed["opportunity_id"], listed["waterfall_part"], strict=True))
    assert pd.isna(parts["M9"]) and parts["M1"] == "increase" and parts["M2"] == "decrease"


def test_removed_deal_keeps_its_last_known_state(movement_engine):
    removed = mv.movement_list(ctx_for(movement_engine), PAIR, label="removed")
    row = removed.iloc[0]
    assert list(removed["opportunity_id"]) == ["M6"]
    assert (row["status_a"], row["stage_a"], row["value_a_fen"], row["owner_id"]) == (
        "open",
        2,
        7000033,
        "A3",
    )
    assert pd.isna(row["status_b"]) and pd.isna(row["value_b_fen"])


def test_list_sorted_and_paged_in_the_warehouse(movement_engine):
    ctx = ctx_for(movement_engine)
    by_value = mv.movement_list(ctx, PAIR, page_rows=3)
    assert list(by_value["opportunity_id"]) == ["M1", "M6", "M2"]  # B value, else A value
    assert list(mv.movement_list(ctx, PAIR, page_rows=3, page=1)["opportunity_id"]) == ["M3", "M7", "M4"]
    by_change = mv.movement_list(ctx, PAIR, sort_by="change", page_rows=2)
    assert list(by_change["opportunity_id"]) == [
        "M6",
        "M3",
    ]  # by effect on the open pipeline: 70000.33 removed, 30000 won
    assert list(mv.movement_list(ctx, PAIR, label="value_changed")["opportunity_id"]) == ["M1", "M2"]


def test_every_bar_opens_its_deals(movement_engine):
    ctx = ctx_for(movement_engine)
    summary = mv.movement(ctx, PAIR).waterfall
    for part in mv.WATERFALL_PARTS:
        deals = mv.movement_list(ctx, PAIR, part=part, page_rows=100)
        assert len(deals) == summary.counts[part], part
    start = mv.movement_list(ctx, PAIR, part="start", page_rows=100)
    assert set(start["opportunity_id"]) == {"M1", "M2", "M3", "M4", "M5", "M6", "M11", "M12", "M13"}
    assert set(mv.movement_list(ctx, PAIR, part="unchanged")["opportunity_id"]) == {"M11", "M12", "M13"}


def test_part_ids_are_the_bars_deals(movement_engine):
    """The forecast bridge's one statement gives each leaving and arriving bar the deals
    its movement list opens, in the company and in one owner's scope."""
    for scope in (Scope.company(), Scope.of_owner("A1"), Scope.of_owner("A3")):
        ctx = ctx_for(movement_engine, scope)
        ids = mv.part_ids(ctx, PAIR)
        for part in ("won", "lost", "terminated", "removed", "new", "reopened"):
            listed = mv.movement_list(ctx, PAIR, part=part, page_rows=100)["opportunity_id"]
            chosen = ids.loc[ids["waterfall_part"] == part, "opportunity_id"]
            assert sorted(chosen) == sorted(listed), (scope.label, part)
        assert set(ids["waterfall_part"]) <= {"won", "lost", "terminated", "removed", "new", "reopened"}
    assert not mv.part_ids(ctx_for(movement_engine, Scope.company()), PAIR).empty


def test_owner_change_counts_in_bs_scope(movement_engine):
    """M11 moved from A3 (徐汇) to A1 (浦东) while open: whole under A1, no label anywhere."""
    a1 = mv.movement(ctx_for(movement_engine, Scope.of_owner("A1")), PAIR)
    assert (a1.waterfall.counts["start"], a1.waterfall.fen["start"]) == (3, fen("190000.15"))
    assert (a1.waterfall.counts["end"], a1.waterfall.fen["end"]) == (4, fen("226000.10"))
    assert a1.waterfall.counts["new"] == 0 and a1.counts["new"] == 1  # M9: new, already won
    assert a1.waterfall.adds_up()
    a3 = mv.movement(ctx_for(movement_engine, Scope.of_owner("A3")), PAIR)
    assert (a3.waterfall.fen["start"], a3.waterfall.fen["end"]) == (fen("85000.33"), 0)
    assert a3.counts["removed"] == 1 and a3.waterfall.fen["removed"] == fen("70000.33")
    assert a3.waterfall.adds_up()


def test_account_manager_sees_only_their_deals(movement_engine):
    ctx = ctx_for(movement_engine, Scope.of_owner("A1"))
    listed = mv.movement_list(ctx, PAIR, page_rows=100)
    assert set(listed["opportunity_id"]) == {"M1", "M2", "M7", "M9"}
    assert set(mv.movement_list(ctx, PAIR, part="end")["owner_id"]) == {"A1"}
    assert set(mv.movement_key_deals(ctx, PAIR)["opportunity_id"]) == {"M1", "M2"}
    got = mv.movement(ctx, PAIR)
    assert set(got.by_owner["owner_id"]) == {"A1"}
    nobody = mv.movement(ctx_for(movement_engine, Scope.nothing()), PAIR)
    assert nobody.waterfall.counts["start"] == 0 and nobody.labelled == 0


def test_filters_apply_to_a_and_b_alike(movement_engine):
    """A product filter on B's row (A's for removed deals)."""
    got = mv.movement(ctx_for(movement_engine, filters=Filters(products=("数据专线",))), PAIR)
    # M6 (removed, 数据专线 in A) and M11 (数据专线 in both)
    assert (got.waterfall.fen["start"], got.waterfall.fen["end"]) == (fen("110000.33"), fen("40000"))
    assert got.waterfall.fen["removed"] == fen("70000.33") and got.waterfall.adds_up()


def test_by_team_keys_on_branch_and_team(movement_engine):
    teams = mv.movement(ctx_for(movement_engine), PAIR).by_team.set_index(["branch", "team"])
    assert len(teams) == 2  # two teams called 一组, in two branches
    xuhui, pudong = teams.loc[("徐汇", "一组")], teams.loc[("浦东", "一组")]
    assert (xuhui["start_fen"], xuhui["end_fen"]) == (fen("85000.33"), 0)
    assert (pudong["start_fen"], pudong["end_fen"]) == (fen("251000.15"), fen("245000.11"))
    assert xuhui["label_removed"] == 1 and pudong["label_removed"] == 0


def test_by_owner_and_product_add_up_to_the_total(movement_engine):
    got = mv.movement(ctx_for(movement_engine), PAIR)
    for frame in (got.by_team, got.by_owner, got.by_product):
        for part in mv.WATERFALL_PARTS:
            assert int(frame[f"{part}_fen"].sum()) == got.waterfall.fen[part], part
            assert int(frame[f"{part}_count"].sum()) == got.waterfall.counts[part], part
    product = got.by_product.set_index("product")
    assert product.loc["综合VPN", "won_fen"] == fen("30000")
    assert product.loc["综合VPN", "reopened_fen"] == fen("26000")


def test_key_deals_slipped_or_regressed_first(movement_engine):
    keys = mv.movement_key_deals(ctx_for(movement_engine), PAIR)
    assert list(keys["opportunity_id"]) == ["M1", "M2", "M6"]
    assert list(keys["highlighted"]) == [True, True, False]
    m1 = keys.iloc[0]
    assert (m1["support_open"], m1["slip_count"]) == (1, 1)
    assert pd.Timestamp(m1["last_activity_date"]).date() == date(2026, 6, 29)
    assert keys.iloc[2]["labels"] == "removed"
    second = mv.movement_key_deals(ctx_for(movement_engine), PAIR, page_rows=1, page=1)
    assert list(second["opportunity_id"]) == ["M2"] and list(second["key_deals"]) == [3]


def test_trend_over_every_snapshot(movement_engine):
    trend = mv.movement_trend(ctx_for(movement_engine))
    assert [pd.Timestamp(d).date() for d in trend["snapshot_b"]] == [world.A, world.B]
    first, last = trend.iloc[0], trend.iloc[1]
    assert (first["start_count"], first["start_fen"]) == (2, fen("170000.43"))
    assert (first["new_count"], first["new_fen"]) == (7, fen("166000.05"))
    assert first["label_advanced"] == 1 and first["end_fen"] == fen("336000.48")
    summary = mv.movement(ctx_for(movement_engine), PAIR).waterfall
    assert all(int(last[f"{p}_fen"]) == summary.fen[p] for p in mv.WATERFALL_PARTS)
    for _, row in trend.iterrows():
        assert mv.Waterfall.from_row(row).adds_up()


# --- the waterfall adds up on random pairs of snapshots --------------------------------

STATUSES = ["open", "open", "open", "won", "lost", "terminated"]
deal_state = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from(STATUSES),
        st.integers(0, 4),
        st.integers(0, 10_000_000_00),  # fen
        st.sampled_from(["A1", "A2", "A3"]),
        st.one_of(st.none(), st.integers(0, 200)),
    ),
)


def _random_frames(pairs: list[tuple]) -> dict[str, pd.DataFrame]:
    """The movement world's org with random deals in A and B (None: not held)."""
    rows = []
    for i, states in enumerate(pairs):
        for day, state in zip((world.A, world.B), states, strict=True):
            if state is not None:
                status, stage, value_fen, owner, close_offset = state
                close = None if close_offset is None else world.B + timedelta(days=close_offset)
                rows.append(
                    (day, f"R{i}", owner, status, stage, value_fen / 100, close, None, "综合VPN", False)
                )
    columns = ["snapshot_date", "opportunity_id", "owner_id", "status", "stage", "annual_value",
               "expected_close_date", "closed_date", "product", "key_flag"]  # fmt: skip
    frames = world.build_frames()
    frames["opportunity_snapshot"] = world.complete_snapshot(pd.DataFrame(rows, columns=columns))
    frames["snapshots"] = pd.DataFrame({"snapshot_date": [world.A, world.B], "row_count": [1, 1]})
    return frames


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(pairs=st.lists(st.tuples(deal_state, deal_state).filter(lambda p: p != (None, None)), max_size=25))
def test_waterfall_adds_up_on_random_snapshots(empty_engine, pairs):
    replace_all(empty_engine, _random_frames(pairs), loaded_by="test", label="fixture")
    for scope in (Scope.company(), Scope.of_owner("A1")):
        got = mv.movement(ctx_for(empty_engine, scope), PAIR)
        assert got.waterfall.adds_up()
        open_a = [s for s, _ in pairs if s is not None and s[0] == "open"]
        open_b = [s for _, s in pairs if s is not None and s[0] == "open"]
        if scope.level == "company":
            assert got.waterfall.fen["start"] == sum(s[2] for s in open_a)
            assert got.waterfall.counts["end"] == len(open_b)
            assert got.waterfall.fen["end"] == sum(s[2] for s in open_b)
            assert int(got.by_owner["end_fen"].sum()) == got.waterfall.fen["end"]
