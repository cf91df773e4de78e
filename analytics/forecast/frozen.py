"""Frozen forecasts scored against the revenue that arrived after them.

Each frozen row is one branch x product line's cumulative revenue from January
through a month that was not loaded when the forecast was frozen.  Once that
month's revenue is in, the row is scored: error = actual - expected, bias =
Σ error / Σ actual (positive: the forecasts were too low), and coverage = the
share of rows whose actual fell inside P10..P90 (about 0.8 if the band is
honest).  Rows are per line, the grain the band was computed at.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.context import Context, period_of


def frozen_scores(ctx: Context) -> pd.DataFrame:
    """One row per frozen forecast in scope whose month has since been loaded, with actual and error."""
    return ctx.query("forecast_scores", through_period=period_of(ctx.as_of))


def _summary(scores: pd.DataFrame) -> dict:
    """Scored rows, mean absolute percentage error, bias and P10-P90 coverage."""
    if scores.empty:
        return {"scored": 0, "mape": np.nan, "bias": np.nan, "coverage": np.nan}
    actual = scores["actual"].astype(float)
    error = scores["error"].astype(float)
    ape = (error.abs() / actual.abs()).replace(np.inf, np.nan)
    return {
        "scored": len(scores),
        "mape": ape.mean(),
        "bias": error.sum() / actual.sum() if actual.sum() else np.nan,
        "coverage": scores["inside_band"].astype(float).mean(),
    }


def by_snapshot(scores: pd.DataFrame) -> pd.DataFrame:
    """Per snapshot x month scored: lines, expected and actual summed over lines, bias, coverage."""
    columns = ["snapshot_date", "month", "lines", "expected", "actual", "error", "bias", "coverage"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    grouped = scores.assign(inside=scores["inside_band"].astype(float)).groupby(["snapshot_date", "month"])
    frame = grouped.agg(lines=("branch", "size"), expected=("expected", "sum"), actual=("actual", "sum"))
    frame["coverage"] = grouped["inside"].mean()
    frame["error"] = frame["actual"] - frame["expected"]
    frame["bias"] = frame["error"] / frame["actual"].where(frame["actual"] != 0)
    return frame.reset_index()[columns]


def frozen_history(ctx: Context) -> pd.DataFrame:
    """Per snapshot frozen this year: the year-end forecast it gave for the lines in scope."""
    return ctx.query("forecast_frozen_history", year=ctx.as_of.year)


def frozen_forecasts(ctx: Context) -> dict:
    """Frozen forecasts for the calibration page: summary, scores by snapshot, year-end history."""
    scores = frozen_scores(ctx)
    return {
        "frozen_in_scope": ctx.scope.level in ("company", "branch"),  # kept per branch x product only
        "frozen_summary": _summary(scores),
        "frozen_by_snapshot": by_snapshot(scores),
        "frozen_history": frozen_history(ctx),
    }


def forecast_backtest_report(ctx: Context) -> pd.DataFrame:
    """``report forecast_backtest``: frozen forecasts scored, per snapshot and month."""
    return by_snapshot(frozen_scores(ctx))
