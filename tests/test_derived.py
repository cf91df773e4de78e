"""Derived tables (analytics/derived.py): built once per data version and as_of, never stale.

Uses tests/tiny_world.py: 2026-06-30 holds every opportunity, 2026-06-23 those
created by then (O1's expected close moved from 2026-06-01 to its final date,
a slip).  Each test rebuilds its own warehouse, since it changes the data.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from analytics import schema
from analytics.context import Context
from analytics.derived import MODELS, ensure, tables_for
from analytics.metrics.classes import class_summary
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from analytics.warehouse import replace_all
from tests.conftest import drop_engine, new_engine
from tests.tiny_world import AS_OF, build_frames

EARLIER = date(2026, 6, 23)


@pytest.fixture
def engine(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, build_frames(), loaded_by="test", label="fixture")
    yield engine
    drop_engine(backend, engine)


def _registry(engine) -> list[tuple]:
    r = schema.cache_registry
    with engine.connect() as conn:
        rows = conn.execute(select(r.c.model, r.c.as_of, r.c.data_version).order_by(r.c.model, r.c.as_of))
        return [tuple(row) for row in rows]


def _facts(engine, as_of: date) -> int:
    t = schema.cache_opportunity_facts
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(t).where(t.c.as_of == as_of)).scalar_one()


def _opportunities(engine, as_of: date) -> int:
    ctx = Context(engine, Scope.company(), Settings(), as_of, Filters())
    return int(class_summary(ctx)["opportunities"].sum())


def test_a_query_names_what_it_needs_in_build_order():
    assert tables_for("funnel_conversion") == ("cache_stage_stints", "cache_opportunity_facts")
    assert tables_for("revenue_monthly") == ()
    assert tables_for("problem_opportunities") == (
        "cache_stage_stints",
        "cache_stage_thresholds",
        "cache_opportunity_facts",
        "cache_win_rates",
        "cache_open_deals",  # the open deals with their reasons and p(o), built at load
    )
    assert tables_for("calibration_backtest") == ("cache_stage_stints", "cache_backtest_states")
    assert set(MODELS) == {
        "cache_stage_stints",
        "cache_opportunity_facts",
        "cache_stage_thresholds",
        "cache_backtest_states",
        "cache_movement_pairs",
        "cache_movement_trend",
        "cache_win_rates",
        "cache_past_win_rates",
        "cache_past_deal_values",
        "cache_workload_facts",
        "cache_calibration_sums",
        "cache_calibration_deals",
        "cache_open_deals",
        "cache_support_open",
        "cache_forecast_revenue",
        "cache_forecast_won_sums",
        "cache_duration_histogram",
        "cache_book_visits",
    }
    assert tables_for("calibration_sums") == (
        "cache_stage_stints",
        "cache_calibration_deals",
        "cache_calibration_sums",
    )
    assert tables_for("forecast_pipeline") == (
        "cache_stage_stints",
        "cache_opportunity_facts",
        "cache_win_rates",
    )


def test_built_once_per_version_and_as_of(engine):
    frames = build_frames()
    newest = (frames["opportunity_snapshot"]["snapshot_date"] == AS_OF).sum()
    older = (frames["opportunity_snapshot"]["snapshot_date"] == EARLIER).sum()
    assert _opportunities(engine, AS_OF) == newest
    first = _registry(engine)
    assert [(m, a) for m, a, _ in first] == [("cache_opportunity_facts", AS_OF), ("cache_stage_stints", None)]
    assert _opportunities(engine, AS_OF) == newest
    assert _registry(engine) == first  # the second query built nothing
    assert _opportunities(engine, EARLIER) == older  # another as_of: its own rows
    assert (_facts(engine, AS_OF), _facts(engine, EARLIER)) == (newest, older)


def test_a_new_load_makes_every_cache_stale(engine):
    assert _opportunities(engine, AS_OF) > 1
    assert _opportunities(engine, EARLIER) > 1
    frames = build_frames()
    snap = frames["opportunity_snapshot"]
    frames["opportunity_snapshot"] = snap[snap["opportunity_id"] == "O1"]
    frames["snapshots"]["row_count"] = 1
    replace_all(engine, frames, loaded_by="test", label="fixture")
    assert _opportunities(engine, AS_OF) == 1
    versions = {v for _, _, v in _registry(engine)}
    assert len(versions) == 1  # the earlier as_of's stale build was purged with its rows
    assert _facts(engine, EARLIER) == 0
    assert [(m, a) for m, a, _ in _registry(engine)] == [
        ("cache_opportunity_facts", AS_OF),
        ("cache_stage_stints", None),
    ]


def test_concurrent_viewers_build_it_once(engine):
    errors: list[BaseException] = []

    def view() -> None:
        try:
            ensure(engine, tables_for("problem_opportunities"), AS_OF, Settings())
        except BaseException as error:  # collected and re-raised below
            errors.append(error)

    threads = [threading.Thread(target=view) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(_registry(engine)) == 5
    frames = build_frames()
    assert _facts(engine, AS_OF) == (frames["opportunity_snapshot"]["snapshot_date"] == AS_OF).sum()


def test_facts_as_of_a_past_snapshot(engine):
    """O1's close date moved later between the two snapshots: one slip at AS_OF, none before."""
    ensure(engine, list(MODELS), AS_OF, Settings())
    ensure(engine, list(MODELS), EARLIER, Settings())
    t = schema.cache_opportunity_facts
    with engine.connect() as conn:
        rows = dict(
            conn.execute(select(t.c.as_of, t.c.known_slip_count).where(t.c.opportunity_id == "O1")).all()
        )
    assert rows == {AS_OF: 1, EARLIER: 0}


def test_thresholds_follow_the_stale_window_setting(engine):
    """A build keyed by settings: another stale_window_days builds (and reads) its own rows."""
    t = schema.cache_stage_thresholds

    def ended(settings: Settings) -> int:
        ensure(engine, ["cache_stage_thresholds"], AS_OF, settings)
        with engine.connect() as conn:
            return conn.execute(select(func.sum(t.c.ended_stints)).where(t.c.as_of == AS_OF)).scalar() or 0

    year = ended(Settings())
    week = ended(Settings().with_overrides(stale_window_days=7))
    assert week < year
    assert ended(Settings()) == year  # and back
    models = [m for m, _, _ in _registry(engine)]
    assert models.count("cache_stage_thresholds") == 1


def test_derived_tables_of_an_older_shape_are_recreated(engine):
    from analytics import derived
    from analytics.warehouse import set_meta

    ensure(engine, list(MODELS), AS_OF, Settings())
    with engine.begin() as conn:
        set_meta(conn, "derived_shape", "an older declaration")
    derived._SHAPE_CHECKED.discard(str(engine.url))
    derived._KNOWN_BUILT.clear()
    ensure(engine, list(MODELS), AS_OF, Settings())
    assert len(_registry(engine)) == len(MODELS)  # dropped, recreated and rebuilt
    assert _facts(engine, AS_OF) > 0


def test_a_changed_build_query_alone_changes_the_declared_shape(monkeypatch):
    """Same columns computed another way (new code) must not read facts built by the old."""
    from analytics import derived, queries

    before = derived._declared_shape()
    original = queries.read_sql

    def edited(name: str) -> str:
        text = original(name)
        return text + "\n-- edited" if name == "build_opportunity_facts" else text

    monkeypatch.setattr(queries, "read_sql", edited)
    assert derived._declared_shape() != before


def test_refresh_after_a_load_builds_the_newest_snapshot(engine):
    from analytics.derived import refresh_newest

    assert refresh_newest(engine, Settings()) >= 0
    held = [(m, a) for m, a, _ in _registry(engine)]
    assert held == [
        ("cache_book_visits", AS_OF),  # the last visit per manager x customer (我的商机)
        ("cache_duration_histogram", AS_OF),  # the company's ended stints per length (阶段时长)
        ("cache_forecast_revenue", None),  # revenue per branch x product x period (收入预测)
        ("cache_forecast_won_sums", AS_OF),  # the won deals' slips and values (收入预测)
        ("cache_movement_pairs", AS_OF),  # the 周例会 default pair at the newest snapshot
        ("cache_movement_trend", AS_OF),  # the 周例会 trend's sums per pair and manager,
        # one set per pair's later snapshot (tiny_world holds two snapshots: one pair)
        ("cache_open_deals", AS_OF),  # the open deals the problem lists and key deals read
        ("cache_opportunity_facts", AS_OF),
        ("cache_stage_stints", None),
        ("cache_stage_thresholds", AS_OF),
        ("cache_support_open", AS_OF),  # the support requests open then (团队)
        ("cache_win_rates", AS_OF),  # p(o)'s rate tables: the first forecast view reads them
        ("cache_workload_facts", AS_OF),  # the scorecard's per-manager facts (客户经理, 团队, 我的商机)
    ]


def test_postgresql_reads_per_date_tables_through_an_index(engine, backend):
    if backend != "postgresql":
        pytest.skip("DuckDB skips blocks by their min/max instead")
    from sqlalchemy import text

    with engine.connect() as conn:
        names = conn.execute(
            text("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'cache_%'")
        ).scalars()
        assert set(names) == {
            "ix_cache_opportunity_facts_as_of",
            "ix_cache_stage_thresholds_as_of",
            "ix_cache_backtest_states_as_of",
            "ix_cache_movement_pairs_as_of",
            "ix_cache_movement_trend_as_of",
            "ix_cache_win_rates_as_of",
            "ix_cache_past_win_rates_as_of",
            "ix_cache_past_deal_values_as_of",
            "ix_cache_workload_facts_as_of",
            "ix_cache_calibration_sums_as_of",
            "ix_cache_calibration_deals_as_of",
            "ix_cache_open_deals_as_of",
            "ix_cache_support_open_as_of",
            "ix_cache_forecast_won_sums_as_of",
            "ix_cache_duration_histogram_as_of",
            "ix_cache_book_visits_as_of",
        }


def test_duckdb_writes_a_build_into_its_storage_at_once(engine, backend):
    """A build is checkpointed (its WAL emptied): freshly built tables read several times
    slower from their written form in the process that built them."""
    if backend != "duckdb":
        pytest.skip("PostgreSQL has no checkpoint to ask for")
    from pathlib import Path

    from analytics import derived

    derived._KNOWN_BUILT.clear()
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM cache_registry")
    ensure(engine, list(MODELS), AS_OF, Settings())
    wal = Path(f"{engine.url.database}.wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_context_pinned_to_its_data_version_skips_the_version_read_for_builds_seen(engine):
    """Issue 19: a page's statements carry the data version it read once (ui/data.py), so a
    derived table this process saw built for it costs no connection per statement; without
    a version, each ensure reads the load history."""
    from sqlalchemy import event

    from analytics.warehouse import data_version

    version = data_version(engine)
    tables = tables_for("stage_durations")
    ensure(engine, tables, AS_OF, Settings(), version=version)  # built, and seen built
    checkouts: list[object] = []
    event.listen(engine.pool, "checkout", lambda *args: checkouts.append(args))
    ensure(engine, tables, AS_OF, Settings(), version=version)
    assert checkouts == []
    ensure(engine, tables, AS_OF, Settings())
    assert len(checkouts) == 1
    ensure(engine, tables, AS_OF, Settings(), version="another version")  # not seen: checked
    assert len(checkouts) == 2
