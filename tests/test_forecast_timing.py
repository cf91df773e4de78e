"""When an open deal closes given that it wins: the life table with the censored deals (issue 16).

Hand-worked on tests/forecast_world.py (as_of 2026-06-30).  Deals first seen open
in the look-back window, slips in months from the expected close month they had
then (overdue or missing: the snapshot's month), from the month first seen
(entry) to the month closed or, still open, June (exit):

    C2 seen 03-31 due 03-20 (March)  entry 0  won 04-05   exit 1
    C3 seen 03-31 due May            entry -2 lost 05-20  exit 0
    C6 seen 03-31 due April          entry -1 won 04-20   exit 0
    O2 seen 03-31 due 03-01 (March)  entry 0  open        exit 3
    O1 due Aug -2, O3 Dec -6, O4 Jul -1, O5 Sep -3, O6 Feb 2027 -8, O7 no date 0:
    seen 06-30 and still open, entry = exit

A deal counts half in the month it was first seen and in the month it is still
open at as_of (watched about half of it).  Rows where a deal closed or was
censored: at_risk -8, -6, -3: 1 - 1/2 - 1/2 = 0; -2: C3 1/2 + O1 0 = 0.5;
-1: C3 1 + C6 1/2 + O4 0 = 1.5; 0: C3 1 + C6 1 + C2 1/2 + O2 1/2 + O7 0 = 3;
1: C2 1 + O2 1 = 2; 3: O2 1/2 = 0.5.  Wins at 0 (C6) and 1 (C2), a loss at 0 (C3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.context import Context
from analytics.forecast.probabilities import censored_timing, slip_distribution, stage_timing
from analytics.scope import Scope
from analytics.settings import Settings
from tests.forecast_world import AS_OF

SETTINGS = Settings().with_overrides(probability_shrinkage=2.0)


def ctx_for(engine, settings: Settings = SETTINGS) -> Context:
    return Context(engine, Scope.company(), settings, AS_OF)


def test_the_life_table_counts_the_still_open_deals_as_exposure(forecast_engine):
    rows = ctx_for(forecast_engine).query("forecast_slips")
    rows = rows[rows["stage"].isna()].set_index("slip_months")
    assert rows.index.tolist() == [-8, -6, -3, -2, -1, 0, 1, 3]
    assert rows["timing_at_risk"].tolist() == pytest.approx([0, 0, 0, 0.5, 1.5, 3, 2, 0.5])
    assert rows["timing_wins"].tolist() == [0, 0, 0, 0, 0, 1, 1, 0]
    assert rows["timing_losses"].tolist() == [0, 0, 0, 0, 0, 1, 0, 0]
    assert rows["deals"].tolist() == [0, 0, 0, 0, 0, 1, 1, 0]  # the won-only count, as before


def tail(still_open: float, months: int = 24) -> np.ndarray:
    """Late closes past slip 3: the overdue months' hazard 1 / 2.5 (C2's win over C2 and O2's
    2.5 deal-months at risk at slips >= 1), all of them wins, over 24 months, the rest in the last."""
    spread = still_open * 0.6 ** np.arange(months) * 0.4
    spread[-1] += still_open * 0.6**months
    return spread


@pytest.mark.parametrize(
    ("shrinkage", "at_zero", "at_one", "still_open"),
    [
        # hazard at 0: 2 closes / 3 at risk, half of them wins: 1/3 wins, 1/3 left open;
        # at 1: 1 / 2, a win: 1/6, and 1/6 left open for the tail.
        (0.0, 1 / 3, 1 / 6, 1 / 6),
        # One more deal at risk that does not close: 2/4 -> 1/4 wins, 1/2 open; 1/3 of that
        # wins at 1 (1/6) and 1/3 is left open.
        (1.0, 1 / 4, 1 / 6, 1 / 3),
    ],
)
def test_the_timing_given_a_win_by_hand(forecast_engine, shrinkage, at_zero, at_one, still_open):
    slips = slip_distribution(ctx_for(forecast_engine, SETTINGS.with_overrides(slip_shrinkage=shrinkage)))
    expected = np.concatenate([[at_zero, at_one], tail(still_open)])
    assert slips.months.tolist() == [0, 1, *range(4, 28)]
    assert slips.weights == pytest.approx(expected / expected.sum())
    assert slips.deals == 2


def test_the_won_only_rule_stays_behind_its_setting(forecast_engine):
    slips = slip_distribution(ctx_for(forecast_engine, SETTINGS.with_overrides(slip_censored=False)))
    assert slips.months.tolist() == [0, 1] and slips.weights.tolist() == pytest.approx([0.5, 0.5])


def test_the_life_table_per_stage_first_seen_by_hand(forecast_engine):
    """Stage 2 (first seen): C3 entry -2 lost at 0, C6 entry -1 won at 0, O1 entry = exit -2
    (open); stage 3: C2 entry 0 won at 1, O3 -6 and O7 0 open.  Each stage has a row for every
    pooled slip month, and its at-risk deals sum over the stages to the pooled ones."""
    rows = ctx_for(forecast_engine).query("forecast_slips")
    staged = rows[rows["stage"].notna()]
    pooled = rows[rows["stage"].isna()].set_index("slip_months")
    two = staged[staged["stage"] == 2].set_index("slip_months")
    three = staged[staged["stage"] == 3].set_index("slip_months")
    assert two.index.tolist() == three.index.tolist() == [-8, -6, -3, -2, -1, 0, 1, 3]
    assert two["timing_at_risk"].tolist() == pytest.approx([0, 0, 0, 0.5, 1.5, 2, 0, 0])
    assert two["timing_wins"].tolist() == [0, 0, 0, 0, 0, 1, 0, 0]
    assert two["timing_losses"].tolist() == [0, 0, 0, 0, 0, 1, 0, 0]
    assert three["timing_at_risk"].tolist() == pytest.approx([0, 0, 0, 0, 0, 0.5, 1, 0])
    assert three["timing_wins"].tolist() == [0, 0, 0, 0, 0, 0, 1, 0]
    by_slip = staged.groupby("slip_months")["timing_at_risk"].sum()
    assert by_slip.tolist() == pytest.approx(pooled["timing_at_risk"].tolist())
    assert staged["deals"].sum() == 0  # no won deals on the per-stage rows: the sums stay pooled


def test_each_stage_is_pulled_toward_the_pooled_hazards_by_hand(forecast_engine):
    """slip_shrinkage 0, slip_stage_prior 1.  Pooled: hazard 2/3 at 0 (half wins), 1/2 at 1 (a
    win), overdue 1 / 2.5.  Stage 3: at 0 (0 + 2/3) / (0.5 + 1) = 4/9, won share (0 + 1/2) / 1;
    at 1 (1 + 1/2) / (1 + 1) = 3/4, all wins; overdue (1 + 0.4) / (1 + 1) = 0.7, all wins."""
    settings = SETTINGS.with_overrides(slip_shrinkage=0.0, slip_stage_prior=1.0)
    slips = slip_distribution(ctx_for(forecast_engine, settings))
    assert slips.stages.tolist() == [0, 1, 2, 3, 4]
    row = slips.matrix()[slips.rows(np.array([3]), 1)[0]]
    still_open = 5 / 9 * 1 / 4
    late = still_open * 0.3 ** np.arange(24) * 0.7
    late[-1] += still_open * 0.3**24
    expected = np.concatenate([[0, 0, 0, 0, 0, 2 / 9, 5 / 12, 0], late])
    assert slips.months.tolist() == [-8, -6, -3, -2, -1, 0, 1, 3, *range(4, 28)]
    assert row == pytest.approx(expected / expected.sum())
    # The pooled row is the company's timing as before (zeros kept on the shared months).
    pooled = slip_distribution(ctx_for(forecast_engine, SETTINGS.with_overrides(slip_shrinkage=0.0)))
    assert slips.weights[slips.weights > 0] == pytest.approx(pooled.weights)
    # A stage not seen in the history draws the pooled timing.
    assert slips.rows(np.array([9, 3]), 2).tolist() == [0, 4]


def test_a_prior_of_zero_keeps_one_company_wide_timing(forecast_engine):
    slips = slip_distribution(ctx_for(forecast_engine))
    assert len(slips.stages) == 0 and slips.rows(np.array([3]), 1).tolist() == [0]


# --- a synthetic world with a known close timing ------------------------------------------------

RATE_WON, RATE_LOST = 0.2, 0.1
"""Per month from the month first seen: constant hazards, so given a win and open at slip 0 the
close month is geometric: P(k) = (1 - e^-0.3) e^-0.3k."""


def life_table(
    rng: np.random.Generator, deals: int, won: float = RATE_WON, lost: float = RATE_LOST
) -> tuple[np.ndarray, ...]:
    """Deals first seen at a uniform time in slip months [-3, 1), watched a uniform 0-3 months
    (a few months of snapshots), closing after an exponential time: the rows forecast_timing
    gives (half a month of exposure in the months first seen and still open)."""
    seen = rng.uniform(-3, 1, deals)
    closes = seen + rng.exponential(1 / (won + lost), deals)
    watched_to = seen + rng.uniform(0, 3, deals)
    closed = closes <= watched_to
    is_won = closed & (rng.random(deals) < won / (won + lost))
    entry = np.floor(seen).astype(int)
    exit_ = np.floor(np.where(closed, closes, watched_to)).astype(int)
    slips = np.arange(entry.min(), exit_.max() + 1)
    at_risk = np.array(
        [
            ((entry <= k) & (k <= exit_)).sum()
            - 0.5 * (entry == k).sum()
            - 0.5 * ((exit_ == k) & ~closed).sum()
            for k in slips
        ]
    )
    wins = np.array([((exit_ == k) & is_won).sum() for k in slips])
    losses = np.array([((exit_ == k) & closed & ~is_won).sum() for k in slips])
    return slips, wins.astype(float), losses.astype(float), at_risk


def given_open_at_zero(months: np.ndarray, weights: np.ndarray, upto: int) -> np.ndarray:
    """P(close month k | a win, still open at slip 0) for k = 0..upto-1."""
    later = weights[months >= 0]
    return np.array([weights[months == k].sum() for k in range(upto)]) / later.sum()


def test_the_life_table_recovers_a_known_close_timing_the_won_deals_alone_do_not():
    slips, wins, losses, at_risk = life_table(np.random.default_rng(20261204), 4_000)
    months, weights = censored_timing(slips, wins, losses, at_risk, shrinkage=1.0)
    truth = (1 - np.exp(-0.3)) * np.exp(-0.3 * np.arange(6))
    assert given_open_at_zero(months, weights, 6) == pytest.approx(truth, abs=0.03)
    # The won deals' slips alone (still-open deals ignored) put the close far too early.
    won_only = given_open_at_zero(slips, wins / wins.sum(), 6)
    assert won_only[0] > truth[0] + 0.1


def test_two_stages_of_known_different_timing_are_recovered():
    """Stage 1 closes slowly (hazards 0.1 won, 0.1 lost a month), stage 3 fast (0.5, 0.1): with a
    small prior each stage's timing recovers its own geometric curve; pooled, neither is."""
    rng = np.random.default_rng(7)
    frames = []
    truths = {}
    for stage, (won, lost) in {1: (0.1, 0.1), 3: (0.5, 0.1)}.items():
        slips, wins, losses, at_risk = life_table(rng, 4_000, won, lost)
        frames.append(
            pd.DataFrame(
                {
                    "stage": stage,
                    "slip_months": slips,
                    "timing_wins": wins,
                    "timing_losses": losses,
                    "timing_at_risk": at_risk,
                }
            )
        )
        rate = won + lost
        truths[stage] = (1 - np.exp(-rate)) * np.exp(-rate * np.arange(3))
    staged = pd.concat(frames).groupby(["stage", "slip_months"], as_index=False).sum()
    pooled = staged.groupby("slip_months", as_index=False)[
        ["timing_wins", "timing_losses", "timing_at_risk"]
    ].sum()
    slips = stage_timing(pooled, staged, SETTINGS.with_overrides(slip_shrinkage=1.0, slip_stage_prior=1.0))
    for stage, truth in truths.items():
        row = slips.matrix()[slips.rows(np.array([stage]), 1)[0]]
        assert given_open_at_zero(slips.months, row, 3) == pytest.approx(truth, abs=0.03)
    both = given_open_at_zero(slips.months, slips.weights, 3)
    assert abs(both[0] - truths[1][0]) > 0.1 and abs(both[0] - truths[3][0]) > 0.1
