"""The band's parts beyond the pipeline draws (issue 16), computed by hand on small cases.

analytics/forecast/uncertainty.py: run-rate misses per line and their RMS, the
correlation that makes the lines' misses add up to the company's, the common
factor from the monthly win share's excess spread, and the widened paths.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.forecast.uncertainty import (
    Spread,
    factor_sigma,
    run_rate_correlation,
    run_rate_misses,
    run_rate_sigma,
    widen,
)

PERIODS = [202601, 202602, 202603, 202604, 202605]


def history(*lines: tuple[str, list[float], list[float]]) -> pd.DataFrame:
    """branch 浦东, the given product, recurring and amount per period."""
    rows = [
        {"branch": "浦东", "product": product, "period": period, "recurring": r, "amount": a}
        for product, recurring, amount in lines
        for period, r, a in zip(PERIODS, recurring, amount, strict=True)
    ]
    return pd.DataFrame(rows)


def test_run_rate_misses_and_their_rms_by_hand():
    # Recurring 100, 110, 120, 130, 140; amounts add one-off fees in April (+15) and May (-5).
    frame = history(("VPN", [100, 110, 120, 130, 140], [100, 110, 120, 145, 135]))
    misses = run_rate_misses(frame, 3)
    # April: 145 - mean(100, 110, 120) = 35; May: 135 - mean(110, 120, 130) = 15.
    assert misses["period"].tolist() == [202604, 202605]
    assert misses["miss"].tolist() == pytest.approx([35.0, 15.0])
    lines = pd.DataFrame({"branch": ["浦东", "浦东"], "product": ["VPN", "无历史"]})
    sigma = run_rate_sigma(frame, lines, 3)
    assert sigma == pytest.approx([np.sqrt((35**2 + 15**2) / 2), 0.0])  # a line without history: 0


def test_lines_missing_together_are_correlated():
    # Two lines that miss by the same amounts: the total misses by twice as much -> rho = 1.
    same = ("A", [100] * 5, [100, 100, 100, 110, 90])
    frame = history(same, ("B", *same[1:]))
    lines = pd.DataFrame({"branch": ["浦东", "浦东"], "product": ["A", "B"]})
    sigma = run_rate_sigma(frame, lines, 3)
    assert sigma == pytest.approx([10.0, 10.0])
    assert run_rate_correlation(frame, sigma, 3) == pytest.approx(1.0)
    # Opposite misses cancel in the total: rho 0 (clipped), the lines miss independently.
    opposite = history(same, ("B", [100] * 5, [100, 100, 100, 90, 110]))
    assert run_rate_correlation(opposite, sigma, 3) == pytest.approx(0.0)


def test_common_factor_from_the_excess_spread_of_the_monthly_win_share():
    # Shares 0.3, 0.5, 0.7, 0.5 over 100 deals a month: rate 0.5, var (ddof 1) = 0.08 / 3;
    # chance explains 0.25 / 100; the factor's spread = sqrt(0.08 / 3 - 0.0025) / 0.5.
    monthly = pd.DataFrame({"closed": [100, 100, 100, 100], "won": [30, 50, 70, 50]})
    assert factor_sigma(monthly) == pytest.approx(np.sqrt(0.08 / 3 - 0.0025) / 0.5)
    # Spread no larger than chance: no factor.
    assert factor_sigma(pd.DataFrame({"closed": [100] * 3, "won": [50, 50, 51]})) == 0.0


def test_widened_paths_have_the_run_rate_variance_by_hand():
    runs, months = 200_000, 3
    paths = np.zeros((1, runs, months))
    spread = Spread(np.array([10.0]), level_months=3, factor_sigma=0.0)
    widened = widen(paths, spread, np.random.SeedSequence(1))
    # Through the i-th month ahead: variance sigma² (i + i² / 3).
    expected = [100 * (i + i * i / 3) for i in (1, 2, 3)]
    assert widened[0].var(axis=0) == pytest.approx(expected, rel=0.02)
    assert abs(widened.mean()) < 0.1


def test_band_widens_when_history_is_noisier():
    rng = np.random.default_rng(3)
    paths = rng.normal(1_000, 50, (2, 20_000, 4))

    def width(sigma: float, factor: float) -> float:
        spread = Spread(np.array([sigma, sigma]), 3, factor, run_rate_correlation=0.5)
        total = widen(paths, spread, np.random.SeedSequence(9)).sum(0)[:, -1]
        p10, p90 = np.quantile(total, [0.1, 0.9])
        return p90 - p10

    calm = width(0.0, 0.0)
    assert width(20.0, 0.0) > calm and width(80.0, 0.0) > width(20.0, 0.0)
    assert width(0.0, 0.3) > calm  # the common factor scales every deal of a run together


def test_noisier_revenue_history_gives_a_larger_sigma():
    lines = pd.DataFrame({"branch": ["浦东"], "product": ["VPN"]})
    calm = history(("VPN", [100] * 5, [100, 101, 99, 100, 101]))
    noisy = history(("VPN", [100] * 5, [100, 120, 80, 130, 70]))
    assert run_rate_sigma(noisy, lines, 3)[0] > 10 * run_rate_sigma(calm, lines, 3)[0]


def test_misses_of_a_grid_of_lines_equal_those_taken_line_by_line():
    """run_rate_misses takes every line of the grid in one array operation (issue 19: a frame per
    line cost about 0.3 s a forecast at 1 M); the rows are those taken a line at a time, in order,
    and a history whose lines miss a period is still taken line by line."""
    from analytics.forecast.uncertainty import _misses_line_by_line

    rng = np.random.default_rng(19)
    periods = [202401 + i for i in range(12)] + [202501, 202502, 202503]
    rows = [
        (branch, product, period, rng.normal(100, 10), rng.normal(110, 10))
        for branch in ("浦东", "浦西", None)
        for product in ("综合VPN", "专线")
        for period in periods
    ]
    history = pd.DataFrame(rows, columns=["branch", "product", "period", "recurring", "amount"])
    history = history.sample(frac=1, random_state=3)
    grid = run_rate_misses(history, 3)
    assert len(grid) == 6 * (len(periods) - 3)
    by_line = _misses_line_by_line(history.sort_values("period"), 3)
    pd.testing.assert_frame_equal(grid, by_line, check_dtype=False, rtol=1e-12)
    ragged = history.drop(history.index[0])
    pd.testing.assert_frame_equal(
        run_rate_misses(ragged, 3), _misses_line_by_line(ragged.sort_values("period"), 3)
    )


def _widen_by_formula(paths: np.ndarray, spread: Spread, seed: np.random.SeedSequence) -> np.ndarray:
    """widen as the uncertainty docstring writes it, one new array per operation (before issue 19)."""
    factor_rng, miss_rng, level_rng, parts_rng = (np.random.default_rng(s) for s in seed.spawn(4))
    n_lines, runs, n_months = paths.shape
    out = paths * spread.value_ratio
    out = (
        out * np.clip(1.0 + spread.factor_sigma * factor_rng.standard_normal(runs), 0.0, None)[None, :, None]
    )
    own, shared = np.sqrt(1.0 - spread.run_rate_correlation), np.sqrt(spread.run_rate_correlation)
    monthly = miss_rng.standard_normal((n_lines + 1, runs, n_months), dtype=np.float32)
    level = level_rng.standard_normal((n_lines + 1, runs, 1), dtype=np.float32) / np.sqrt(spread.level_months)
    miss = monthly.cumsum(axis=2) + level * np.arange(1, n_months + 1, dtype=np.float32)[None, None, :]
    out = out + spread.run_rate_sigma[:, None, None] * (own * miss[:-1] + shared * miss[-1:])
    for name in sorted(spread.parts):
        z = parts_rng.standard_normal((n_lines, runs, 1), dtype=np.float32)
        out = out + spread.parts[name].sd[:, None, :] * z
    return out


@pytest.mark.parametrize("value_ratio", [1.0, 1.25])
def test_widen_in_place_gives_the_formula_to_the_bit_and_leaves_the_paths(value_ratio):
    """widen writes into one array (issue 19: the 1 M page's band) and must give the very draws
    of the formula, every part on, without touching the pipeline's paths it was given."""
    from analytics.forecast.growth import Part

    rng = np.random.default_rng(3)
    paths = rng.gamma(2.0, 1000.0, size=(3, 400, 5)).cumsum(axis=2)
    before = paths.copy()
    parts = {name: Part(np.zeros((3, 5)), rng.random((3, 5)) * 50) for name in ("one_off", "drift")}
    spread = Spread(np.array([30.0, 0.0, 12.5]), 3, 0.2, 0.4, parts, value_ratio)
    widened = widen(paths, spread, np.random.SeedSequence(5))
    assert np.array_equal(widened, _widen_by_formula(before, spread, np.random.SeedSequence(5)))
    assert np.array_equal(paths, before)
