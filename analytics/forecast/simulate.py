"""Monte-Carlo of a window's revenue from the open pipeline (metrics.md, uncertainty).

In each run a deal wins as an independent draw with p(o) and, when it wins,
closes after a slip drawn from the historical slip distribution given that it
has not closed before the current month (it is still open); it then earns
annual_value / 12 for every month of the window after its close month.  Months
are counted from January of the as_of year (1 = January, 13 = next January),
so one index serves every horizon (analytics/forecast/horizons.py): the
year-end reports months P+1..12 and earns from January (``earn_from`` 1, as
before), the next quarter or the next year report and earn only their own
months, and a close after the window's last month earns nothing in it.
Pure numpy, no database, seeded: the same inputs and seed give the same band
(each block of runs has its own random stream, so threads cannot reorder it).

Why not one uniform per deal and run for every deal?  10,000 runs x 100,000
deals are 10^9 draws, seconds of random numbers alone on a two-core machine.
So the deals that carry the uncertainty are drawn one by one: every uncertain
deal while runs x deals fits ``exact_cells`` (600 deals at 10,000 runs),
otherwise each line's largest and then the largest by variance until the
budget is spent.  The many small deals left enter through their sum per line,
drawn from a normal with that sum's exact mean and month-by-month covariance
(central limit theorem over many small independent terms).  On the demo
pipeline the deals drawn one by one carry over 90% of the variance;
``exact_variance_share`` reports it, and benchmarks/bench_forecast.py compares
the band with drawing every deal in every run.

The normal part needs only sums per line x close month (Σ p·v, Σ p·v², Σ p²·v²,
see :class:`Sums`), so a caller may hand deals over already summed: the frozen
forecast (freeze.py) gets those sums from the warehouse instead of one row per
deal, and both run this one :func:`simulate`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from analytics.forecast.draws import by_line, draw
from analytics.forecast.probabilities import SlipDistribution

AFTER_YEAR = 13
"""Close month index meaning 'January next year or later': no revenue this year (the year-end window)."""

EXACT_CELLS = 6_000_000
"""Runs x deals drawn one by one; beyond it the smallest deals enter through their (normal) sum."""

EXACT_PER_LINE = 8
"""Each line's largest deals are always drawn one by one, so a small line gets a true band."""


@dataclass(frozen=True)
class Deals:
    """Open deals as arrays: p(o), annual value, effective close month (1..12, 13+ later), line,
    and optionally the stage whose timing each draws (SlipDistribution.rows; none: pooled)."""

    p_win: np.ndarray
    value: np.ndarray
    close_month: np.ndarray
    line: np.ndarray
    n_lines: int
    stage: np.ndarray | None = None

    def take(self, rows: np.ndarray) -> Deals:
        """The deals at ``rows`` (a mask or indexes), in their order here: the order of the draws."""
        stage = None if self.stage is None else self.stage[rows]
        return Deals(
            self.p_win[rows], self.value[rows], self.close_month[rows], self.line[rows], self.n_lines, stage
        )


@dataclass(frozen=True)
class Sums:
    """Deals summed per line x close month: all the normal part and the expected pipeline need.

    A deal's revenue this year depends only on p = p(o), v = annual value and its
    close month, so over the deals of one line and close month the mean is Σ p·v
    times the month's expected share of the year, and the covariance follows from
    Σ p·v² and Σ p²·v² (draws.normal_sum).  A row may also be a single deal.
    """

    line: np.ndarray
    close_month: np.ndarray
    pv: np.ndarray  # Σ p·v
    pvv: np.ndarray  # Σ p·v²
    ppvv: np.ndarray  # Σ p²·v²
    deals: np.ndarray  # how many deals each row sums
    stage: np.ndarray | None = None  # the stage whose timing the row's deals draw (none: pooled)

    @classmethod
    def of(cls, deals: Deals) -> Sums:
        """``deals`` summed per line x close month (rows sorted by line, then close month)."""
        if len(deals.p_win) == 0:
            return cls.empty()
        low = int(deals.close_month.min())
        span = int(deals.close_month.max()) - low + 1  # one key per (line, close month)
        key = deals.line.astype(np.int64) * span + (deals.close_month.astype(np.int64) - low)
        if deals.stage is not None:  # and per stage: its rows draw that stage's timing
            return cls._of_stages(deals, key, low, span)
        cells, row = np.unique(key, return_inverse=True)
        row = row.ravel()
        pv = deals.p_win * deals.value
        pvv, ppvv = pv * deals.value, pv * pv
        pv_sum, pvv_sum, ppvv_sum = (
            np.bincount(row, values, minlength=len(cells)) for values in (pv, pvv, ppvv)
        )
        count = np.bincount(row, minlength=len(cells))
        return cls(cells // span, cells % span + low, pv_sum, pvv_sum, ppvv_sum, count)

    @classmethod
    def _of_stages(cls, deals: Deals, key: np.ndarray, low: int, span: int) -> Sums:
        """:meth:`of` per line x close month x stage (rows sorted by line, close month, stage)."""
        stage = np.asarray(deals.stage, dtype=np.int64)
        stages, stage_at = np.unique(stage, return_inverse=True)
        cells, row = np.unique(key * len(stages) + stage_at.ravel(), return_inverse=True)
        row = row.ravel()
        pv = deals.p_win * deals.value
        pv_sum, pvv_sum, ppvv_sum = (
            np.bincount(row, values, minlength=len(cells)) for values in (pv, pv * deals.value, pv * pv)
        )
        count = np.bincount(row, minlength=len(cells))
        place = cells // len(stages)
        return cls(
            place // span, place % span + low, pv_sum, pvv_sum, ppvv_sum, count, stages[cells % len(stages)]
        )

    @classmethod
    def empty(cls) -> Sums:
        """No deals."""
        none = np.array([], dtype=np.int64)
        return cls(none, none, none * 0.0, none * 0.0, none * 0.0, none)

    def join(self, other: Sums) -> Sums:
        """The rows of both (a line x close month may then appear twice: sums stay sums); a
        side without stages draws the pooled timing (stage -1)."""
        stages = [s.stage if s.stage is not None else np.full(len(s.pv), -1) for s in (self, other)]
        stage = None if self.stage is None and other.stage is None else np.concatenate(stages)
        numbers = {
            f.name: np.concatenate([getattr(self, f.name), getattr(other, f.name)]) for f in fields(self)[:-1]
        }
        return Sums(**numbers, stage=stage)


@dataclass(frozen=True)
class Simulation:
    """Simulated pipeline revenue of this year, from January through each month in ``months``."""

    paths: np.ndarray  # lines x runs x months
    expected: np.ndarray  # lines x months: the exact mean of paths (slips included)
    months: np.ndarray
    exact_deals: int
    normal_deals: int  # deals handed over as Sums all count here
    exact_variance_share: float


def after_window(months: np.ndarray) -> int:
    """The close month index meaning 'after the window': the month after the last one reported."""
    return int(months[-1]) + 1 if len(months) else AFTER_YEAR


def close_probabilities(
    close_month: np.ndarray,
    slips: SlipDistribution,
    first_close: int,
    after: int = AFTER_YEAR,
    stage: np.ndarray | None = None,
) -> np.ndarray:
    """rows x close months (first_close..after-1, then after): P(a deal expected then closes then).

    The deal is still open, so it cannot close before ``first_close``: the slips
    that would put it there are impossible and the others keep their historical
    odds among themselves (the distribution given the close is not yet past).
    Piling those slips onto ``first_close`` instead made a deal due now close now
    about two times in three, which the forward windows' backtest did not see.
    A deal no slip keeps open closes at ``first_close``.  With ``stage`` each row takes
    its stage's timing (SlipDistribution.rows): the deal's age past its due month is
    this conditioning on the still-open slips, read from that stage's life table.
    """
    grid = np.zeros((len(close_month), after - first_close + 1))
    rows = np.arange(len(close_month))
    matrix = slips.matrix()[slips.rows(stage, len(close_month))]
    for j, slip in enumerate(slips.months):
        possible = close_month + slip >= first_close
        grid[rows[possible], np.minimum(close_month[possible] + slip, after) - first_close] += matrix[
            possible, j
        ]
    kept = grid.sum(axis=1)
    none = kept <= 0
    grid[rows[none], 0] = 1.0
    return grid / np.where(none, 1.0, kept)[:, None]


def revenue_factors(first_close: int, months: np.ndarray, earn_from: int = 1) -> np.ndarray:
    """close months x report months: months of revenue earned by then / 12.

    A deal earns from the month after its close month, but only months from
    ``earn_from`` on count (a window starting later than the close: next quarter,
    next year); closing after the window (the last row) earns nothing in it.
    """
    closes = np.arange(first_close, after_window(months) + 1)
    starts = np.maximum(closes, earn_from - 1)
    earned = np.clip(months[None, :] - starts[:, None], 0, None).astype(float)
    earned[-1, :] = 0.0  # closing after the window earns nothing in it
    return earned / 12.0


def _after(first_close: int, factors: np.ndarray) -> int:
    """The 'after the window' close month of ``factors`` (its last row)."""
    return first_close + factors.shape[0] - 1


def share_moments(grid: np.ndarray, factors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``grid``: E[f²] and E[f] over slips, f = the share of the year's revenue earned.

    A won deal of value v then earns v·f: its revenue has mean p·v·E[f] and
    variance p·v²·E[f²] − (p·v·E[f])², and a sum of such deals the sums of both.
    """
    if factors.shape[1] == 0:
        return np.zeros(len(grid)), np.zeros(len(grid))
    earned = factors[:, -1]
    return grid @ earned**2, grid @ earned


def certain_if_won(grid: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Per row of ``grid``: whether every close month it may slip to earns the same this year.

    A deal won for sure with such a row has a certain revenue (no variance),
    however the floating-point moments round.
    """
    if factors.shape[1] == 0:
        return np.ones(len(grid), dtype=bool)
    earned, reached = factors[:, -1], grid > 0
    return np.where(reached, earned, np.inf).min(1) == np.where(reached, earned, -np.inf).max(1)


def deal_moments(deals: Deals, slips: SlipDistribution, first_close: int, factors: np.ndarray):
    """Each deal's mean revenue through each month (deals x months) and its year's variance.

    The variance decides which deals are drawn one by one (choose_exact), so a deal
    that cannot vary gets exactly 0, as forecast_freeze_pipeline.sql decides too.
    """
    grid = close_probabilities(
        deals.close_month, slips, first_close, _after(first_close, factors), deals.stage
    )
    scaled = deals.p_win[:, None] * deals.value[:, None] * grid
    mean = scaled @ factors
    variance = np.zeros(len(scaled))
    if factors.shape[1]:
        squared = scaled * deals.value[:, None]  # p x value^2 x P(close month): second moments
        variance = np.clip(squared @ factors[:, -1] ** 2 - mean[:, -1] ** 2, 0, None)
    sure = np.flatnonzero(deals.p_win >= 1)
    variance[sure[certain_if_won(grid[sure], factors)]] = 0.0
    return mean, variance


def simulate(
    deals: Deals,
    slips: SlipDistribution,
    *,
    first_close: int,
    months: np.ndarray,
    runs: int,
    seed: int,
    summed: Sums | None = None,
    exact_cells: int = EXACT_CELLS,
    earn_from: int = 1,
) -> Simulation:
    """Simulate ``runs`` windows; paths[g, r, i] = line g's pipeline revenue earn_from..months[i] in run r.

    ``deals`` are those that may be drawn one by one (chosen here by their variance);
    ``summed`` are more deals of the same pipeline already summed, which only enter
    through the normal sum.  The pages pass every deal and no sums; the frozen
    forecast passes the warehouse's candidates and its sums over the others.
    """
    months = np.asarray(months, dtype=np.int64)
    factors = revenue_factors(first_close, months, earn_from)
    summed = Sums.empty() if summed is None else summed
    mean, variance = deal_moments(deals, slips, first_close, factors)
    exact = choose_exact(variance, deals.line, exact_cells // max(runs, 1))
    rest = Sums.of(deals.take(~exact)).join(summed)
    grid = close_probabilities(rest.close_month, slips, first_close, _after(first_close, factors), rest.stage)
    paths = np.zeros((deals.n_lines, runs, len(months)))
    if len(months):
        draw(paths, np.random.SeedSequence(seed), deals.take(exact), slips, first_close, factors, rest, grid)
    summed_mean, summed_variance = _summed_moments(summed, slips, first_close, factors, deals.n_lines)
    total = variance.sum() + summed_variance
    return Simulation(
        paths=paths,
        expected=by_line(mean, deals.line, deals.n_lines) + summed_mean,
        months=months,
        exact_deals=int(exact.sum()),
        normal_deals=int((~exact & (variance > 0)).sum() + summed.deals.sum()),
        exact_variance_share=float(variance[exact].sum() / total) if total > 0 else 1.0,
    )


def _summed_moments(summed: Sums, slips, first_close: int, factors: np.ndarray, n_lines: int):
    """Deals handed over summed: their mean per line x month and the variance of their window's total."""
    grid = close_probabilities(
        summed.close_month, slips, first_close, _after(first_close, factors), summed.stage
    )
    second, first = share_moments(grid, factors)
    variance = np.clip(summed.pvv * second - summed.ppvv * first**2, 0, None).sum()
    return by_line(summed.pv[:, None] * (grid @ factors), summed.line, n_lines), float(variance)


def choose_exact(variance: np.ndarray, line: np.ndarray, budget: int) -> np.ndarray:
    """Deals drawn one by one: all uncertain ones if they fit, else each line's largest, then the largest."""
    uncertain = variance > 0
    if uncertain.sum() <= budget:
        return uncertain
    largest = np.argsort(-variance, kind="stable")
    grouped = largest[np.argsort(line[largest], kind="stable")]  # by line, largest first within
    starts = np.flatnonzero(np.r_[True, np.diff(line[grouped]) != 0])
    rank = np.arange(len(grouped)) - np.repeat(starts, np.diff(np.r_[starts, len(grouped)]))
    exact = np.zeros(len(variance), dtype=bool)
    exact[grouped[rank < EXACT_PER_LINE]] = True
    exact &= uncertain
    remaining = largest[~exact[largest] & uncertain[largest]]
    exact[remaining[: max(budget - int(exact.sum()), 0)]] = True
    return exact


def band(values: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P10, P50, P90 along ``axis`` (the runs)."""
    p10, p50, p90 = np.quantile(values, [0.1, 0.5, 0.9], axis=axis)
    return p10, p50, p90


def expected_vs_band(overall: dict) -> str:
    """'above', 'below' or 'inside': where forecast_expected falls against the band's P10–P90.

    forecast_expected counts each open deal from its expected close month (metrics.md,
    m(o)); the band draws the close month from the history of when wins really came
    (later, mostly), so the expected can sit above the P90 — the page says why rather than
    leave a director with a figure outside its own range.
    """
    expected = overall["forecast_expected"]
    if expected > overall["p90"]:
        return "above"
    if expected < overall["p10"]:
        return "below"
    return "inside"
