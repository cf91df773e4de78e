"""p(o)'s rate tables as a derived table (issue 19): cache_win_rates, built once per data
version, as_of and settings, gives every deal exactly the p(o) the from-scratch win_rates
fragment gives, and a changed setting the rates make of it. Demo data, both backends."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select

from analytics import queries, schema
from analytics.blocks.probability import win_probabilities
from analytics.context import Context
from analytics.derived import MODELS, tables_for
from analytics.scope import Filters, Scope
from analytics.settings import Settings

SETTINGS = {
    "defaults": Settings(),
    "no horizon": Settings().with_overrides(probability_horizon_days=0),
    "short look-back": Settings().with_overrides(probability_lookback_months=6, probability_age_step_days=14),
}


def _from_scratch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run win_probability on the win_rates fragment itself, as before the cache."""
    original = queries.read_sql

    def live(name: str) -> str:
        text = original(name)
        return text.replace("win_rates_cached", "win_rates") if name == "win_probability" else text

    monkeypatch.setattr(queries, "read_sql", live)


def _context(warehouse: dict, settings: Settings, scope: Scope | None = None) -> Context:
    return Context(warehouse["engine"], scope or Scope.company(), settings, warehouse["as_of"], Filters())


def test_the_live_p_o_queries_read_the_cache_and_the_backtest_does_not():
    for name in ("forecast_pipeline", "win_probability", "workload_managers", "workload_key_deals"):
        assert "cache_win_rates" in tables_for(name), name
    assert "cache_win_rates" not in tables_for("calibration_backtest")  # past dates: from scratch
    assert MODELS["cache_win_rates"].per_as_of


@pytest.mark.parametrize("name", list(SETTINGS))
def test_cached_rates_give_every_deal_the_same_p_o(demo_warehouse, monkeypatch, name):
    settings = SETTINGS[name]
    cached = win_probabilities(_context(demo_warehouse, settings))
    with monkeypatch.context() as patch:
        _from_scratch(patch)
        live = win_probabilities(_context(demo_warehouse, settings))
    assert len(cached) > 100 and cached["stage_closed"].sum() > 0
    assert (cached["cohort_closed"].sum() > 0) == (settings.probability_horizon_days > 0)
    pd.testing.assert_frame_equal(cached, live)


def test_the_cache_holds_the_fragment_s_counts_per_setting(demo_warehouse):
    """The 'stage' rows are win_rates_by_stage's counts (the fragment, from scratch), and a
    changed look-back builds its own rows instead of reading the default's."""
    t = schema.cache_win_rates

    def stage_rows(settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
        ctx = _context(demo_warehouse, settings)
        win_probabilities(ctx)  # builds the cache for these settings
        with demo_warehouse["engine"].connect() as conn:
            held = pd.DataFrame(
                conn.execute(
                    select(t.c.stage, t.c.closed, t.c.won)
                    .where(t.c.as_of == ctx.as_of, t.c.kind == "stage")
                    .order_by(t.c.stage)
                ).all(),
                columns=["stage", "stage_closed", "stage_won"],
            )
        scratch = ctx.query("win_rates_by_stage")
        scratch = scratch[scratch["stage_closed"] > 0][["stage", "stage_closed", "stage_won"]]
        return held.astype("int64"), scratch.reset_index(drop=True).astype("int64")

    default_held, default_scratch = stage_rows(SETTINGS["defaults"])
    pd.testing.assert_frame_equal(default_held, default_scratch)
    short_held, short_scratch = stage_rows(SETTINGS["short look-back"])
    pd.testing.assert_frame_equal(short_held, short_scratch)
    assert short_held["stage_closed"].sum() < default_held["stage_closed"].sum()
    with demo_warehouse["engine"].connect() as conn:
        kinds = dict(
            conn.execute(
                select(t.c.kind, func.count()).where(t.c.as_of == demo_warehouse["as_of"]).group_by(t.c.kind)
            ).all()
        )
    assert set(kinds) == {"stage", "segment", "cohort", "cohort_stage"}


def test_a_viewer_s_scope_does_not_change_a_deal_s_p_o(demo_warehouse):
    """The rates are company-wide: a branch sees its deals with the company's p(o)."""
    company = win_probabilities(_context(demo_warehouse, Settings())).set_index("opportunity_id")
    branch = company["branch"].iloc[0]
    scoped = win_probabilities(_context(demo_warehouse, Settings(), Scope.of_branch(branch)))
    assert len(scoped) and (scoped["branch"] == branch).all()
    pd.testing.assert_series_equal(
        scoped.set_index("opportunity_id")["p_win"], company.loc[scoped["opportunity_id"], "p_win"]
    )
