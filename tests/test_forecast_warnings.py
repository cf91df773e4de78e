"""The forecast page warns in plain words when its own backtest says the band or level is off (issue 16).

analytics.forecast.frozen.backtest_health on the forecast world (both backends)
and ui.forecast_tables.backtest_warnings on hand-made summaries.
"""

from __future__ import annotations

import pytest

from analytics.context import Context
from analytics.forecast.freeze import freeze_all
from analytics.forecast.frozen import backtest_health, frozen_scores
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from tests.forecast_world import AS_OF
from ui.forecast_tables import backtest_warnings

SETTINGS = Settings().with_overrides(probability_shrinkage=2.0)


def health(coverage: float, bias: float) -> dict:
    return {
        "scored": 10, "coverage": coverage, "bias": bias,
        "coverage_ok": 0.7 <= coverage <= 0.9, "bias_ok": abs(bias) <= 0.03,
        "coverage_range": (0.7, 0.9), "bias_max": 0.03,
    }  # fmt: skip


def test_no_warning_inside_the_ranges():
    assert backtest_warnings(health(0.8, 0.01)) == []


def test_warnings_name_the_figures_and_the_direction():
    narrow = backtest_warnings(health(0.069, 0.0))
    assert len(narrow) == 1 and "6.9%" in narrow[0] and "70%" in narrow[0] and "90%" in narrow[0]
    assert "偏窄" in narrow[0]
    assert "偏宽" in backtest_warnings(health(1.0, 0.0))[0]
    low = backtest_warnings(health(0.8, 0.05))  # actual above forecast: the forecasts ran low
    assert len(low) == 1 and "低 5.0%" in low[0] and "3%" in low[0]
    assert "高 4.0%" in backtest_warnings(health(0.8, -0.04))[0]
    assert len(backtest_warnings(health(0.5, 0.1))) == 2


def test_nothing_scored_no_warning():
    none = {
        "scored": 0, "coverage": float("nan"), "bias": float("nan"), "coverage_ok": None, "bias_ok": None,
        "coverage_range": (0.7, 0.9), "bias_max": 0.03,
    }  # fmt: skip
    assert backtest_warnings(none) == []


def test_backtest_health_from_the_frozen_forecasts(forecast_engine):
    freeze_all(forecast_engine, SETTINGS)
    ctx = Context(forecast_engine, Scope.company(), SETTINGS, AS_OF, Filters())
    scores = frozen_scores(ctx)
    result = backtest_health(ctx)
    assert result["scored"] == len(scores) > 0
    coverage = scores["inside_band"].astype(float).mean()
    assert result["coverage"] == pytest.approx(coverage)
    assert result["coverage_ok"] == (0.7 <= coverage <= 0.9)
    strict = backtest_health(ctx.__class__(forecast_engine, Scope.company(), SETTINGS.with_overrides(
        forecast_coverage_min=1.01, forecast_bias_max=0.0), AS_OF, Filters()))  # fmt: skip
    assert strict["coverage_ok"] is False and strict["bias_ok"] is False
