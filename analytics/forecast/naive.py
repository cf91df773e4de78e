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

The forward windows (next quarter, next 12 months: freeze.window_frames) are
frozen with both too, each row a line's revenue from the window's first month
through one window month, as the window forecast counts it (no booked revenue):

* ``naive_pipeline``: the 3-month run-rate x the window's months so far + the
  stage-weighted pipeline earned inside the window (a deal earns from the month
  after its expected close month, or from the window's first month when it
  closes before the window);
* ``naive_last_year``: the same months a year earlier x the line's growth over
  the last 12 known months (their revenue / the 12 months' before, over the
  months whose year-earlier month the history holds; 1 when those had none).
  A window's months a year earlier are known at the snapshot; the growth to
  date of the year-end would rest on one or two months in January, so the
  windows take the trailing year.

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


def naive_pipeline(ctx: Context, lines: pd.DataFrame, months: np.ndarray, window: bool = False) -> np.ndarray:
    """lines x months: actual_ytd + recurring_monthly x months since + the stage-weighted pipeline
    earned through each month (``lines`` as components.lines_of gives them).

    ``window``: ``months`` are a forward window's (counted from January of the year, 13 = next
    January): no revenue to date, and a deal closing before the window earns from its first month.
    """
    recurring = lines["recurring_monthly"].astype(float).fillna(0.0).to_numpy()
    base = recurring[:, None] * np.arange(1, len(months) + 1)
    if not window:
        base = base + lines["actual_ytd"].astype(float).to_numpy()[:, None]
    sums = ctx.query("forecast_naive_pipeline")
    index = _line_index(lines, sums)
    start = sums["close_month"].to_numpy(dtype=float)
    if window and len(months):
        start = np.maximum(start, float(months[0]) - 1)
    earned = np.clip(np.asarray(months, dtype=float)[None, :] - start[:, None], 0, None) / 12.0
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


def _period(year: int, month: np.ndarray) -> np.ndarray:
    """Months counted from January of ``year`` (13 = next January; 0 = December before) as YYYYMM."""
    shifted = np.asarray(month, dtype=np.int64) - 1
    return (year + shifted // 12) * 100 + shifted % 12 + 1


def naive_last_year_window(
    ctx: Context, lines: pd.DataFrame, months: np.ndarray, year: int, through: int
) -> np.ndarray:
    """lines x window months: revenue from a year before the window's first month through a year
    before each month x the line's growth over the 12 months through ``through`` (YYYYMM) against
    the 12 before them, counting only the months whose year-earlier month the history holds."""
    months = np.asarray(months, dtype=np.int64)
    known = (through // 100 - year) * 12 + through % 100  # ``through`` as a month of the count
    first = int(min(months.min() - 12, known - 23)) if len(months) else known - 23
    revenue = kept.revenue(ctx).query(
        "forecast_naive_revenue",
        first_period=int(_period(year, np.array([first]))[0]),
        through_period=through,
    )
    index = _line_index(lines, revenue)
    period = revenue["period"].to_numpy(dtype=np.int64)
    count = (period // 100 - year) * 12 + period % 100  # each row's month of the count
    amount = revenue["amount"].to_numpy(dtype=float)
    rows = index >= 0
    # Months whose year-earlier month the history holds (the first month with revenue anywhere
    # on): a history that starts 8 months before the trailing year would read as 12/8 growth.
    paired = max(known - 11, int(count.min()) + 12) if len(count) else known + 1
    trailing = rows & (count >= paired) & (count <= known)
    before = rows & (count >= paired - 12) & (count <= known - 12)
    last12 = np.bincount(index[trailing], weights=amount[trailing], minlength=len(lines))
    prior12 = np.bincount(index[before], weights=amount[before], minlength=len(lines))
    growth = np.ones(len(lines))
    growth = np.divide(last12, prior12, out=growth, where=prior12 > 0)
    earlier = np.zeros((len(lines), len(months)))  # each window month's revenue a year before
    for position, month in enumerate(months):
        hit = rows & (count == month - 12)
        earlier[:, position] = np.bincount(index[hit], weights=amount[hit], minlength=len(lines))
    return earlier.cumsum(axis=1) * growth[:, None]


def window_baselines(
    ctx: Context, lines: pd.DataFrame, months: np.ndarray, year: int, through: int, horizon: str
) -> pd.DataFrame:
    """One row per line with a branch and product x window month (year and month of the period,
    as the window's frozen rows): both baselines of a forward window."""
    keep = (lines["branch"].notna() & lines["product"].notna()).to_numpy()
    columns = [*KEYS, "year", "month", "horizon", *NAIVE]
    if not keep.any() or len(months) == 0:
        return pd.DataFrame(columns=columns)
    pipeline = naive_pipeline(ctx, lines, months, window=True)[keep]
    last_year = naive_last_year_window(ctx, lines, months, year, through)[keep]
    periods = _period(year, months)
    n_lines = int(keep.sum())
    return pd.DataFrame(
        {
            "branch": np.repeat(lines.loc[keep, "branch"].to_numpy(), len(months)),
            "product": np.repeat(lines.loc[keep, "product"].to_numpy(), len(months)),
            "year": np.tile(periods // 100, n_lines),
            "month": np.tile(periods % 100, n_lines),
            "horizon": horizon,
            "naive_pipeline": pipeline.ravel(),
            "naive_last_year": last_year.ravel(),
        }
    )[columns]


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
    freeze.FrozenModel); rows that carry baselines already (the windows': with_window_baselines)
    keep them."""
    naive = baselines(ctx, model.lines, model.months, model.year, through)
    return _beside(rows, totals, naive)


def with_window_baselines(
    ctx: Context, model, window, through: int, rows: pd.DataFrame, totals: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One window's frozen rows and company totals (``model``: horizons.WindowModel, ``window``:
    horizons.Window) with its baselines beside them."""
    naive = window_baselines(ctx, model.lines, window.months, window.year, through, window.horizon)
    return _beside(rows, totals, naive)


def _beside(
    rows: pd.DataFrame, totals: pd.DataFrame, naive: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``rows`` and ``totals`` joined to the lines' baselines and to their sums per month."""
    company = naive.groupby(["year", "month", "horizon"], as_index=False)[list(NAIVE)].sum()
    return _joined(rows, naive, [*KEYS, "year", "month", "horizon"]), _joined(
        totals, company, ["year", "month", "horizon"]
    )


def _joined(frame: pd.DataFrame, naive: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame`` with the baselines of its matching rows, its order kept; a row with none keeps
    the values it had (NaN where none)."""
    if frame.empty:
        return frame.reindex(columns=[*frame.columns.drop(list(NAIVE), errors="ignore"), *NAIVE])
    left = frame.drop(columns=list(NAIVE), errors="ignore")
    typed = naive.astype({"year": "int64", "month": "int64"})
    merged = left.astype({"year": "int64", "month": "int64"}).merge(typed, on=keys, how="left")
    merged = merged.astype({n: float for n in NAIVE})
    for name in NAIVE:
        if name in frame:
            had = frame[name].astype(float).to_numpy()
            merged[name] = merged[name].where(merged[name].notna(), had)
    return merged


def _line_index(lines: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    """For each of ``rows`` (branch, product), its line's position in ``lines``; -1 for none."""
    if rows.empty:
        return np.zeros(0, dtype=np.int64)
    return pd.MultiIndex.from_frame(lines[KEYS]).get_indexer(pd.MultiIndex.from_frame(rows[KEYS]))
