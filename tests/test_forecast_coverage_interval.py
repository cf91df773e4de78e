"""frozen.coverage_interval: coverage with Wilson's interval on the effective count of outcomes (issue 16)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics.forecast.frozen import coverage_interval


def test_clusters_of_one_outcome_count_once() -> None:
    """20 rows over months of 6, 7, 7 rows: n_eff = 400 / (36 + 49 + 49) = 2.985; 60 % inside.

    Wilson at z = 1.96, n = 2.985, p = 0.6: centre (0.6 + 3.8416/5.970) / (1 + 3.8416/2.985)
    = 1.2435 / 2.2870 = 0.5437, half = 1.96 * sqrt(0.24/2.985 + 3.8416/35.64) / 2.2870
    = 1.96 * sqrt(0.08040 + 0.10779) / 2.2870 = 0.3718: [0.172, 0.916].
    """
    inside = pd.Series([True] * 12 + [False] * 8)
    months = pd.Series([9] * 6 + [10] * 7 + [11] * 7)
    result = coverage_interval(inside, months)
    assert result["rows"] == 20
    assert result["coverage"] == pytest.approx(0.6)
    assert result["effective"] == pytest.approx(400 / 134)
    assert result["low"] == pytest.approx(0.172, abs=1e-3)
    assert result["high"] == pytest.approx(0.916, abs=1e-3)


def test_independent_rows_keep_their_count() -> None:
    """Every row its own outcome: n_eff = n, the plain Wilson interval (8 of 10: [0.490, 0.943])."""
    result = coverage_interval(pd.Series([True] * 8 + [False] * 2), pd.Series(range(10)))
    assert result["effective"] == pytest.approx(10)
    assert result["low"] == pytest.approx(0.490, abs=1e-3)
    assert result["high"] == pytest.approx(0.943, abs=1e-3)


def test_nothing_scored() -> None:
    """No rows: no coverage and no interval."""
    result = coverage_interval(pd.Series([], dtype=bool), pd.Series([], dtype=int))
    assert result["rows"] == 0 and math.isnan(result["low"])
