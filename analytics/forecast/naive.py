"""The two naive baselines the frozen forecasts are scored against (issue 16, item 4).

A forecast earns trust only if it beats what anyone could work out on a
spreadsheet.  Each week's freeze (freeze.py) writes, beside the model's
P10/P50/P90 for a line's cumulative revenue through each month left in the
year, two forecasts computed with only what was known at the snapshot (revenue
through ``through``, the month before the snapshot's, and the open pipeline at
its date):

* ``naive_pipeline``: revenue to date + the last 3 months' recurring run-rate
  for each month left + the stage-weighted open pipeline, Σ stage_rate x
  annual_value x months earned / 12 from each deal's expected close month
  (stage rates instead of p(o), no slips, no spread);
* ``naive_last_year``: the line's revenue over the same months last year x the
  growth to date (this year's revenue through the last month known / last
  year's through the same month; 1 when nothing is known of this year yet or
  last year had none).

The company total's baselines are the lines' summed.  frozen.py scores them as
it scores the P50 (same rows, same actuals); benchmarks/bench_forecast_quality.py
reads these functions too, so there is one definition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.context import Context
from analytics.forecast import kept
from analytics.forecast.components import KEYS

NAIVE = ("naive_pipeline", "naive_last_year")
"""The frozen columns (forecast_snapshots, forecast_snapshot_totals) these baselines fill."""
YEAR_END = "year_end"


def naive_pipeline(ctx: Context, lines: pd.DataFrame, months: np.ndarray) -> np.ndarray:
    """lines x months: actual_ytd + recurring_monthly x months since + the stage-weighted pipeline
    earned through each month (``lines`` as components.lines_of gives them)."""
    recurring = lines["recurring_monthly"].astype(float).fillna(0.0).to_numpy()
    base = lines["actual_ytd"].astype(float).to_numpy()[:, None] + recurring[:, None] * np.arange(
        1, len(months) + 1
    )
    sums = ctx.query("forecast_naive_pipeline")
    index = _line_index(lines, sums)
    earned = np.clip(months[None, :] - sums["close_month"].to_numpy(dtype=float)[:, None], 0, None) / 12.0
    weighted = sums["weighted_value"].to_numpy(dtype=float)[:, None] * earned
    pipeline = np.zeros((len(lines), len(months)))
    np.add.at(pipeline, index[index >= 0], weighted[index >= 0])
    return base + pipeline


def naive_last_year(
    ctx: Context, lines: pd.DataFrame, months: np.ndarray, year: int, through: int
) -> np.ndarray:
    """lines x months: last year's revenue from January through each month x the growth to date."""
    first = (year - 1) * 100 + 1  # the kept sums per branch x product x period, as run_rates reads
    revenue = kept.revenue(ctx).query("forecast_naive_revenue", first_period=first, through_period=through)
    done = through % 100 if through // 100 == year else 0
    index = _line_index(lines, revenue)
    period = revenue["period"].to_numpy(dtype=np.int64)
    amount = revenue["amount"].to_numpy(dtype=float)
    last = np.zeros((len(lines), 12))  # last year's revenue per line x month
    rows = (index >= 0) & (period // 100 == year - 1)
    np.add.at(last, (index[rows], period[rows] % 100 - 1), amount[rows])
    cumulative = last.cumsum(axis=1)
    this = (index >= 0) & (period // 100 == year) & (period % 100 <= done)
    ytd = np.bincount(index[this], weights=amount[this], minlength=len(lines))
    last_ytd = cumulative[:, done - 1] if done else np.zeros(len(lines))
    growth = np.ones(len(lines))
    if done:
        growth = np.divide(ytd, last_ytd, out=growth, where=last_ytd > 0)
    return cumulative[:, np.asarray(months, dtype=np.int64) - 1] * growth[:, None]


def baselines(ctx: Context, lines: pd.DataFrame, months: np.ndarray, year: int, through: int) -> pd.DataFrame:
    """One row per line with a branch and product x month left: both baselines of the year-end."""
    keep = (lines["branch"].notna() & lines["product"].notna()).to_numpy()
    columns = [*KEYS, "year", "month", "horizon", *NAIVE]
    if not keep.any() or len(months) == 0:
        return pd.DataFrame(columns=columns)
    pipeline = naive_pipeline(ctx, lines, months)[keep]
    last_year = naive_last_year(ctx, lines, months, year, through)[keep]
    n_lines, n_months = pipeline.shape
    return pd.DataFrame(
        {
            "branch": np.repeat(lines.loc[keep, "branch"].to_numpy(), n_months),
            "product": np.repeat(lines.loc[keep, "product"].to_numpy(), n_months),
            "year": year,
            "month": np.tile(np.asarray(months, dtype=np.int64), n_lines),
            "horizon": YEAR_END,
            "naive_pipeline": pipeline.ravel(),
            "naive_last_year": last_year.ravel(),
        }
    )[columns]


def with_baselines(
    ctx: Context, model, through: int, rows: pd.DataFrame, totals: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The freeze's rows and company totals with the year-end's baselines beside them (``model``:
    freeze.FrozenModel); the windows' rows get none (NULL), as the rows frozen before r0019."""
    naive = baselines(ctx, model.lines, model.months, model.year, through)
    company = naive.groupby(["year", "month", "horizon"], as_index=False)[list(NAIVE)].sum()
    return _joined(rows, naive, [*KEYS, "year", "month", "horizon"]), _joined(
        totals, company, ["year", "month", "horizon"]
    )


def _joined(frame: pd.DataFrame, naive: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame`` with the baselines of its matching rows (NaN where none), its order kept."""
    if frame.empty:
        return frame.reindex(columns=[*frame.columns.drop(list(NAIVE), errors="ignore"), *NAIVE])
    left = frame.drop(columns=list(NAIVE), errors="ignore")
    typed = naive.astype({"year": "int64", "month": "int64"})
    merged = left.astype({"year": "int64", "month": "int64"}).merge(typed, on=keys, how="left")
    return merged.astype({n: float for n in NAIVE})


def _line_index(lines: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    """For each of ``rows`` (branch, product), its line's position in ``lines``; -1 for none."""
    if rows.empty:
        return np.zeros(0, dtype=np.int64)
    return pd.MultiIndex.from_frame(lines[KEYS]).get_indexer(pd.MultiIndex.from_frame(rows[KEYS]))
