"""The parts of the forecast band beyond the open pipeline's wins and slips (issue 16).

Each is learnt from the company's own history, never from how the demo is made:

* **run-rate noise**, per branch x product line: the run-rate says next month
  brings the mean recurring revenue of the last ``run_rate_months``; history
  says by how much a month's revenue (one-off fees included) strayed from the
  run-rate of the months before it.  Per line, sigma = the root mean square of
  those misses over the last ``run_rate_noise_months`` (bias included, so a
  run-rate that runs low widens its band).  The cumulative miss through the i-th
  month ahead is i independent monthly misses plus a level error of the
  run-rate itself shared by every month ahead (a mean of ``run_rate_months``
  months: variance sigma² / run_rate_months):  variance = sigma² x (i + i² / n).
  The lines miss together (a month of many one-off fees, a price change), so
  the sum of independent line misses would make the company's band too narrow:
  each line's miss is sigma x (sqrt(1 - rho) x its own + sqrt(rho) x a shared
  one), rho chosen so that the total's variance equals the RMS of the company's
  own total misses (run_rate_correlation).
* **a common factor**: in a good or a bad month every deal wins more or less
  together, which independent coin flips never show.  The monthly win share of
  the closed deals strays from its mean by more than chance over that many
  deals explains; that excess, relative to the mean, is the spread of a factor
  (mean 1) that scales the whole pipeline's revenue of a run.

* **the parts of growth.py** (drift of existing business, not-yet-created
  business): their means are in the forecast's base (components.base_through);
  their spreads are drawn here, one standard normal per line, part and run,
  shared by the months of the run.  The won value / pipeline value ratio
  scales the pipeline draws.

All are drawn per run from their own random stream (spawned from the
simulation's seed), so a frozen forecast and the live page, which share the
simulation, get the same band.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.forecast.growth import Part

KEYS = ["branch", "product"]


@dataclass(frozen=True)
class Spread:
    """What widens the band besides the pipeline draws: per-line run-rate sigma, common factor sigma."""

    run_rate_sigma: np.ndarray  # per line: RMS one-month miss of the run-rate (currency)
    level_months: int  # months the run-rate averages: its level error is sigma² / level_months
    factor_sigma: float  # relative spread of the common factor on the pipeline
    run_rate_correlation: float = 0.0  # share of each line's miss common to every line
    parts: dict[str, Part] = field(default_factory=dict)  # growth.py's parts, by name
    value_ratio: float = 1.0  # won value / pipeline value: scales the pipeline draws

    def parts_mean(self, n_lines: int, n_months: int) -> np.ndarray:
        """lines x months: the parts' means summed (zeros without parts)."""
        total = np.zeros((n_lines, n_months))
        for part in self.parts.values():
            total += part.mean
        return total

    @classmethod
    def none(cls, n_lines: int) -> Spread:
        """No extra uncertainty: the band of the pipeline draws alone."""
        return cls(np.zeros(n_lines), 1, 0.0)


def run_rate_misses(history: pd.DataFrame, months: int) -> pd.DataFrame:
    """Per line and period: revenue minus the mean recurring revenue of the ``months`` periods before it.

    ``history`` has branch, product, period, recurring, amount (forecast_run_rate_history.sql),
    every line with every period; periods without ``months`` before them are dropped.
    The lines are a grid of the same periods, so the misses of all of them are one array
    operation (a line at a time cost a frame each: 72 lines, twice per forecast).
    """
    ordered = history.sort_values("period")
    codes = ordered.groupby(KEYS, dropna=False, sort=False).ngroup().to_numpy()
    counts = np.bincount(codes) if len(codes) else np.zeros(0, dtype=np.int64)
    width = int(counts[0]) if len(counts) else 0
    if width <= months or (counts != width).any():
        return _misses_line_by_line(ordered, months)
    rows = ordered.iloc[np.argsort(codes, kind="stable")]
    recurring = rows["recurring"].astype(float).to_numpy().reshape(len(counts), width)
    amount = rows["amount"].astype(float).to_numpy().reshape(len(counts), width)
    windows = np.lib.stride_tricks.sliding_window_view(recurring, months, axis=1)[:, :-1]
    run_rate = windows @ (np.ones(months) / months)
    return pd.DataFrame(
        {
            "branch": np.repeat(rows["branch"].to_numpy()[::width], width - months),
            "product": np.repeat(rows["product"].to_numpy()[::width], width - months),
            "period": rows["period"].to_numpy().reshape(len(counts), width)[:, months:].ravel(),
            "miss": (amount[:, months:] - run_rate).ravel(),
        }
    )


def _misses_line_by_line(ordered: pd.DataFrame, months: int) -> pd.DataFrame:
    """:func:`run_rate_misses` of a history whose lines do not share one grid of periods."""
    frames = []
    for key, line in ordered.groupby(KEYS, dropna=False, sort=False):
        recurring = line["recurring"].astype(float).to_numpy()
        amount = line["amount"].astype(float).to_numpy()
        if len(line) <= months:
            continue
        run_rate = np.convolve(recurring, np.ones(months) / months, mode="valid")[:-1]
        frames.append(
            pd.DataFrame(
                {
                    "branch": key[0],
                    "product": key[1],
                    "period": line["period"].to_numpy()[months:],
                    "miss": amount[months:] - run_rate,
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*KEYS, "period", "miss"])


def centred_misses(history: pd.DataFrame, months: int, centred: bool) -> pd.DataFrame:
    """run_rate_misses, less each line's mean miss when ``centred``.

    The mean miss is the run-rate's lag behind growth and the one-off fees it
    leaves out; once growth.py forecasts those (drift, one_off), only what is
    left over is noise.  Without them the mean stays in (a run-rate that runs
    low widens its band).
    """
    misses = run_rate_misses(history, months)
    if not centred or misses.empty:
        return misses
    mean = misses.groupby(KEYS, dropna=False)["miss"].transform("mean")
    return misses.assign(miss=misses["miss"] - mean)


def run_rate_sigma(
    history: pd.DataFrame, lines: pd.DataFrame, months: int, centred: bool = False
) -> np.ndarray:
    """Per row of ``lines``: the root mean square of its run-rate misses (0 without history)."""
    misses = centred_misses(history, months, centred)
    if misses.empty:
        return np.zeros(len(lines))
    rms = misses.assign(square=misses["miss"] ** 2).groupby(KEYS, dropna=False)["square"].mean() ** 0.5
    found = rms.reindex(pd.MultiIndex.from_frame(lines[KEYS]))
    return found.fillna(0.0).to_numpy(dtype=float)


def run_rate_correlation(
    history: pd.DataFrame, sigma: np.ndarray, months: int, centred: bool = False
) -> float:
    """rho such that lines missing with ``sigma`` and correlation rho miss in total as the company did.

    Var(total) = (1 - rho) Σ sigma² + rho (Σ sigma)², set to the mean square of the
    total misses per period (the lines' misses summed), clipped to [0, 1].
    """
    misses = centred_misses(history, months, centred)
    if misses.empty or len(sigma) < 2:
        return 0.0
    total = float((misses.groupby("period")["miss"].sum() ** 2).mean())
    own, joint = float((sigma**2).sum()), float(sigma.sum() ** 2)
    if joint <= own:
        return 0.0
    return float(np.clip((total - own) / (joint - own), 0.0, 1.0))


def factor_sigma(monthly: pd.DataFrame) -> float:
    """The common factor's relative spread from the monthly closed and won counts.

    Var(monthly win share) = Var(factor) x rate² + chance, the chance part being
    rate x (1 - rate) / closed on average; what is left over, relative to the
    rate, is the factor's spread (0 when chance explains it all).
    """
    closed = monthly["closed"].astype(float).to_numpy()
    won = monthly["won"].astype(float).to_numpy()
    keep = closed > 0
    if keep.sum() < 3:
        return 0.0
    share, closed = won[keep] / closed[keep], closed[keep]
    rate = won[keep].sum() / closed.sum()
    if rate <= 0:
        return 0.0
    excess = np.var(share, ddof=1) - np.mean(rate * (1 - rate) / closed)
    return float(np.sqrt(max(excess, 0.0)) / rate)


def widen(paths: np.ndarray, spread: Spread, seed: np.random.SeedSequence) -> np.ndarray:
    """``paths`` (lines x runs x months ahead) scaled by the value ratio and the common factor,
    plus the run-rate misses and the growth parts' spreads.

    The i-th month ahead gets the cumulative miss of i months: i monthly misses and
    i times the level error (uncertainty module docstring).  Means are unchanged.
    The arrays are lines x 10,000 runs x months: every step writes into the one
    result (and one scratch array) instead of a new array per operation, in the
    same order with the same dtypes, so the draws are the same to the bit and the
    1 M page's band costs about half (issue 19); ``paths`` is left as it was.
    """
    n_lines, runs, n_months = paths.shape
    if n_months == 0 or runs == 0:
        return paths
    factor_rng, miss_rng, level_rng, parts_rng = (np.random.default_rng(s) for s in seed.spawn(4))
    out = paths * spread.value_ratio if spread.value_ratio != 1.0 else paths.copy()
    if spread.factor_sigma > 0:
        factor = np.clip(1.0 + spread.factor_sigma * factor_rng.standard_normal(runs), 0.0, None)
        out *= factor[None, :, None]
    if np.any(spread.run_rate_sigma > 0):
        _add_misses(out, spread, miss_rng, level_rng)
    scratch = np.empty_like(out) if spread.parts else out
    for name in sorted(spread.parts):
        sd = spread.parts[name].sd
        if np.any(sd > 0):
            z = parts_rng.standard_normal((n_lines, runs, 1), dtype=np.float32)
            out += np.multiply(sd[:, None, :], z, out=scratch)
    return out


def _add_misses(
    out: np.ndarray,
    spread: Spread,
    miss_rng: np.random.Generator,
    level_rng: np.random.Generator,
) -> None:
    """Add each line's cumulative run-rate miss to ``out`` in place (:func:`widen`): its own
    monthly misses and level error, mixed with the shared ones at the lines' correlation."""
    n_lines, runs, n_months = out.shape
    own, shared = np.sqrt(1.0 - spread.run_rate_correlation), np.sqrt(spread.run_rate_correlation)
    monthly = miss_rng.standard_normal((n_lines + 1, runs, n_months), dtype=np.float32)
    level = level_rng.standard_normal((n_lines + 1, runs, 1), dtype=np.float32) / np.sqrt(spread.level_months)
    ahead = np.arange(1, n_months + 1, dtype=np.float32)
    miss = level * ahead[None, None, :]  # float64 (level is, once divided): the last row, the shared miss
    miss += np.cumsum(monthly, axis=2, out=monthly)
    mixed = miss[:-1]
    mixed *= own
    mixed += shared * miss[-1:]
    mixed *= spread.run_rate_sigma[:, None, None]
    out += mixed
