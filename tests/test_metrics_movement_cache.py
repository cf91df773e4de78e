"""The derived table cache_movement_pairs (build_movement_pairs.sql) against the movement
computed from scratch (movement_pairs_scratch: both snapshots' facts joined afresh), row
for row, on DuckDB and PostgreSQL; and the load's step that builds the default pair, so
the 周例会 page's calls after a load build nothing."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analytics import derived, ingest, schema
from analytics.context import Context
from analytics.forecast import bridge as br
from analytics.metrics import movement as mv
from analytics.scope import Filters, Scope
from analytics.settings import Settings, load_settings
from analytics.warehouse import replace_all
from tests import movement_world as world
from tests.conftest import drop_engine, new_engine

PAIRS = (
    mv.SnapshotPair(world.A, world.B),
    mv.SnapshotPair(world.S0, world.B),
    mv.SnapshotPair(world.S0, world.A),
)
# Other class thresholds and key share: the table keeps their inputs, the read applies them.
OTHER_RULES = {"SJGK_CLASS_MAJOR_MIN": "45000", "SJGK_KEY_TOP_SHARE": "0.5"}


@pytest.fixture(scope="module")
def loaded_engine(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, world.build_frames(), loaded_by="test", label="fixture")
    yield engine
    drop_engine(backend, engine)


def _normal(frame: pd.DataFrame) -> pd.DataFrame:
    """Plain Python values (the backends differ in dtypes, not in values)."""
    return frame.astype(object).where(frame.notna(), None).reset_index(drop=True)


def _scratch(engine, pair: mv.SnapshotPair, settings: Settings) -> pd.DataFrame:
    derived.ensure(engine, ["cache_opportunity_facts"], pair.a, settings)
    ctx = Context(engine, Scope.company(), settings, pair.b, Filters())
    return ctx.query("movement_pairs_scratch", snapshot_a=pair.a, snapshot_b=pair.b)


def _cached(engine, pair: mv.SnapshotPair, settings: Settings) -> pd.DataFrame:
    ctx = Context(engine, Scope.company(), settings, pair.b, Filters())
    ctx = replace(ctx, settings=mv.pair_settings(ctx, pair))
    return ctx.query("movement_pairs_cached", snapshot_a=pair.a, snapshot_b=pair.b)


@pytest.mark.parametrize("rules", [{}, OTHER_RULES], ids=["default rules", "other rules"])
@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p.a}-{p.b}")
def test_derived_pair_equals_the_movement_from_scratch(loaded_engine, pair, rules):
    settings = load_settings(rules)
    scratch = _scratch(loaded_engine, pair, settings)
    cached = _cached(loaded_engine, pair, settings)
    assert len(scratch) >= 10
    pd.testing.assert_frame_equal(_normal(cached), _normal(scratch))


def test_other_rules_change_class_and_key_without_a_rebuild(loaded_engine):
    pair = PAIRS[0]
    built = _cached(loaded_engine, pair, Settings())
    other = _cached(loaded_engine, pair, load_settings(OTHER_RULES))
    assert (built["class_b"] != other["class_b"]).any() and (built["key_b"] != other["key_b"]).any()


def _registry(engine, model: str) -> set:
    registry = schema.cache_registry
    with engine.connect() as conn:
        rows = conn.execute(registry.select().where(registry.c.model == model)).all()
    return {(row.as_of, row.data_version.split("|", 1)[-1]) for row in rows}


@pytest.fixture()
def fresh_engine(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, world.build_frames(), loaded_by="test", label="fixture")
    yield engine
    drop_engine(backend, engine)


def test_after_a_load_the_page_builds_nothing(fresh_engine, monkeypatch):
    settings = load_settings()
    steps = ingest.finish(fresh_engine, settings)
    assert [s.error for s in steps if s.code == "derived"] == [None]
    assert _registry(fresh_engine, "cache_movement_pairs") == {(world.B, "week_compare_days=7")}
    builds: list[str] = []
    monkeypatch.setattr(derived, "_build", lambda engine, model, *args, **kw: builds.append(model.table))
    derived._KNOWN_BUILT.clear()  # as a fresh process (the dashboard's) would find it
    ctx = Context(fresh_engine, Scope.company(), settings, world.B, Filters())
    pair = mv.pair_or_none(ctx)
    assert pair == PAIRS[0]
    moved = mv.movement(ctx, pair)
    mv.movement_list(ctx, pair, None, None, "value", 50, 0)
    mv.movement_list(ctx, pair, "removed", None, "value", moved.counts["removed"], 0)
    mv.movement_key_deals(ctx, pair, 50, 0)
    # The forecast bridge: A's deals' numbers and rates kept by the load (refresh_previous).
    assert br.forecast_change(ctx, pair).adds_up()
    assert br.pipeline_change(replace(ctx, scope=Scope.of_branch("浦东")), pair).adds_up()
    assert builds == []


def test_another_a_for_the_same_b_replaces_the_pair(fresh_engine):
    settings = load_settings()
    ctx = Context(fresh_engine, Scope.company(), settings, world.B, Filters())
    month = mv.movement(ctx, PAIRS[1]).waterfall
    assert _registry(fresh_engine, "cache_movement_pairs") == {(world.B, "week_compare_days=14")}
    assert month.adds_up()
    assert mv.movement(replace(ctx), PAIRS[0]).waterfall.counts["start"] == 9


TREND_SCOPES = (
    Scope.company(),
    Scope.of_branch("浦东"),
    Scope.of_team("浦东", "一组"),
    Scope.of_owner("A1"),
    Scope.of_owner("A3"),
    Scope.nothing(),
)


@pytest.mark.parametrize("scope", TREND_SCOPES, ids=lambda s: s.label)
def test_kept_trend_equals_the_trend_from_scratch(loaded_engine, scope):
    """cache_movement_trend summed for a scope (movement_trend_kept) gives the rows the trend
    from scratch gives, pair by pair and column by column; a filter reads the trend from scratch."""
    ctx = Context(loaded_engine, scope, load_settings(), world.B, Filters())
    kept = ctx.query("movement_trend_kept")
    scratch = ctx.query("movement_trend")
    assert len(scratch) == 2
    assert list(kept.columns) == list(scratch.columns)
    numbers = [c for c in scratch.columns if c.endswith(("_count", "_fen")) or c.startswith("label_")]
    assert (kept[numbers].fillna(0).astype("int64") == scratch[numbers].fillna(0).astype("int64")).all().all()
    assert list(kept["snapshot_b"]) == list(scratch["snapshot_b"])
    if scope.level == "company":
        assert int(scratch["new_count"].sum()) > 0


def test_trend_reads_the_kept_sums_unless_filtered(loaded_engine, monkeypatch):
    """The trend of a scope sums the kept rows; a product filter compares from scratch."""
    sent: list[str] = []
    original = Context.query
    monkeypatch.setattr(
        Context, "query", lambda self, name, **p: sent.append(name) or original(self, name, **p)
    )
    ctx = Context(loaded_engine, Scope.company(), load_settings(), world.B, Filters())
    whole = mv.movement_trend(ctx)
    filtered = mv.movement_trend(replace(ctx, filters=Filters(products=("综合VPN",))))
    assert sent == ["movement_trend_kept", "movement_trend"]
    assert len(whole) == len(filtered) == 2
