"""After a load, the first 预测校准 view builds nothing: the load built what the backtest reads.

The calibration backtest scores p(o) at the newest snapshots at least
probability_horizon_days before as_of.  It
used to read the full per-date facts (cache_opportunity_facts) at each of
them, built on the first reader's request after every load (17.8 s at 200,000
opportunities, 71.6 s at a million; issue 20 item 5).  It now reads the narrow
states of cache_backtest_states, built for all the backtest dates in one pass
by the load's own post-commit step (analytics/ingest.py, timed as 'backtest'),
and sums them per scope key (cache_calibration_sums, timed as 'calibration'),
so the view sums those rows.
Both backends: the sample files loaded, then the newest week sent again (a
second load: every derived table of the first is stale).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import text

from analytics import derived, schema
from analytics.context import Context
from analytics.forecast import calibration as cal
from analytics.scope import Scope
from analytics.settings import load_settings
from tests.test_loader_freeze import NOV13, NOV20, SAMPLES, run, week_changed
from tests.test_loader_helpers import fresh, rows


@pytest.fixture
def loaded(empty_engine, tmp_path, monkeypatch):
    """The samples, then the newest week re-sent; the reader's process has seen no build.

    The samples' two snapshots are a week apart: a 7-day horizon makes NOV13 a
    backtest date of NOV20 (the default horizon asks for snapshots 60 days back)."""
    monkeypatch.setenv("SJGK_PROBABILITY_HORIZON_DAYS", "7")
    engine = fresh(empty_engine)
    assert run(engine).outcome == "loaded"
    report = run(engine, [week_changed(tmp_path)])
    assert report.outcome == "loaded", report.text()
    monkeypatch.setattr(derived, "_KNOWN_BUILT", set())  # as a dashboard process of its own
    return engine, report


def builds(monkeypatch) -> list[tuple[str, date]]:
    """Record each derived-table build from here on: (table, as_of)."""
    made: list[tuple[str, date]] = []
    build = derived._build

    def recorded(engine, model, as_of, *args, **kwargs):
        made.append((model.table, as_of))
        return build(engine, model, as_of, *args, **kwargs)

    monkeypatch.setattr(derived, "_build", recorded)
    return made


def test_the_load_builds_what_the_first_calibration_view_reads(loaded, monkeypatch):
    engine, report = loaded
    for code in ("backtest", "calibration"):
        step = [s for s in report.after_commit if s.code == code]
        assert len(step) == 1 and step[0].error is None and step[0].seconds > 0, code
    held = {(t, _day(d)) for t, d in rows(engine, "SELECT model, as_of FROM cache_registry") if d}
    assert {("cache_backtest_states", NOV13), ("cache_backtest_states", NOV20)} <= held
    for kept in ("cache_calibration_sums", "cache_calibration_deals"):
        assert (kept, NOV20) in held, "the load keeps the backtest per scope key"
    made = builds(monkeypatch)
    ctx = Context(engine, Scope.company(), load_settings(), NOV20)
    assert cal.backtest_dates(ctx) == [NOV13]
    result = cal.calibration(ctx)
    assert made == [], "the first view after a load built derived tables on the reader's request"
    backtest = cal.probability_backtest(ctx)  # the per-deal reference, from the full facts
    pd.testing.assert_frame_equal(
        result["reliability"], cal.reliability_table(backtest), check_dtype=False, rtol=1e-9
    )
    assert result["summary"]["deals"] == backtest["opportunity_id"].nunique()
    kept = rows(engine, "SELECT SUM(predictions) FROM cache_calibration_sums WHERE as_of = :d", d=NOV20)
    assert (kept[0][0] or 0) == 2 * len(backtest), "both models' predictions, kept at load"


def test_another_as_of_builds_the_narrow_states_in_one_pass(loaded, monkeypatch):
    engine, _report = loaded
    made = builds(monkeypatch)
    later = date(2026, 11, 27)  # no snapshot: its backtest dates (7 days back or more) are both held
    ctx = Context(engine, Scope.company(), load_settings(), later)
    cal.calibration(ctx)
    once = [(table, later) for table in ("cache_backtest_states", *cal.KEPT)]
    assert made == once, "one build for all its dates (then the kept rows), no full facts"
    held = rows(engine, "SELECT as_of FROM cache_registry WHERE model = 'cache_backtest_states'")
    assert sorted(_day(d) for (d,) in held) == [NOV13, NOV20, later]
    first_view = list(made)
    cal.calibration(ctx)
    assert made == first_view, "a repeat view builds nothing"


def test_the_narrow_states_equal_the_full_facts_at_every_date(demo_warehouse):
    """One pass over the history gives, at each date, what each date's full build gives."""
    engine, as_of = demo_warehouse["engine"], demo_warehouse["as_of"]
    settings = load_settings()
    ctx = Context(engine, Scope.company(), settings, as_of)
    dates = cal.backtest_dates(ctx)
    assert len(dates) >= 2
    derived.ensure_span(engine, "cache_backtest_states", dates[0], as_of, settings)
    columns = ", ".join(schema.BACKTEST_STATE_COLUMNS)
    for day in [*dates, as_of]:
        derived.ensure(engine, ["cache_opportunity_facts"], day, settings)
        narrow, full = (
            pd.read_sql(
                text(f"SELECT {columns} FROM {table} WHERE as_of = :d ORDER BY opportunity_id"),
                engine,
                params={"d": day},
            )
            for table in ("cache_backtest_states", "cache_opportunity_facts")
        )
        assert len(full) > 0
        pd.testing.assert_frame_equal(narrow, full, check_dtype=False)


def _day(value) -> date:
    return value if type(value) is date else value.date()


def _states(engine) -> pd.DataFrame:
    columns = ", ".join(["as_of", *schema.BACKTEST_STATE_COLUMNS])
    return pd.read_sql(
        text(f"SELECT {columns} FROM cache_backtest_states ORDER BY as_of, opportunity_id"), engine
    )


def test_a_new_snapshot_builds_only_its_own_date_and_equals_a_build_from_scratch(
    loaded, monkeypatch, tmp_path
):
    """The earlier dates' states are kept by what they are built from (derived.input_keys): a
    load of a new week builds that week's date alone, and the rows equal a full build."""
    engine, _report = loaded
    made, spans = builds(monkeypatch), []
    build = derived._build

    def spanned(engine, model, as_of, *args, **kwargs):
        if model.table == "cache_backtest_states":
            spans.append(kwargs.get("span", ()))
        return build(engine, model, as_of, *args, **kwargs)

    monkeypatch.setattr(derived, "_build", spanned)
    nov27 = date(2026, 11, 27)
    week = tmp_path / f"商机清单_{nov27:%Y%m%d}.csv"
    week.write_bytes(
        (SAMPLES / "商机清单_20261120.csv").read_bytes().replace(b",2026/11/20\r\n", b",2026/11/27\r\n")
    )
    report = run(engine, [week])
    assert report.outcome == "loaded", report.text()
    assert [s.error for s in report.after_commit if s.code == "backtest"] == [None]
    assert [m for m in made if m[0] == "cache_backtest_states"] == [("cache_backtest_states", nov27)]
    assert spans == [()], "the load rebuilt the earlier dates' states"
    incremental = _states(engine)
    assert sorted({_day(d) for d in incremental["as_of"]}) == [NOV13, NOV20, nov27]
    with engine.begin() as conn:  # from scratch: every date in one pass
        conn.execute(text("DELETE FROM cache_backtest_states"))
        conn.execute(text("DELETE FROM cache_registry WHERE model = 'cache_backtest_states'"))
    monkeypatch.setattr(derived, "_KNOWN_BUILT", set())
    derived.ensure_span(engine, "cache_backtest_states", NOV13, nov27, load_settings())
    assert made[-1] == ("cache_backtest_states", nov27) and len(made) > 1
    pd.testing.assert_frame_equal(incremental, _states(engine))
