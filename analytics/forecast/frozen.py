"""Frozen forecasts scored against the revenue that arrived after them.

Each frozen row is one branch x product line's cumulative revenue from January
through a month that was not loaded when the forecast was frozen.  Once that
month's revenue is in, the row is scored: error = actual - expected, bias =
Σ error / Σ actual (positive: the forecasts were too low), and coverage = the
share of rows whose actual fell inside P10..P90 (about 0.8 if the band is
honest).  Rows are per line, the grain the band was computed at; the company
total has its own frozen band (forecast_snapshot_totals, issue 16), scored the
same way for the company view.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import schema
from analytics.context import Context, period_of

NAIVE = ("naive_pipeline", "naive_last_year")
"""The naive baselines frozen beside the P50 (naive.py), scored as it is."""
SCORED = ("p50", *NAIVE)
BASELINE_COLUMNS = [f"{name}_{score}" for name in SCORED for score in ("mape", "bias")]
"""p50_mape, p50_bias, naive_pipeline_mape … : the P50's and the baselines' MAPE and bias."""
COLUMNS = [
    "level", "snapshot_date", "month", "lines", "expected", "actual", "error", "bias", "coverage", "horizon",
    *BASELINE_COLUMNS,
]  # fmt: skip
"""``report forecast_backtest``: per horizon and level (lines | company), snapshot x month; an 'all'
row per horizon and level, the only rows with the P50's and the baselines' MAPE and bias.  The
year-end's rows come first, as before the windows were frozen."""
YEAR_END = "year_end"
FROZEN_HORIZONS = (YEAR_END, "next_quarter", "next_12_months")
"""The horizons frozen each week (freeze.py): the year-end and the forward windows."""


def frozen_scores(ctx: Context, horizon: str | None = YEAR_END) -> pd.DataFrame:
    """One row per frozen forecast of ``horizon`` (None: every horizon) in scope whose month has
    since been loaded, with actual and error."""
    scores = ctx.query("forecast_scores", through_period=period_of(ctx.as_of))
    return scores if horizon is None else _of_horizon(scores, horizon)


def _of_horizon(frame: pd.DataFrame, horizon: str) -> pd.DataFrame:
    """The rows of one horizon, renumbered."""
    if "horizon" not in frame.columns:
        return frame
    return frame[frame["horizon"] == horizon].reset_index(drop=True)


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
    """Frozen forecasts for the calibration page: the year-end's summary (lines, company total),
    scores by snapshot and by months ahead, and history; every horizon's backtest (by_horizon)."""
    all_scores, all_totals = frozen_scores(ctx, None), total_scores(ctx, None)
    scores, totals = _of_horizon(all_scores, YEAR_END), _of_horizon(all_totals, YEAR_END)
    return {
        "frozen_by_horizon": by_horizon(all_scores, all_totals),
        "frozen_in_scope": ctx.scope.level in ("company", "branch"),  # kept per branch x product only
        "frozen_summary": _summary(scores),
        "frozen_company_summary": _summary(totals),
        "frozen_company_in_scope": ctx.scope.level == "company" and not ctx.filters.active(),
        "frozen_by_snapshot": by_snapshot(scores),
        "frozen_by_lead": by_lead(scores, totals),
        "frozen_history": frozen_history(ctx),
    }


def coverage_interval(inside: pd.Series, outcome: pd.Series) -> dict:
    """Coverage of the P10-P90 band with Wilson's interval on its effective number of outcomes.

    Forecasts of the same outcome (one line's or the company's revenue through
    one month) frozen at different weeks meet the same actual, so they miss or
    hit together: the rows are clusters, not independent trials.  With the
    outcomes taken as wholly correlated inside a cluster (the conservative end),
    Kish's effective count is (Σ n_c)² / Σ n_c², e.g. 20 company rows over three
    months (6, 7, 7) stand for 2.99 outcomes, and 60 % of them is not evidence
    against an 80 % band.  ``outcome`` labels each row's cluster.
    """
    from analytics.forecast.calibration import wilson  # calibration imports this module

    if inside.empty:
        return {
            "coverage": float("nan"),
            "rows": 0,
            "effective": 0.0,
            "low": float("nan"),
            "high": float("nan"),
        }
    sizes = outcome.value_counts().to_numpy(dtype=float)
    effective = float(sizes.sum() ** 2 / (sizes**2).sum())
    coverage = float(inside.astype(float).mean())
    low, high = wilson(coverage * effective, effective)
    return {"coverage": coverage, "rows": len(inside), "effective": effective, "low": low, "high": high}


LEAD_COLUMNS = ["months_ahead", "lines_scored", "lines_coverage", "company_scored", "company_coverage"]


def months_ahead(frame: pd.DataFrame) -> pd.Series:
    """Months from the snapshot's month to the month forecast (the cumulative month of the frozen row)."""
    day = pd.to_datetime(frame["snapshot_date"])
    return frame["year"].astype(int) * 12 + frame["month"].astype(int) - (day.dt.year * 12 + day.dt.month)


def by_lead(scores: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Coverage of the P10-P90 band by months ahead, per line and for the company total.

    The frozen forecasts are year-end only (the cumulative revenue through each
    month left in the snapshot's year), so there is no frozen 12-month horizon;
    the longest leads here are the nearest to it, and show whether the band
    stays honest further out.
    """
    parts = []
    for name, frame in (("lines", scores), ("company", totals)):
        if frame.empty:
            continue
        inside = frame["inside_band"].astype(float)
        grouped = inside.groupby(months_ahead(frame).rename("months_ahead"))
        parts.append(grouped.agg(["size", "mean"]).set_axis([f"{name}_scored", f"{name}_coverage"], axis=1))
    if not parts:
        return pd.DataFrame(columns=LEAD_COLUMNS)
    frame = pd.concat(parts, axis=1).sort_index().reset_index()
    return frame.reindex(columns=LEAD_COLUMNS)


HORIZON_COLUMNS = [
    "horizon", "level", "rows", "effective", "coverage", "low", "high", "mape", "bias",
    *BASELINE_COLUMNS[2:],
]  # fmt: skip
"""by_horizon: per horizon x level the P10-P90 coverage with Wilson's interval on its effective
outcomes (coverage_interval), and the P50's MAPE and bias, then the naive baselines' (NaN where
no row of it has one: frozen before r0019, or a forward window)."""


def p50_scores(actual: pd.Series, forecast: pd.Series) -> dict:
    """MAPE (mean |actual - forecast| / actual over rows with actual > 0) and bias
    (Σ (actual - forecast) / Σ actual: positive when the forecasts ran low) of one forecast."""
    actual, forecast = actual.astype(float), forecast.astype(float)
    error, positive = actual - forecast, actual > 0
    total = actual.sum()
    return {
        "mape": float((error[positive].abs() / actual[positive]).mean()) if positive.any() else np.nan,
        "bias": float(error.sum() / total) if total else np.nan,
    }


def baseline_scores(frame: pd.DataFrame) -> dict:
    """The naive baselines' MAPE and bias (p50_scores), each over the rows that have it: rows frozen
    before the baselines were hold NULL and count for neither side of that baseline."""
    out: dict[str, float] = {}
    for name in NAIVE:
        column = frame[name] if name in frame.columns else pd.Series(np.nan, index=frame.index)
        held = column.notna()
        scores = p50_scores(frame.loc[held, "actual"], column[held]) if held.any() else {}
        out |= {f"{name}_mape": scores.get("mape", np.nan), f"{name}_bias": scores.get("bias", np.nan)}
    return out


def _outcomes(frame: pd.DataFrame, level: str) -> pd.Series:
    """The outcome each scored row forecasts (coverage_interval's clusters): a line's or the
    company's revenue through one month, whichever week froze it."""
    month = frame["year"].astype(str) + "-" + frame["month"].astype(str)
    if level == "company":
        return month
    return frame["branch"].astype(str) + "|" + frame["product"].astype(str) + "|" + month


def by_horizon(scores: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Per frozen horizon and level (lines, company): the backtest of its frozen forecasts.

    ``scores`` and ``totals`` of every horizon (frozen_scores / total_scores with
    horizon None).  A horizon with nothing scored yet has no row.
    """
    rows = []
    for horizon in FROZEN_HORIZONS:
        for level, frame in (("lines", scores), ("company", totals)):
            part = _of_horizon(frame, horizon)
            if part.empty:
                continue
            interval = coverage_interval(part["inside_band"].astype(bool), _outcomes(part, level))
            rows.append(
                {
                    "horizon": horizon, "level": level, **interval,
                    **p50_scores(part["actual"], part["p50"]), **baseline_scores(part),
                }
            )  # fmt: skip
    return pd.DataFrame(rows, columns=HORIZON_COLUMNS)


def total_scores(ctx: Context, horizon: str | None = YEAR_END) -> pd.DataFrame:
    """Frozen company totals of ``horizon`` (None: every horizon) whose month has since been loaded;
    none unless the whole company is viewed."""
    if ctx.scope.level != "company" or ctx.filters.active():
        columns = ["snapshot_date", "horizon", "month", "lines", "expected", "actual", "error"]
        return pd.DataFrame(columns=columns)
    schema.metadata.create_all(ctx.engine, tables=[schema.forecast_snapshot_totals])
    totals = ctx.query("forecast_scores_total", through_period=period_of(ctx.as_of))
    return totals if horizon is None else _of_horizon(totals, horizon)


def _company_rows(totals: pd.DataFrame) -> pd.DataFrame:
    """Per snapshot x month: the company total's error, bias and whether it fell inside its band."""
    if totals.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = totals.assign(
        level="company",
        coverage=totals["inside_band"].astype(float),
        bias=totals["error"].astype(float) / totals["actual"].astype(float).where(totals["actual"] != 0),
    )
    return frame.reindex(columns=COLUMNS)


def _all_row(level: str, scores: pd.DataFrame) -> dict:
    """One row summing a level: forecasts scored (lines), expected, actual, bias, coverage."""
    summary = _summary(scores)
    expected, actual = scores["expected"].astype(float).sum(), scores["actual"].astype(float).sum()
    p50 = p50_scores(scores["actual"], scores["p50"])
    return {
        "level": level, "snapshot_date": "all", "month": None, "lines": summary["scored"],
        "expected": expected, "actual": actual, "error": actual - expected,
        "bias": summary["bias"], "coverage": summary["coverage"],
        "p50_mape": p50["mape"], "p50_bias": p50["bias"], **baseline_scores(scores),
    }  # fmt: skip


def forecast_backtest_report(ctx: Context, horizon: str = YEAR_END) -> pd.DataFrame:
    """``report forecast_backtest [--horizon H]``: the frozen forecasts of one horizon (the
    year-end's unless asked: the rows an outside check of the year-end reads keep their shape;
    ``--horizon next_quarter`` / ``next_12_months`` give the windows, as 预测校准 shows them)
    scored per snapshot and month, per line and company.

    level 'lines': the branch x product forecasts (lines = how many were scored,
    coverage = the share inside their band); level 'company': the company total's
    own band (lines = the lines it sums, coverage 1 or 0); an 'all' row per level.
    A window's month is scored on the revenue from the window's first month through it;
    a horizon never frozen (next year) has no rows.
    """
    scores = _of_horizon(frozen_scores(ctx, None), horizon)
    totals = _of_horizon(total_scores(ctx, None), horizon)
    frames = [by_snapshot(scores).assign(level="lines", horizon=horizon), _company_rows(totals)]
    summaries = [_all_row("lines", scores)] if len(scores) else []
    summaries += [_all_row("company", totals)] if len(totals) else []
    frames.append(pd.DataFrame(summaries, columns=COLUMNS).assign(horizon=horizon))
    frames = [f.reindex(columns=COLUMNS) for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def backtest_health(ctx: Context, horizon: str = YEAR_END) -> dict:
    """How the frozen forecasts in scope fared so far, and whether the page should warn.

    The backtest of ``horizon`` (the one the page shows) once it has at least
    forecast_backtest_min_scored scored rows, else the year-end's (``horizon`` in the
    result says which).  coverage_ok: the share inside P10-P90 lies in
    [forecast_coverage_min, forecast_coverage_max]; bias_ok: |bias| is at most
    forecast_bias_max.  None when nothing is scored yet.
    """
    scores = frozen_scores(ctx, None)
    own = _of_horizon(scores, horizon)
    used = horizon if len(own) >= ctx.settings.forecast_backtest_min_scored else YEAR_END
    part = own if used == horizon else _of_horizon(scores, YEAR_END)
    summary = _summary(part)
    low, high = ctx.settings.forecast_coverage_min, ctx.settings.forecast_coverage_max
    scored = summary["scored"] > 0
    return summary | {
        "horizon": used,
        "coverage_ok": bool(low <= summary["coverage"] <= high) if scored else None,
        "bias_ok": bool(abs(summary["bias"]) <= ctx.settings.forecast_bias_max)
        if scored and not pd.isna(summary["bias"])
        else None,
        "coverage_range": (low, high),
        "bias_max": ctx.settings.forecast_bias_max,
        "naive_better": naive_better(part),
    }


def naive_better(scores: pd.DataFrame) -> list[str]:
    """The naive baselines whose MAPE is below the P50's, each compared on the rows that have it
    (the same rows and actuals for both): a forecast that loses to one is not worth its band."""
    better = []
    for name in NAIVE:
        held = scores[name].notna() if name in scores.columns else pd.Series(False, index=scores.index)
        if not held.any():
            continue
        rows = scores[held]
        if p50_scores(rows["actual"], rows[name])["mape"] < p50_scores(rows["actual"], rows["p50"])["mape"]:
            better.append(name)
    return better
