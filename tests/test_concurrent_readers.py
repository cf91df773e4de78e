"""Readers while an upload runs (issue 19, concurrency): no request fails, none sees half a batch.

Two reader threads ask what the home page asks (``overview``: open pipeline,
problems, attainment, freshness) and the funnel, each view certified to be one
data version's (``warehouse.one_version``, as ui/data.py's ``compute`` does per
page run), over and over, while a third
ingests a batch the way the upload page does (``ingest.ingest``: the load's one
transaction, then the steps after its commit: derived tables, backtest states,
calibration sums, the freeze).  The loader is held inside its transaction
(``write.PAUSE_ENV``) after writing its first file, so readers are certain to
ask while half the batch is written.  Every answer must be the warehouse
before the batch or after it, on DuckDB and PostgreSQL; the batch is 4,000
opportunities so the commit and the builds after it take long enough to be
met by readers.  Without the certificate a view met the commit between two of
its statements: 7,939 open deals of the new batch beside the old revenue and no
problem deals.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import ingest, loader
from analytics.context import Context
from analytics.loader import write
from analytics.metrics.funnel import funnel
from analytics.metrics.overview import overview
from analytics.scope import Scope
from analytics.settings import load_settings
from analytics.warehouse import one_version
from tests.test_loader_helpers import FIXTURES, TODAY, fresh, load, scalar

OPPORTUNITIES = 4_000
READERS = 2
PAUSE_SECONDS = 1.5


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


def _opportunities(path) -> str:
    """The fixture export grown to OPPORTUNITIES rows (new ids, same owners and shapes), in GBK."""
    sample = pd.read_csv(FIXTURES / "opportunities_gbk.csv", encoding="gbk", dtype=str, keep_default_na=False)
    grown = sample.sample(OPPORTUNITIES, replace=True, random_state=19).reset_index(drop=True)
    grown.iloc[:, 0] = [f"OPPX{i:06d}" for i in range(OPPORTUNITIES)]
    out = path / "opportunities_big.csv"
    grown.to_csv(out, index=False, encoding="gbk")
    return str(out)


def _answer(engine) -> tuple:
    """What a home + funnel view shows, as a comparable signature."""
    ctx = Context(engine, Scope.company(), load_settings(), TODAY)
    seen = overview(ctx)
    steps = funnel(ctx)
    attainment = seen["attainment"] or {}
    return (
        seen["open_count"],
        round(float(seen["open_value"] or 0), 6),
        seen["problem_count"],
        round(float(attainment.get("actual_ytd") or 0), 6),
        str(seen["freshness"].get("newest_snapshot")),
        int(steps["reached"].sum()) if len(steps) else 0,
    )


def test_readers_during_an_upload_see_the_warehouse_before_or_after_never_between(wh, tmp_path, monkeypatch):
    load(wh, "org.csv", "revenue_wan.csv")
    before = _answer(wh)
    batch = [_opportunities(tmp_path), str(FIXTURES / "revenue.csv")]
    answers: list[tuple[float, object]] = []
    done = threading.Event()
    errors: list[BaseException] = []

    def upload() -> None:
        try:
            inputs = [loader.Input.from_path(Path(p)) for p in batch]
            report = ingest.ingest(wh, inputs, username="tester", settings=load_settings(), today=TODAY)
            assert report.outcome == "loaded", report
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            done.set()

    def read() -> None:
        while not done.is_set():
            try:
                answers.append((time.monotonic(), one_version(wh, lambda: _answer(wh))))
            except BaseException as error:  # a failed request is the defect looked for
                answers.append((time.monotonic(), error))

    monkeypatch.setenv(write.PAUSE_ENV, str(PAUSE_SECONDS))
    readers = [threading.Thread(target=read) for _ in range(READERS)]
    writer = threading.Thread(target=upload)
    writer.start()
    for thread in readers:
        thread.start()
    writer.join(timeout=300)
    for thread in readers:
        thread.join(timeout=120)
    assert not errors, errors
    after = _answer(wh)
    assert after != before and after[0] > 0, "the batch changed what the pages show"
    failed = [a for _, a in answers if isinstance(a, BaseException)]
    assert not failed, failed[:3]
    assert {a for _, a in answers} <= {before, after}, (
        before,
        after,
        {a for _, a in answers} - {before, after},
    )
    assert before in {a for _, a in answers}, "some reads met the batch while it was held open"


URL_ENV = "RERUN_TEST_WAREHOUSE_URL"
"""Where the AppTest script finds the warehouse (its script cannot take arguments; not SJGK_:
the settings refuse unknown SJGK_ variables)."""


def count_loads(ctx: Context) -> int:
    """An answer that a load changes: the loads held."""
    return int(scalar(ctx.engine, "SELECT count(*) FROM load_history"))


def commit_a_load_once(ctx: Context) -> int:
    """The same answer, but a load (revenue.csv) commits while it is computed, the first time only."""
    if not scalar(ctx.engine, "SELECT count(*) FROM load_history WHERE file_name = 'revenue.csv'"):
        load(ctx.engine, "revenue.csv")
    return count_loads(ctx)


def _page_meeting_a_load() -> None:
    import os
    from datetime import date

    import streamlit as st

    from analytics.context import Context
    from analytics.db import get_engine
    from analytics.scope import Scope
    from analytics.settings import load_settings
    from analytics.warehouse import data_version
    from tests.test_concurrent_readers import URL_ENV, commit_a_load_once, count_loads
    from ui import data

    engine = get_engine(os.environ[URL_ENV])
    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    ctx = Context(
        engine, Scope.company(), load_settings(), date(2024, 3, 8), data_version=data_version(engine)
    )
    first = data.compute(count_loads, ctx)
    second = data.compute(commit_a_load_once, ctx)
    st.write(f"{st.session_state['runs']}|{first}|{second}")


def test_a_page_that_meets_a_load_runs_again_on_the_new_version(wh, monkeypatch):
    """ui.data.compute: the second answer met a commit, so the page shows neither half but reruns."""
    load(wh, "org.csv")
    held = count_loads(Context(wh, Scope.company(), load_settings(), TODAY))
    monkeypatch.setenv(URL_ENV, wh.url.render_as_string(hide_password=False))
    at = AppTest.from_function(_page_meeting_a_load).run(timeout=60)
    assert not at.exception, at.exception
    assert at.markdown[0].value == f"2|{held + 1}|{held + 1}"  # without the rerun: 1|held|held+1
