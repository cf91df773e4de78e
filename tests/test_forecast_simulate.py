"""The Monte-Carlo on its own (pure numpy): reproducible, right on average, right in the tails.

No database: deals are arrays.  Means are checked against the analytic value
within four standard errors of the Monte-Carlo, so the tests are not flaky.
"""

from __future__ import annotations

import numpy as np
import pytest

from analytics.forecast.probabilities import SlipDistribution
from analytics.forecast.simulate import (
    Deals,
    Sums,
    band,
    choose_exact,
    deal_moments,
    revenue_factors,
    simulate,
)

MONTHS = np.arange(7, 13)  # June as_of, revenue through May: July..December reported (June has none yet)


def random_deals(n: int, lines: int = 6, seed: int = 3) -> Deals:
    rng = np.random.default_rng(seed)
    return Deals(
        p_win=rng.choice([0.05, 0.2, 0.45, 0.7, 0.95], n),
        value=np.round(rng.lognormal(10.5, 1.0, n), -2),
        close_month=rng.integers(6, 16, n),
        line=rng.integers(0, lines, n),
        n_lines=lines,
    )


def expected_no_slip(deals: Deals) -> float:
    """Σ p x value x m / 12 with m = months after the close month (metrics.md pipeline_expected)."""
    months = np.clip(12 - deals.close_month, 0, None)
    return float((deals.p_win * deals.value * months / 12).sum())


def run(deals, slips=None, **kw):
    options = {"first_close": 6, "months": MONTHS, "runs": 4_000, "seed": 11, **kw}
    return simulate(deals, slips or SlipDistribution.none(), **options)


def test_same_seed_same_band_other_seed_other_draws():
    deals = random_deals(500)
    assert np.array_equal(run(deals).paths, run(deals).paths)
    assert not np.array_equal(run(deals).paths, run(deals, seed=12).paths)


def test_mean_converges_to_forecast_expected_without_slips():
    deals = random_deals(2_000)
    sim = run(deals, runs=10_000, exact_cells=10**12)
    total = sim.paths.sum(0)[:, -1]
    assert sim.expected[:, -1].sum() == pytest.approx(expected_no_slip(deals))
    assert total.mean() == pytest.approx(expected_no_slip(deals), abs=4 * total.std() / np.sqrt(len(total)))
    assert sim.exact_deals > 0 and sim.normal_deals == 0  # every uncertain deal drawn one by one


def test_mean_with_slips_matches_the_slipped_expectation():
    deals = Deals(
        np.array([0.5, 1.0]), np.array([12_000.0, 24_000.0]), np.array([8, 11]), np.array([0, 1]), 2
    )
    slips = SlipDistribution(np.array([-1, 0, 2]), np.array([0.25, 0.5, 0.25]), 4)
    sim = run(deals, slips, runs=20_000)
    # Deal 1: closes 7, 8 or 10 -> 5, 4, 2 months: E = 3.75; deal 2: 10, 11, 13 -> 2, 1, 0: E = 1.
    analytic = 0.5 * 12_000 * 3.75 / 12 + 24_000 * 1.0 / 12
    assert sim.expected[:, -1].sum() == pytest.approx(analytic)
    total = sim.paths.sum(0)[:, -1]
    assert total.mean() == pytest.approx(analytic, abs=4 * total.std() / np.sqrt(len(total)))
    # Deal 2 is certain to win: its line's year-end revenue takes exactly the values 4000, 2000 and 0.
    assert set(np.unique(sim.paths[1, :, -1])) == {0.0, 2_000.0, 4_000.0}


def test_a_deal_still_open_cannot_slip_into_the_past():
    """Slips that would close it before the current month are impossible: the rest keep their odds.

    June as_of, a deal due in June, slips -1/0/+2 at 1/4, 1/2, 1/4: it closes in June
    with 2/3 (earning July..December, 6 months) and in August with 1/3 (4 months),
    not 3/4 and 1/4 as when May's quarter was put onto June.  Both the expectation
    and the draws (one by one and summed) say so.
    """
    deals = Deals(np.array([0.5, 1.0]), np.array([12_000.0, 24_000.0]), np.array([6, 6]), np.array([0, 1]), 2)
    slips = SlipDistribution(np.array([-1, 0, 2]), np.array([0.25, 0.5, 0.25]), 4)
    months = (2 / 3) * 6 + (1 / 3) * 4
    analytic = 0.5 * 12_000 * months / 12 + 24_000 * months / 12
    for options in ({"exact_cells": 10**12}, {"exact_cells": 0}):
        sim = run(deals, slips, runs=20_000, **options)
        assert sim.expected[:, -1].sum() == pytest.approx(analytic)
        total = sim.paths.sum(0)[:, -1]
        assert total.mean() == pytest.approx(analytic, abs=4 * total.std() / np.sqrt(len(total)))
    exact = run(deals, slips, runs=20_000, exact_cells=10**12)
    assert set(np.unique(exact.paths[1, :, -1])) == {12_000.0, 8_000.0}  # June or August, never May
    assert np.mean(exact.paths[1, :, -1] == 12_000.0) == pytest.approx(2 / 3, abs=0.015)


def test_revenue_rules_december_next_year_and_this_month():
    deals = Deals(
        p_win=np.ones(4),
        value=np.full(4, 12_000.0),
        close_month=np.array([12, 14, 6, 9]),  # December, next February, overdue (as_of month), September
        line=np.arange(4),
        n_lines=4,
    )
    sim = run(deals, runs=10)
    assert sim.paths[:, :, -1].tolist() == [[0.0] * 10, [0.0] * 10, [6_000.0] * 10, [3_000.0] * 10]
    # Cumulative through each month: the overdue deal earns from July, one month at a time.
    assert sim.paths[2, 0].tolist() == [1_000.0, 2_000.0, 3_000.0, 4_000.0, 5_000.0, 6_000.0]


def test_hybrid_agrees_with_drawing_every_deal():
    deals = random_deals(6_000, lines=12, seed=5)
    slips = SlipDistribution(np.array([-1, 0, 1, 2]), np.array([0.1, 0.5, 0.3, 0.1]), 10)
    exact = run(deals, slips, runs=4_000, exact_cells=10**12)
    hybrid = run(deals, slips, runs=4_000, exact_cells=2_000_000)
    assert hybrid.normal_deals > 0 and exact.normal_deals == 0
    assert 0 < hybrid.exact_variance_share < 1
    a, b = band(exact.paths.sum(0)[:, -1]), band(hybrid.paths.sum(0)[:, -1])
    spread = a[2] - a[0]
    for x, y in zip(a, b, strict=True):
        assert abs(x - y) < 0.05 * spread  # within Monte-Carlo noise of a 4,000-run band
    lines_a = np.quantile(exact.paths[:, :, -1], 0.9, axis=1)
    lines_b = np.quantile(hybrid.paths[:, :, -1], 0.9, axis=1)
    assert np.allclose(lines_a, lines_b, rtol=0.03)


def test_no_months_left_and_no_deals():
    empty = Deals(np.array([]), np.array([]), np.array([], dtype=np.int64), np.array([], dtype=np.int64), 0)
    assert run(empty).paths.shape == (0, 4_000, 6)
    done = run(random_deals(10), months=np.array([], dtype=np.int64))
    assert done.paths.shape[2] == 0 and done.exact_variance_share == 1.0


def test_deals_handed_over_summed_give_the_same_paths():
    """The frozen forecast's way: the candidates one by one, every other deal as sums per line x month."""
    deals = random_deals(3_000, lines=5, seed=8)
    slips = SlipDistribution(np.array([-1, 0, 2]), np.array([0.2, 0.6, 0.2]), 10)
    options = {"runs": 2_000, "exact_cells": 200_000}  # 100 deals drawn one by one
    factors = revenue_factors(6, MONTHS)
    exact = choose_exact(deal_moments(deals, slips, 6, factors)[1], deals.line, 100)
    keep = exact | (np.random.default_rng(1).random(len(exact)) < 0.1)  # and some that are not drawn
    whole = run(deals, slips, **options)
    split = run(deals.take(keep), slips, summed=Sums.of(deals.take(~keep)), **options)
    assert whole.exact_deals == split.exact_deals == 100 and (~keep).sum() > 2_000
    np.testing.assert_allclose(split.paths, whole.paths, rtol=1e-6, atol=1e-3)
    np.testing.assert_allclose(split.expected, whole.expected, rtol=1e-12)
    assert split.exact_variance_share == pytest.approx(whole.exact_variance_share, rel=1e-9)


def test_a_deal_won_for_sure_at_a_certain_month_is_not_drawn():
    """p = 1 and every slip earning the same: no variance, however its moments round."""
    deals = Deals(np.array([1.0, 1.0]), np.array([60_800.0, 34_700.0]), np.array([10, 10]), np.arange(2), 2)
    slips = SlipDistribution(np.array([-1, 0]), np.array([0.2, 0.8]), 10)  # closing earlier is still October
    sim = run(deals, slips, first_close=10, months=np.arange(10, 13), runs=10)
    assert sim.exact_deals == 0 and sim.normal_deals == 0
    np.testing.assert_allclose(sim.paths[:, :, -1], [[60_800 / 6] * 10, [34_700 / 6] * 10])


# A timing per stage (setting slip_stage_prior): months 0 and 3; stage 1 always slips 3
# months, stage 3 never; the pooled row (any other stage) half and half.
STAGED = SlipDistribution(
    np.array([0, 3]), np.array([0.5, 0.5]), 10, np.array([1, 3]), np.array([[0.0, 1.0], [1.0, 0.0]])
)


@pytest.mark.parametrize("exact_cells", [EXACT_ALL := 10**9, 0])
def test_each_deal_draws_its_own_stages_timing(exact_cells):
    """Three sure deals of 12,000 due in July (first close June) on three lines: stage 3 closes in
    July and earns Aug-Dec (5,000); stage 1 closes in October and earns Nov-Dec (2,000); stage 2,
    not in the table, half and half (3,500 on average, 5,000 or 2,000).  Drawn one by one and
    through the normal sums alike."""
    deals = Deals(
        p_win=np.array([0.999999, 0.999999, 0.999999]),
        value=np.full(3, 12_000.0),
        close_month=np.full(3, 7),
        line=np.array([0, 1, 2]),
        n_lines=3,
        stage=np.array([3, 1, 2]),
    )
    sim = simulate(deals, STAGED, first_close=6, months=MONTHS, runs=400, seed=1, exact_cells=exact_cells)
    assert sim.expected[:, -1] == pytest.approx([5_000, 2_000, 3_500], rel=1e-4)
    assert sim.paths[0, :, -1].mean() == pytest.approx(5_000, rel=0.01)
    assert sim.paths[1, :, -1].mean() == pytest.approx(2_000, rel=0.01)
    assert sim.paths[2, :, -1].mean() == pytest.approx(3_500, rel=0.05)
    if exact_cells == EXACT_ALL:
        assert set(np.round(sim.paths[2, :, -1], -1)) == {5_000, 2_000}
    pooled = simulate(
        Deals(*[getattr(deals, f) for f in ("p_win", "value", "close_month", "line")], 3),
        STAGED,
        first_close=6,
        months=MONTHS,
        runs=10,
        seed=1,
    )
    assert pooled.expected[:, -1] == pytest.approx([3_500] * 3, rel=1e-4)


def test_summing_keeps_each_stage_apart():
    deals = Deals(
        np.full(3, 0.5), np.full(3, 100.0), np.full(3, 7), np.zeros(3, dtype=np.int64), 1, np.array([1, 3, 1])
    )
    sums = Sums.of(deals)
    assert sums.stage.tolist() == [1, 3] and sums.deals.tolist() == [2, 1] and sums.pv.tolist() == [100, 50]
    joined = sums.join(
        Sums.of(Deals(*[getattr(deals, f) for f in ("p_win", "value", "close_month", "line")], 1))
    )
    assert joined.stage.tolist() == [1, 3, -1]
