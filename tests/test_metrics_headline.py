"""The budget headline compares like with like, and names the same period as the freshness line.

Hand-computed from tests/tiny_world.py: revenue is loaded for 202601…202605
(浦东 has no 202603; 202604 carries a −2000 adjustment), budget 360000 for the
year; as_of = 2026-06-30 (day 181 of 365).
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.context import Context
from analytics.metrics.attainment import budget_attainment, period_end, period_progress
from analytics.metrics.freshness import data_freshness
from analytics.metrics.overview import overview
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from tests.tiny_world import AS_OF


def ctx_at(engine, as_of: date) -> Context:
    return Context(engine, Scope.company(), Settings(), as_of, Filters())


def test_period_end_and_progress_by_hand():
    assert period_end(202602) == date(2026, 2, 28)
    assert period_end(202412) == date(2024, 12, 31)
    # 31 May is day 31+28+31+30+31 = 151 of 365.
    assert period_progress(202605) == pytest.approx(151 / 365)
    # December 2024: the whole (leap) year.
    assert period_progress(202412) == 1.0
    # No period of the year loaded: the revenue covers no time.
    assert period_progress(None) == 0.0


def test_headline_compares_with_time_to_the_loaded_period(tiny_engine):
    row = overview(ctx_at(tiny_engine, AS_OF))["attainment"]
    assert row["data_through"] == 202605
    # metrics.md's field is kept: time counted to as_of.
    assert row["time_progress"] == pytest.approx(181 / 365)
    assert row["progress_gap"] == pytest.approx(138_000 / 360_000 - 181 / 365)
    # Like for like: time counted to 2026-05-31, the end of the last loaded period.
    assert row["period_progress"] == pytest.approx(151 / 365)
    assert row["period_gap"] == pytest.approx(138_000 / 360_000 - 151 / 365)


def test_every_level_carries_the_like_for_like_gap(tiny_engine):
    frame = budget_attainment(ctx_at(tiny_engine, AS_OF))
    branch = frame[frame["level"] == "branch"].set_index("branch")
    assert branch.loc["徐汇", "period_gap"] == pytest.approx(100_000 / 240_000 - 151 / 365)
    assert branch.loc["浦东", "period_gap"] == pytest.approx(38_000 / 120_000 - 151 / 365)


def test_older_as_of_freshness_and_attainment_name_the_same_period(tiny_engine):
    # As of 2026-04-15 the 202605 revenue (loaded) lies after as_of's period.
    ctx = ctx_at(tiny_engine, date(2026, 4, 15))
    row = overview(ctx)["attainment"]
    assert data_freshness(ctx)["last_revenue_period"] == 202604
    assert row["data_through"] == 202604
    # 浦东 10000 + 10000 + 10000 − 2000; 徐汇 4 × 20000.
    assert row["actual_ytd"] == pytest.approx(108_000)
    assert row["time_progress"] == pytest.approx(105 / 365)
    assert row["period_progress"] == pytest.approx(120 / 365)  # to 2026-04-30
    assert row["period_gap"] == pytest.approx(108_000 / 360_000 - 120 / 365)


def test_freshness_reads_the_loaded_periods_without_the_org_join(tiny_engine):
    """stg_revenue_periods holds stg_revenue's period of every line (no org join), and the
    freshness line asks it: the same answer, without joining every revenue line to the org."""
    from sqlalchemy import text

    from analytics.queries import render

    with tiny_engine.connect() as conn:
        periods = sorted(conn.execute(text("SELECT period FROM stg_revenue_periods")).scalars())
        lines = sorted(conn.execute(text("SELECT period FROM stg_revenue")).scalars())
    assert periods == lines and periods[-1] == 202605
    sql = render("data_freshness", Scope.company(), Filters())[0]
    assert "stg_revenue_periods" in sql and "stg_revenue\n" not in sql and "stg_revenue " not in sql
    assert data_freshness(ctx_at(tiny_engine, AS_OF))["last_revenue_period"] == 202605
    # The attainment's data_through is found there too (its actual_ytd still sums stg_revenue).
    assert "FROM stg_revenue_periods" in render("budget_attainment", Scope.company(), Filters())[0]
