"""The frozen forecast from the warehouse's sums equals the per-deal model of components.py.

freeze.py no longer pulls one row per open deal: forecast_freeze_pipeline.sql
returns the deals the simulation may draw one by one and sums over the others.
These tests compare it with build_model (one Python row per deal, the year-end
page's path) on the hand-made forecast world and on the demo warehouse, with a
small exact-draw budget so that most deals enter through the sums.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from analytics import schema
from analytics.context import Context
from analytics.forecast import freeze
from analytics.forecast import simulate as simulate_module
from analytics.forecast.components import KEYS, build_model
from analytics.forecast.freeze import FrozenModel, frozen_model, known_through
from analytics.forecast.probabilities import open_pipeline
from analytics.scope import Scope
from analytics.settings import Settings
from tests.conftest import DEMO_AS_OF
from tests.forecast_world import AS_OF, S0


def both(engine, day, settings) -> tuple[FrozenModel, FrozenModel]:
    """(from the sums, as the freeze reads them, from one row per deal as the page does) for
    the frozen forecast of ``day``: a past day's sums read the backtest states (past_state.sql)."""
    ctx = Context(engine, Scope.company(), settings, day)
    through = known_through(day)
    frozen = frozen_model(freeze.freeze_context(engine, day, settings), through)
    return frozen, FrozenModel.of(build_model(ctx, through_period=through))


def assert_same(new: FrozenModel, old: FrozenModel) -> None:
    pd.testing.assert_frame_equal(new.lines[KEYS], old.lines[KEYS])
    assert (new.year, new.data_through) == (old.year, old.data_through)
    np.testing.assert_array_equal(new.months, old.months)
    np.testing.assert_allclose(new.base_through, old.base_through, rtol=1e-12)
    np.testing.assert_allclose(new.pipeline_through, old.pipeline_through, rtol=1e-9, atol=1e-6)
    assert new.paths.shape == old.paths.shape
    np.testing.assert_allclose(new.paths, old.paths, rtol=1e-6, atol=1e-3)


@pytest.mark.parametrize("day", [AS_OF, S0])
def test_frozen_model_equals_the_per_deal_model(forecast_engine, day):
    assert_same(*both(forecast_engine, day, Settings().with_overrides(probability_shrinkage=2.0)))


def test_frozen_model_equals_the_per_deal_model_with_a_timing_per_stage(forecast_engine):
    """slip_stage_prior: the warehouse's sums carry each deal's stage timing as the per-deal
    model draws it (forecast_close_moments per stage), and the band is not the pooled one."""
    settings = Settings().with_overrides(probability_shrinkage=2.0, slip_stage_prior=1.0)
    new, old = both(forecast_engine, AS_OF, settings)
    assert_same(new, old)
    pooled, _ = both(forecast_engine, AS_OF, settings.with_overrides(slip_stage_prior=0.0))
    assert not np.allclose(new.paths, pooled.paths)


def test_sums_on_the_demo_with_few_exact_draws(demo_warehouse, monkeypatch):
    """5 exact draws (5,000 cells / 1,000 runs) among 140 open deals: some arrive as sums."""
    cells = 5_000
    monkeypatch.setattr(freeze, "EXACT_CELLS", cells)
    monkeypatch.setitem(simulate_module.simulate.__kwdefaults__, "exact_cells", cells)
    settings = Settings().with_overrides(simulation_runs=1_000)
    engine = demo_warehouse["engine"]
    ctx = Context(engine, Scope.company(), settings, DEMO_AS_OF)
    pipeline = freeze.open_pipeline_sums(ctx, freeze.close_moments(*_moment_inputs(ctx)))
    deals = open_pipeline(ctx)
    assert len(deals) > len(pipeline.candidates) > 0 and pipeline.sums["deals"].sum() > 0
    assert pipeline.sums["deals"].sum() + len(pipeline.candidates) == len(deals)
    summed = pd.concat([pipeline.candidates, pipeline.sums])["expected_revenue"].sum()
    assert summed == pytest.approx(deals["expected_revenue"].sum(), rel=1e-12)
    assert_same(*both(engine, DEMO_AS_OF, settings))


def _moment_inputs(ctx: Context):
    from analytics.forecast.probabilities import slip_distribution
    from analytics.forecast.simulate import revenue_factors

    months = np.arange(known_through(ctx.as_of) % 100 + 1, 13)
    return slip_distribution(ctx), ctx.as_of.month, revenue_factors(ctx.as_of.month, months)


def _snapshot_days(engine) -> list:
    with engine.connect() as conn:
        days = conn.execute(select(schema.snapshots.c.snapshot_date)).scalars()
        return sorted(pd.Timestamp(day).date() for day in days)


def test_every_demo_week_agrees_with_the_per_deal_model(demo_warehouse, monkeypatch):
    """Every frozen week of the demo, with a small budget: the same draws as the per-deal model.

    Deals won for sure whose slips all earn the same (p = 1, close month at as_of)
    must not be drawn one by one on either path, however their variance rounds:
    one extra column of draws would hand every other deal another random number.
    """
    cells = 5_000
    monkeypatch.setattr(freeze, "EXACT_CELLS", cells)
    monkeypatch.setitem(simulate_module.simulate.__kwdefaults__, "exact_cells", cells)
    settings = Settings().with_overrides(simulation_runs=1_000)
    engine = demo_warehouse["engine"]
    for day in _snapshot_days(engine):
        assert_same(*both(engine, day, settings))


def test_the_normal_part_from_the_warehouse_sums(demo_warehouse, monkeypatch):
    """One deal per line and 5 overall drawn one by one: most varying deals enter as the sums' normal."""
    cells = 5_000
    monkeypatch.setattr(freeze, "EXACT_CELLS", cells)
    monkeypatch.setitem(simulate_module.simulate.__kwdefaults__, "exact_cells", cells)
    monkeypatch.setattr(freeze, "EXACT_PER_LINE", 1)
    monkeypatch.setattr(simulate_module, "EXACT_PER_LINE", 1)
    settings = Settings().with_overrides(simulation_runs=1_000)
    engine = demo_warehouse["engine"]
    for day in _snapshot_days(engine)[::4]:
        ctx = Context(engine, Scope.company(), settings, day)
        simulation = build_model(ctx, through_period=known_through(day)).simulation
        assert simulation.normal_deals > simulation.exact_deals / 2 and simulation.exact_variance_share < 1
        assert_same(*both(engine, day, settings))


def test_growth_parts_are_frozen_as_the_page_has_them(demo_warehouse):
    """The frozen forecast carries growth.py's parts exactly as the live model (issue 16)."""
    engine = demo_warehouse["engine"]
    settings = Settings().with_overrides(simulation_runs=1_000)
    new, old = both(engine, DEMO_AS_OF, settings)
    assert_same(new, old)
    bare, _ = both(engine, DEMO_AS_OF, settings.with_overrides(forecast_parts=[]))
    added = new.base_through - bare.base_through
    assert np.abs(added).sum() > 0  # drift, one-off fees, won-not-billed, new business
    ctx = Context(engine, Scope.company(), settings, DEMO_AS_OF)
    live = build_model(ctx, through_period=known_through(DEMO_AS_OF))
    np.testing.assert_allclose(added[:, -1], live.lines["parts_expected"].to_numpy(), rtol=1e-9, atol=1e-6)


def test_a_past_week_is_frozen_from_the_backtest_states(demo_warehouse, monkeypatch):
    """A past snapshot's freeze reads cache_backtest_states, never its date's full facts or the
    rates built from them, and freezes the very numbers the facts give (the newest reads the facts)."""
    engine = demo_warehouse["engine"]
    settings = Settings().with_overrides(simulation_runs=1_000)
    days = _snapshot_days(engine)
    assert freeze.freeze_context(engine, days[-1], settings).swap == ()
    ensured: list[str] = []
    from analytics.derived import ensure

    def spy(engine, tables, *args, **kwargs):
        """Record what a build is asked for, then build it: the states path reads other
        derived tables at its date too (timing, value ratio), which must be its own."""
        ensured.extend(tables)
        return ensure(engine, tables, *args, **kwargs)

    monkeypatch.setattr(freeze, "ensure", spy)
    monkeypatch.setattr("analytics.context.ensure", spy)

    for day in (days[0], days[-2]):
        ctx = freeze.freeze_context(engine, day, settings)
        assert ctx.swap == freeze.PAST_STATE
        ensured.clear()
        from_states = frozen_model(ctx, known_through(day))
        assert "cache_backtest_states" in ensured
        assert not {"cache_opportunity_facts", "cache_win_rates"} & set(ensured)
        plain = Context(engine, Scope.company(), settings, day)
        ensure(engine, ["cache_opportunity_facts", "cache_win_rates"], day, settings)
        from_facts = frozen_model(plain, known_through(day))
        pd.testing.assert_frame_equal(from_states.lines, from_facts.lines)
        np.testing.assert_array_equal(from_states.months, from_facts.months)
        np.testing.assert_allclose(from_states.base_through, from_facts.base_through, rtol=1e-12)
        np.testing.assert_allclose(from_states.pipeline_through, from_facts.pipeline_through, rtol=1e-12)
        np.testing.assert_allclose(from_states.paths, from_facts.paths, rtol=1e-12)


def test_frozen_windows_equal_the_live_window_forecast(demo_warehouse):
    """The next quarter and next 12 months frozen with a week (freeze.window_frames) are the
    window_forecast the 收入预测 page computes at that snapshot with the same through=: a past
    week read through the backtest states, and the newest; both backends (issue 16 item 4)."""
    from analytics.forecast.components import known_months
    from analytics.forecast.horizons import window_forecast
    from analytics.metrics.attainment import budget_attainment

    engine = demo_warehouse["engine"]
    settings = Settings().with_overrides(simulation_runs=1_000)
    days = _snapshot_days(engine)
    for day in (days[0], days[-1]):
        through = known_through(day)
        ctx = Context(engine, Scope.company(), settings, day)
        data_through, _ = known_months(budget_attainment(ctx, through_period=through))
        rows, totals = freeze.window_frames(
            freeze.freeze_context(engine, day, settings), through, data_through, day
        )
        for horizon in freeze.WINDOWS:
            live = window_forecast(ctx, horizon, through=through)
            mine = totals[totals["horizon"] == horizon]
            periods = (mine["year"] * 100 + mine["month"]).tolist()
            assert (periods[0], periods[-1], len(periods)) == (
                live["first_period"],
                live["last_period"],
                live["months"],
            )
            overall, last = live["overall"], mine.iloc[-1]
            assert last["expected"] == pytest.approx(overall["forecast_expected"], rel=1e-9)
            assert [last.p10, last.p50, last.p90] == pytest.approx(
                [overall["p10"], overall["p50"], overall["p90"]], rel=1e-9
            )
            lines = rows[(rows["horizon"] == horizon) & (rows["year"] * 100 + rows["month"] == periods[-1])]
            by_branch = lines.groupby("branch")["expected"].sum()
            branches = live["levels"][live["levels"]["level"] == "branch"].set_index("branch")
            assert by_branch.to_dict() == pytest.approx(branches["forecast_expected"].to_dict(), rel=1e-9)
            assert (rows.loc[rows["horizon"] == horizon, "data_through"] == data_through).all()
