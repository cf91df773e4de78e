"""The year-end forecast's inputs kept at load (issue 19): cache_forecast_revenue (revenue per
branch x product x period), cache_forecast_won_sums (the won deals' slips and values) and the
open deals of cache_open_deals give the forecast's queries exactly what they compute from
scratch, for the company, a branch and a filter; a team or account manager reads the revenue
lines; the year-end and the forward windows come out the same either way.  Demo data, both
backends."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy import select

from analytics import schema
from analytics.context import Context, period_of
from analytics.derived import MODELS, refresh_newest, tables_for, tables_in
from analytics.forecast import kept
from analytics.forecast.horizons import window_forecast
from analytics.forecast.yearend import year_end_expected, year_end_forecast
from analytics.metrics import revenue_sums
from analytics.metrics.attainment import budget_attainment, revenue_monthly
from analytics.queries import render_query
from analytics.scope import Filters, Scope
from analytics.settings import Settings

SETTINGS = Settings(simulation_runs=500)
REVENUE_QUERIES = ("forecast_run_rate", "forecast_run_rate_history", "forecast_book_history")
STATE_QUERIES = {
    "forecast_slips": kept.WON_SUMS,
    "forecast_value_ratio": kept.WON_SUMS,
    "forecast_pipeline_lines": kept.OPEN_DEALS,
}


def _busiest(warehouse: dict) -> dict:
    """The branch, team, manager and product with the most revenue lines (each has revenue)."""
    revenue, org = schema.revenue, schema.org
    with warehouse["engine"].connect() as conn:
        rows = conn.execute(
            select(revenue.c.branch, revenue.c.product, revenue.c.owner_id, org.c.team, org.c.branch).join(
                org, org.c.staff_id == revenue.c.owner_id
            )
        ).all()
    frame = pd.DataFrame(rows, columns=["branch", "product", "owner_id", "team", "team_branch"])
    top = {c: frame[c].value_counts().index[0] for c in ("branch", "product", "owner_id")}
    return {**top, "team": frame.groupby(["team_branch", "team"]).size().idxmax()}


QUESTIONS = {
    "company": lambda b: (Scope.company(), Filters()),
    "branch": lambda b: (Scope.of_branch(b["branch"]), Filters()),
    "product filter": lambda b: (Scope.company(), Filters(products=(b["product"],))),
    "branch and class": lambda b: (
        Scope.of_branch(b["branch"]),
        Filters(classes=("important", "ordinary_1", "ordinary_2")),
    ),
    "team": lambda b: (Scope.of_team(*b["team"]), Filters()),
    "manager": lambda b: (Scope.of_owner(b["owner_id"]), Filters()),
}


def _context(warehouse: dict, question: str) -> Context:
    scope, filters = QUESTIONS[question](_busiest(warehouse))
    return Context(warehouse["engine"], scope, SETTINGS, warehouse["as_of"], filters)


def _live(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every forecast query on its from-scratch fragments, as if nothing were kept."""
    monkeypatch.setattr(kept, "state", lambda ctx, swap: ctx)
    monkeypatch.setattr(revenue_sums, "revenue_sums_answer", lambda ctx: False)


def test_the_forecast_queries_read_the_kept_tables_and_the_live_ones_do_not():
    sql = {name: render_query(name, Scope.company(), Filters(), kept.REVENUE).sql for name in REVENUE_QUERIES}
    for name in REVENUE_QUERIES:
        assert tables_in(sql[name]) == ["cache_forecast_revenue"] and "stg_revenue" not in sql[name]
        assert tables_for(name) == () and "stg_revenue" in render_query(name, Scope.company(), Filters()).sql
    for name, swap in STATE_QUERIES.items():
        cached = render_query(name, Scope.company(), Filters(), swap).sql
        assert "cache_opportunity_facts" not in cached and "stg_opportunity_snapshot" not in cached
        assert "cache_opportunity_facts" in render_query(name, Scope.company(), Filters()).sql
    assert MODELS["cache_forecast_won_sums"].per_as_of and not MODELS["cache_forecast_revenue"].per_as_of


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_the_kept_rows_give_what_the_queries_give_from_scratch(demo_warehouse, question):
    ctx = _context(demo_warehouse, question)
    through = period_of(ctx.as_of)
    answers = kept.revenue(ctx) is not ctx
    assert answers == (question in ("company", "branch", "product filter", "branch and class"))
    for name in REVENUE_QUERIES:
        live = ctx.query(name, through_period=through)
        cached = replace(ctx, swap=kept.REVENUE).query(name, through_period=through) if answers else live
        assert len(live) > 0 or question == "branch and class", name
        pd.testing.assert_frame_equal(cached, live, check_dtype=False, rtol=1e-9, obj=f"{name} {question}")
    for name, swap in STATE_QUERIES.items():
        live = ctx.query(name)
        cached = kept.state(ctx, swap).query(name)
        assert len(live) > 0, name
        pd.testing.assert_frame_equal(cached, live, check_dtype=False, rtol=1e-9, obj=f"{name} {question}")
    stage_rates = ctx.query("win_rates_by_stage_kept"), ctx.query("win_rates_by_stage")
    assert stage_rates[1]["stage_won"].sum() > 0 and stage_rates[1]["median_cycle_days"].notna().all()
    pd.testing.assert_frame_equal(*stage_rates, check_dtype=False, rtol=1e-9, obj="stage rates")


@pytest.mark.parametrize("question", ["company", "branch", "product filter", "team"])
def test_attainment_reads_the_kept_revenue_where_it_answers(demo_warehouse, monkeypatch, question):
    ctx = _context(demo_warehouse, question)
    kept_sums = budget_attainment(ctx), revenue_monthly(ctx), revenue_monthly(ctx, year=ctx.as_of.year - 1)
    assert kept_sums[0]["actual_ytd"].sum() > 0 and kept_sums[2]["actual"].sum() > 0
    with monkeypatch.context() as patch:
        _live(patch)
        live = budget_attainment(ctx), revenue_monthly(ctx), revenue_monthly(ctx, year=ctx.as_of.year - 1)
    for cached, scratch in zip(kept_sums, live, strict=True):
        pd.testing.assert_frame_equal(cached, scratch, check_dtype=False, rtol=1e-9)
    answers = (
        "cache_forecast_revenue"
        in render_query("budget_attainment", ctx.scope, ctx.filters, kept.REVENUE).sql
    )
    assert answers and kept.revenue_sums_answer(ctx) == (question != "team")


def _same(kept_result: dict, live_result: dict, keys: tuple[str, ...]) -> None:
    for key in keys:
        pd.testing.assert_frame_equal(
            kept_result[key].reset_index(drop=True),
            live_result[key].reset_index(drop=True),
            check_dtype=False,
            rtol=1e-9,
            obj=key,
        )
    assert kept_result["simulation"] == pytest.approx(live_result["simulation"], rel=1e-9)


@pytest.mark.parametrize("question", ["company", "branch", "team"])
def test_year_end_and_windows_are_the_same_with_and_without_the_kept_tables(
    demo_warehouse, monkeypatch, question
):
    ctx = _context(demo_warehouse, question)
    year_end = year_end_forecast(ctx)
    windows = {h: window_forecast(ctx, h) for h in ("next_12_months",)}
    assert year_end["contributors"]["name"].notna().all() and len(year_end["contributors"]) > 0
    with monkeypatch.context() as patch:
        _live(patch)
        live = year_end_forecast(ctx)
        live_windows = {h: window_forecast(ctx, h) for h in windows}
    _same(year_end, live, ("levels", "months", "contributors", "sensitivity"))
    for horizon, result in windows.items():
        _same(result, live_windows[horizon], ("levels",))


@pytest.mark.parametrize("question", ["company", "branch", "team", "manager"])
def test_the_year_end_expected_alone_is_the_forecasts_overall_expected(demo_warehouse, question):
    """预测校准 shows today's expected beside the frozen forecasts: year_end_expected gives
    year_end_forecast's overall forecast_expected to the bit without simulating (issue 19)."""
    ctx = _context(demo_warehouse, question)
    assert year_end_expected(ctx) == year_end_forecast(ctx)["overall"]["forecast_expected"]


def test_a_load_builds_them_for_the_newest_snapshot(demo_warehouse):
    engine = demo_warehouse["engine"]
    refresh_newest(engine, SETTINGS)  # what a load runs after its commit
    registry = schema.cache_registry
    with engine.connect() as conn:
        newest = conn.execute(
            select(schema.snapshots.c.snapshot_date).order_by(schema.snapshots.c.snapshot_date.desc())
        ).scalar()
        built = set(conn.execute(select(registry.c.model, registry.c.as_of)).all())
        revenue_rows = conn.execute(select(schema.cache_forecast_revenue)).all()
        won_rows = conn.execute(
            select(schema.cache_forecast_won_sums).where(schema.cache_forecast_won_sums.c.as_of == newest)
        ).all()
    assert ("cache_forecast_revenue", None) in built and ("cache_forecast_won_sums", newest) in built
    assert revenue_rows and won_rows
