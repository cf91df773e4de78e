"""Why the forecast moved: the bridge between two frozen forecasts adds up to their difference
to the fen, and its deal parts are the deals' expected revenue (tests/forecast_world.py:
S0 = 03-31 → S1 = 06-30; C2 and C6 won, C3 lost, O1 and O3-O7 new, O2 open in both)."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy import text

from analytics.cli import main
from analytics.context import Context
from analytics.forecast import bridge as br
from analytics.forecast.freeze import freeze_all
from analytics.forecast.probabilities import open_pipeline
from analytics.metrics.movement import SnapshotPair
from analytics.scope import Filters, Scope
from analytics.settings import load_settings
from tests import forecast_world as world

PAIR = SnapshotPair(world.S0, world.AS_OF)


@pytest.fixture(scope="module")
def frozen_engine(forecast_engine):
    freeze_all(forecast_engine, load_settings())
    return forecast_engine


def ctx_for(engine, scope: Scope | None = None, filters: Filters | None = None) -> Context:
    return Context(engine, scope or Scope.company(), load_settings(), world.AS_OF, filters or Filters())


def frozen_expected(engine, day, branch: str | None = None) -> float:
    sql = (
        "SELECT SUM(expected) FROM forecast_snapshots WHERE snapshot_date = :d AND year = 2026 AND month = 12"
        " AND horizon = 'year_end'"
    )
    params = {"d": day}
    if branch:
        sql += " AND branch = :b"
        params["b"] = branch
    with engine.connect() as conn:
        return float(conn.execute(text(sql), params).scalar())


def er(engine, day, ids) -> float:
    deals = open_pipeline(replace(ctx_for(engine), as_of=day))
    return float(deals[deals["opportunity_id"].isin(ids)]["expected_revenue"].astype(float).sum())


def test_bridge_adds_up_to_the_frozen_difference(frozen_engine):
    bridge = br.forecast_change(ctx_for(frozen_engine), PAIR)
    assert bridge.available and bridge.adds_up()
    assert bridge.expected_a_fen == round(frozen_expected(frozen_engine, world.S0) * 100)
    assert bridge.expected_b_fen == round(frozen_expected(frozen_engine, world.AS_OF) * 100)
    assert list(bridge.parts_fen) == list(br.BRIDGE_PARTS)


def test_booked_revenue_by_hand(frozen_engine):
    """Jan-May less Jan-Feb: 浦东 综合VPN 52,400 - 20,000, 徐汇 企业总机 26,300 - 12,000."""
    assert br.forecast_change(ctx_for(frozen_engine), PAIR).parts_fen["booked"] == 46_700_00


def test_deal_parts_are_the_deals_expected_revenue(frozen_engine):
    parts = br.forecast_change(ctx_for(frozen_engine), PAIR).parts_fen
    assert parts["won"] == -round(er(frozen_engine, world.S0, ["C2", "C6"]) * 100)
    assert parts["lost"] == -round(er(frozen_engine, world.S0, ["C3"]) * 100)
    new = ["O1", "O3", "O4", "O5", "O6", "O7"]
    assert parts["new"] == round(er(frozen_engine, world.AS_OF, new) * 100)
    assert parts["won"] < 0 and parts["new"] > 0
    assert parts["removed"] == parts["terminated"] == parts["reopened"] == 0


def test_open_in_both_splits_exactly():
    a = pd.DataFrame([["X", 0.5, 1000.0, 6.0, 250.0]], columns=br.DEAL_COLUMNS)
    b = pd.DataFrame([["X", 0.8, 1200.0, 3.0, 240.0]], columns=br.DEAL_COLUMNS)
    got = br.deal_contributions(a, b, {p: set() for p in (*br.LEAVING, *br.ARRIVING)})
    amounts = dict(zip(got["part"], got["amount"], strict=True))
    assert amounts["value"] == pytest.approx(0.5 * 200 * 6 / 12)  # 50
    assert amounts["stage"] == pytest.approx(0.3 * 1200 * 6 / 12)  # 180
    assert amounts["slipped"] == pytest.approx(0.8 * 1200 * -3 / 12)  # -240
    assert sum(amounts.values()) == pytest.approx(0.8 * 1200 * 3 / 12 - 0.5 * 1000 * 6 / 12)


def test_top_movers_by_amount(frozen_engine):
    movers = br.forecast_change(ctx_for(frozen_engine), PAIR).movers
    assert 0 < len(movers) <= load_settings().forecast_top_deals
    sizes = movers["amount"].abs().tolist()
    assert sizes == sorted(sizes, reverse=True)


def test_top_movers_are_named_as_the_pipeline_names_them(frozen_engine, monkeypatch):
    """The deal rows carry numbers only; the movers get their names as forecast_pipeline
    has them at B, else at A (a deal that left), in chunks of NAME_SLOTS."""
    monkeypatch.setattr(br, "NAME_SLOTS", 2)
    ctx = ctx_for(frozen_engine)
    movers = br.forecast_change(ctx, PAIR).movers
    assert len(movers) > 2 and movers["name"].notna().all()
    at_b = ctx.query("forecast_pipeline").set_index("opportunity_id")  # one row per deal, named
    at_a = replace(ctx, as_of=world.S0).query("forecast_pipeline").set_index("opportunity_id")
    for mover in movers.to_dict("records"):
        source = at_b if mover["opportunity_id"] in at_b.index else at_a
        row = source.loc[mover["opportunity_id"]]
        names = (row["name"], row["customer_name"], row["owner_name"])
        assert (mover["name"], mover["customer_name"], mover["owner_name"]) == names
    assert list(movers.columns) == [
        "opportunity_id",
        "name",
        "customer_name",
        "owner_name",
        "amount",
        "parts",
    ]


def test_branch_scope_uses_its_lines_only(frozen_engine):
    bridge = br.forecast_change(ctx_for(frozen_engine, Scope.of_branch("浦东")), PAIR)
    assert bridge.available and bridge.adds_up()
    assert bridge.expected_b_fen == round(frozen_expected(frozen_engine, world.AS_OF, "浦东") * 100)
    assert bridge.parts_fen["booked"] == (52_400 - 20_000) * 100


def test_owner_scope_has_no_frozen_forecast(frozen_engine):
    assert not br.forecast_change(ctx_for(frozen_engine, Scope.of_owner("A1")), PAIR).available


def test_owner_scope_gets_the_pipeline_bridge(frozen_engine):
    """A1's open pipeline's expected revenue, S0 → S1: C2 won, O1, O3, O5, O6 new, O2 in both."""
    ctx = ctx_for(frozen_engine, Scope.of_owner("A1"))
    bridge = br.pipeline_change(ctx, PAIR)
    assert bridge.available and bridge.basis == "pipeline" and bridge.adds_up()
    own = ctx_for(frozen_engine, Scope.of_owner("A1"))
    at_a = open_pipeline(replace(own, as_of=world.S0))["expected_revenue"].astype(float).sum()
    at_b = open_pipeline(own)["expected_revenue"].astype(float).sum()
    assert (bridge.expected_a_fen, bridge.expected_b_fen) == (round(at_a * 100), round(at_b * 100))
    assert bridge.parts_fen["won"] == -round(er(frozen_engine, world.S0, ["C2"]) * 100)
    assert bridge.parts_fen["new"] == round(er(frozen_engine, world.AS_OF, ["O1", "O3", "O5", "O6"]) * 100)
    # no deal entered or left A1's scope: the rest is only each part's rounding to the fen
    assert bridge.parts_fen["booked"] == 0 and abs(bridge.parts_fen["rest"]) <= len(br.BRIDGE_PARTS)


def test_report_forecast_change_json(frozen_engine, capsys):
    from analytics import auth

    auth.add_user(frozen_engine, "boss", "bridge-pass-2026", "D1")
    url = frozen_engine.url.render_as_string(hide_password=False)
    argv = ["report", "forecast_change", "--db", url, "--as-user", "boss", "--format", "json"]
    assert main([*argv, "--compare-to", str(world.S0)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["available"] and (doc["snapshot_a"], doc["snapshot_b"]) == ("2026-03-31", "2026-06-30")
    assert doc["expected_a"] * 100 + sum(doc["bridge_fen"].values()) == pytest.approx(doc["expected_b"] * 100)
    assert doc["bridge"]["booked"] == 46_700.0 and len(doc["movers"]) > 0


@pytest.mark.parametrize("scope", [Scope.company(), Scope.of_owner("A1")])
def test_b_side_reads_the_open_deals_kept_at_load_with_the_same_bridge(frozen_engine, monkeypatch, scope):
    """B's deals (the viewer's as_of) and names come from cache_open_deals, as the 收入预测 page's
    (issue 19: at 1 M 40 ms instead of 250 ms); A's from A's state; the bridge is the one
    computed from both states."""
    sent = []
    original = Context.query

    def recording(self, name, **params):
        sent.append((name, self.as_of, self.derived_tables(name)))
        return original(self, name, **params)

    monkeypatch.setattr(Context, "query", recording)
    ctx = ctx_for(frozen_engine, scope)
    change = br.forecast_change if scope.level == "company" else br.pipeline_change
    kept_bridge = change(ctx, PAIR)
    reads = {(name, day): "cache_open_deals" in tables for name, day, tables in sent}
    assert reads[("forecast_pipeline_values", world.AS_OF)]
    assert reads[("forecast_deal_names_kept", world.AS_OF)]
    assert not reads[("forecast_pipeline_values_past_kept", world.S0)]
    monkeypatch.setattr(br, "_at", lambda ctx, day: replace(ctx, as_of=day))  # both from the state
    state_bridge = change(ctx, PAIR)
    assert kept_bridge.parts_fen == state_bridge.parts_fen and kept_bridge.adds_up()
    assert (kept_bridge.expected_a_fen, kept_bridge.expected_b_fen) == (
        state_bridge.expected_a_fen,
        state_bridge.expected_b_fen,
    )
    pd.testing.assert_frame_equal(kept_bridge.movers, state_bridge.movers)


@pytest.mark.parametrize("scope", [Scope.company(), Scope.of_branch("浦东"), Scope.of_owner("A1")])
def test_a_side_reads_the_states_kept_per_date_with_the_same_bridge(frozen_engine, monkeypatch, scope):
    """A's deals and names come from the backtest states the load keeps per date (freeze.PAST_STATE):
    nothing of A's full facts is built on the first view after a load (issue 19: 9-10 s at 1 M);
    the bridge, its parts, ends and named movers are the ones A's facts give."""
    sent = []
    original = Context.query

    def recording(self, name, **params):
        sent.append((name, self.as_of, self.derived_tables(name)))
        return original(self, name, **params)

    monkeypatch.setattr(Context, "query", recording)
    ctx = ctx_for(frozen_engine, scope)
    change = br.forecast_change if scope.level == "company" else br.pipeline_change
    kept_bridge = change(ctx, PAIR)
    at_a = [tables for name, day, tables in sent if day == world.S0]
    assert ("forecast_pipeline_values_past_kept", world.S0) in {(name, day) for name, day, _ in sent}
    assert at_a and all("cache_opportunity_facts" not in tables for tables in at_a)
    assert all("cache_win_rates" not in tables for tables in at_a)
    assert any("cache_backtest_states" in tables and "cache_past_win_rates" in tables for tables in at_a)
    monkeypatch.setattr(br, "_numbers_at", br._at)  # A from its full facts, as before
    facts_bridge = change(ctx, PAIR)
    assert kept_bridge.parts_fen == facts_bridge.parts_fen and kept_bridge.adds_up()
    assert (kept_bridge.expected_a_fen, kept_bridge.expected_b_fen) == (
        facts_bridge.expected_a_fen,
        facts_bridge.expected_b_fen,
    )
    pd.testing.assert_frame_equal(kept_bridge.movers, facts_bridge.movers)


def test_frozen_bridge_available_says_what_forecast_change_finds(frozen_engine):
    """The page (and bench_all's first view) shows the pipeline's bridge only where this is False."""
    for scope in (Scope.company(), Scope.of_branch("浦东"), Scope.of_owner("A1")):
        ctx = ctx_for(frozen_engine, scope)
        assert br.frozen_bridge_available(ctx, PAIR) == br.forecast_change(ctx, PAIR).available
    assert br.frozen_bridge_available(ctx_for(frozen_engine), PAIR)
    assert not br.frozen_bridge_available(
        ctx_for(frozen_engine), SnapshotPair(world.S0, world.S0.replace(year=2027))
    )


def test_past_win_rates_are_the_rates_at_that_date(frozen_engine):
    """cache_past_win_rates at A (from the kept backtest states) holds cache_win_rates' rows at
    A (from A's full facts), row for row: A's p(o) is the one the live pages give at A."""
    ctx = replace(ctx_for(frozen_engine), as_of=world.S0)
    replace(ctx, swap=br.PAST_DEALS).query("forecast_pipeline_values")
    ctx.query("forecast_pipeline_values")
    columns = "kind, stage, age_bin, opportunity_class, product, closed, won"
    order = "kind, stage, age_bin, opportunity_class, product"
    with frozen_engine.connect() as conn:
        past, live = (
            conn.execute(
                text(f"SELECT {columns} FROM {table} WHERE as_of = :d ORDER BY {order}"), {"d": world.S0}
            ).all()
            for table in ("cache_past_win_rates", "cache_win_rates")
        )
    assert past and past == live


@pytest.mark.parametrize("scope", [Scope.company(), Scope.of_branch("浦东"), Scope.of_owner("A1")])
def test_a_deals_kept_by_the_load_are_the_deals_computed_from_a_state(frozen_engine, monkeypatch, scope):
    """cache_past_deal_values at A, read for a scope (forecast_pipeline_values_past_kept), holds
    the rows forecast_pipeline_values computes over A's kept state, number for number; a
    filter reads them from the state."""
    sent: list[str] = []
    original = Context.query
    monkeypatch.setattr(
        Context, "query", lambda self, name, **p: sent.append(name) or original(self, name, **p)
    )
    br._deals(ctx_for(frozen_engine, scope), world.S0)
    br._deals(ctx_for(frozen_engine, scope, Filters(products=("综合VPN",))), world.S0)
    assert sent == ["forecast_pipeline_values_past_kept", "forecast_pipeline_values"]
    monkeypatch.setattr(Context, "query", original)
    at_a = replace(ctx_for(frozen_engine, scope), as_of=world.S0, swap=br.PAST_DEALS)
    kept = at_a.query("forecast_pipeline_values_past_kept")
    computed = at_a.query("forecast_pipeline_values")
    assert len(computed) > 0 or scope.level == "owner"
    pd.testing.assert_frame_equal(
        kept.astype({"months_this_year": "int64"}).reset_index(drop=True),
        computed.astype({"months_this_year": "int64"}).reset_index(drop=True),
        check_dtype=False,
    )
