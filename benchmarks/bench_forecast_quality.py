"""How good is the forecast?  Coverage, calibration and accuracy on the demo data (issue 16).

Builds the demo (``python -m analytics demo``) for each seed asked, unless the
file is there already, and prints for each:

* P10–P90 coverage of the frozen forecasts: every snapshot's forecast is
  recomputed exactly as the freeze computes it (freeze.frozen_model at that
  snapshot, revenue known up to the month before), per branch x product line
  and month since loaded, and for the company total (its band from the
  lines summed run by run, which the per-line frozen rows cannot give);
* the Brier score of p(o) against the stage-only baseline, with mean predicted
  and observed, and each reliability bucket with its interval
  (calibration.calibration_report, the page's backtest);
* the P50's MAPE and bias against two naive baselines scored on the same rows:
  ``naive_pipeline`` = revenue to date + last 3 months' recurring run-rate +
  stage-rate-weighted pipeline (no slips), and ``naive_last_year`` = the same
  months last year x this year's growth to date.

Bias = Σ (actual − forecast) / Σ actual: positive when forecasts run low.
Each coverage carries Wilson's interval on its effective number of outcomes
(frozen.coverage_interval: forecasts of the same line x month, or the same
company month, frozen at different weeks meet one actual and count as one).
Not part of the test run:

    .venv/bin/python benchmarks/bench_forecast_quality.py [--seeds 20261125 7] [--as-of D] [--rebuild]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.context import Context  # noqa: E402
from analytics.db import get_engine, read_frame  # noqa: E402
from analytics.forecast.calibration import calibration_report  # noqa: E402
from analytics.forecast.components import run_rates  # noqa: E402
from analytics.forecast.freeze import frozen_model, known_through  # noqa: E402
from analytics.forecast.frozen import coverage_interval  # noqa: E402
from analytics.forecast.horizons import window_lines, window_of  # noqa: E402
from analytics.forecast.probabilities import open_pipeline  # noqa: E402
from analytics.metrics.options import snapshot_dates  # noqa: E402
from analytics.scope import Scope  # noqa: E402
from analytics.settings import Settings  # noqa: E402

KEYS = ["branch", "product"]


def demo_db(seed: int, as_of: date, rebuild: bool, scale: float = 1.0) -> str:
    """The demo warehouse of ``seed`` at ``scale`` (built once into /tmp)."""
    path = Path(f"/tmp/bench_forecast_quality_{seed}_{as_of:%Y%m%d}_{scale:g}.duckdb")
    if rebuild and path.exists():
        path.unlink()
    url = f"duckdb:///{path}"
    if not path.exists():
        command = [
            sys.executable,
            "-m",
            "analytics",
            "demo",
            "--db",
            url,
            "--seed",
            str(seed),
            "--scale",
            f"{scale:g}",
        ]
        subprocess.run([*command, "--as-of", as_of.isoformat()], cwd=ROOT, check=True, capture_output=True)
    return url


def cumulative_revenue(engine) -> pd.DataFrame:
    """branch, product, year, month, cumulative revenue of the year through that month."""
    with engine.connect() as conn:
        frame = read_frame(
            conn,
            "SELECT branch, product, year, month, SUM(amount) AS amount FROM stg_revenue "
            "GROUP BY branch, product, year, month",
        )
    frame["amount"] = frame["amount"].astype(float)
    full = frame.pivot_table(index=[*KEYS, "year"], columns="month", values="amount", fill_value=0.0)
    full = full.reindex(columns=range(1, 13), fill_value=0.0).cumsum(axis=1)
    return full.stack().rename("cumulative").reset_index()


def naive_pipeline(ctx: Context, model, months: np.ndarray) -> np.ndarray:
    """lines x months: revenue to date + 3-month run-rate + Σ stage_rate x value x months earned / 12."""
    lines = model.lines
    rates = run_rates(ctx, known_through(ctx.as_of)).set_index(KEYS)["recurring_monthly"]
    recurring = rates.reindex(pd.MultiIndex.from_frame(lines[KEYS])).fillna(0.0).to_numpy()
    base = lines["actual_ytd"].to_numpy()[:, None] + recurring[:, None] * np.arange(1, len(months) + 1)
    deals = open_pipeline(ctx)
    index = pd.MultiIndex.from_frame(lines[KEYS]).get_indexer(pd.MultiIndex.from_frame(deals[KEYS]))
    earned = np.clip(months[None, :] - deals["close_month"].to_numpy()[:, None], 0, None) / 12.0
    weighted = (deals["stage_rate"] * deals["annual_value"]).to_numpy(dtype=float)[:, None] * earned
    pipeline = np.zeros((len(lines), len(months)))
    np.add.at(pipeline, index[index >= 0], weighted[index >= 0])
    return base + pipeline


def forecasts_at(ctx: Context, revenue: pd.DataFrame) -> pd.DataFrame:
    """One row per line x month not loaded at the snapshot: model band and both naive forecasts."""
    through = known_through(ctx.as_of)
    model = frozen_model(ctx, through)
    months, lines = model.months, model.lines
    if not len(months):
        return pd.DataFrame()
    quantiles = np.quantile(model.paths, [0.1, 0.5, 0.9], axis=1) + model.base_through[None]
    total = np.quantile(model.paths.sum(0), [0.1, 0.5, 0.9], axis=0) + model.base_through.sum(0)[None]
    naive = naive_pipeline(ctx, model, months)
    done = through % 100 if through // 100 == model.year else 0
    history = revenue.set_index([*KEYS, "year", "month"])["cumulative"]
    rows = []
    for g in range(len(lines)):
        key = (lines.at[g, "branch"], lines.at[g, "product"])
        last = [history.get((*key, model.year - 1, m), 0.0) for m in months]
        ytd, ly_ytd = (
            history.get((*key, model.year, done), 0.0),
            history.get((*key, model.year - 1, done), 0.0),
        )
        growth = ytd / ly_ytd if done and ly_ytd > 0 else 1.0
        for i, month in enumerate(months):
            rows.append(
                {
                    "snapshot_date": ctx.as_of, "month": int(month), "branch": key[0], "product": key[1],
                    "p10": quantiles[0][g, i], "p50": quantiles[1][g, i], "p90": quantiles[2][g, i],
                    "naive_pipeline": naive[g, i], "naive_last_year": last[i] * growth,
                    "total_p10": total[0, i], "total_p50": total[1, i], "total_p90": total[2, i],
                }
            )  # fmt: skip
    return pd.DataFrame(rows).assign(year=model.year)


def monthly_revenue(engine) -> pd.Series:
    """Revenue per (branch, product, period YYYYMM)."""
    with engine.connect() as conn:
        frame = read_frame(
            conn,
            "SELECT branch, product, period, SUM(amount) AS amount FROM stg_revenue "
            "GROUP BY branch, product, period",
        )
    return frame.set_index([*KEYS, "period"])["amount"].astype(float)


def window_rows(ctx: Context, monthly: pd.Series, horizon: str, data_through: int) -> pd.DataFrame:
    """A forward window's forecast at a snapshot, as the page computes it with the revenue known then
    (freeze.known_through), scored per line and company on each window month that has arrived:
    the window's revenue from its first month through that month against P10/P50/P90."""
    known = known_through(ctx.as_of)
    window = window_of(horizon, ctx.as_of, known)  # type: ignore[arg-type]
    lines, paths, _ = window_lines(ctx, window, known, through=known)
    periods = [window.period(m) for m in window.months]
    arrived = [i for i, period in enumerate(periods) if period <= data_through]
    if not arrived:
        return pd.DataFrame()
    quantiles = np.quantile(paths[:, :, arrived], [0.1, 0.5, 0.9], axis=1)
    total = np.quantile(paths[:, :, arrived].sum(0), [0.1, 0.5, 0.9], axis=0)
    rows = []
    for g in range(len(lines)):
        key = (lines.at[g, "branch"], lines.at[g, "product"])
        actual = np.cumsum([monthly.get((*key, period), 0.0) for period in periods])
        for j, i in enumerate(arrived):
            rows.append(
                {
                    "horizon": horizon, "snapshot_date": ctx.as_of, "period": periods[i], "ahead": i + 1,
                    "branch": key[0], "product": key[1], "actual": actual[i],
                    "p10": quantiles[0][g, j], "p50": quantiles[1][g, j], "p90": quantiles[2][g, j],
                    "total_p10": total[0, j], "total_p50": total[1, j], "total_p90": total[2, j],
                }
            )  # fmt: skip
    return pd.DataFrame(rows)


def horizon_backtest(engine, settings: Settings, days: list[date], data_through: int) -> pd.DataFrame:
    """Per horizon x level: coverage with its interval, MAPE, bias; all and by months ahead."""
    monthly = monthly_revenue(engine)
    out = []
    for horizon in ("next_quarter", "next_12_months"):
        frames = [
            window_rows(Context(engine, Scope.company(), settings, day), monthly, horizon, data_through)
            for day in days
        ]
        if not any(len(f) for f in frames):
            continue
        lines = pd.concat([f for f in frames if len(f)], ignore_index=True)
        lines["inside"] = (lines["actual"] >= lines["p10"]) & (lines["actual"] <= lines["p90"])
        company = lines.groupby(["snapshot_date", "period", "ahead"]).agg(
            actual=("actual", "sum"), p10=("total_p10", "first"), p50=("total_p50", "first"),
            p90=("total_p90", "first"),
        ).reset_index()  # fmt: skip
        company["inside"] = (company["actual"] >= company["p10"]) & (company["actual"] <= company["p90"])
        outcome = {
            "lines": lines[KEYS].astype(str).agg("|".join, axis=1) + "|" + lines["period"].astype(str),
            "company": company["period"],
        }
        for level, frame in (("lines", lines), ("company", company)):
            for ahead, part in [("all", frame), *frame.groupby("ahead")]:
                interval = coverage_interval(part["inside"], outcome[level].loc[part.index])
                out.append(
                    {"horizon": horizon, "level": level, "ahead": ahead, **interval, **scores(part, "p50")}
                )
    return pd.DataFrame(out)


def scores(frame: pd.DataFrame, forecast: str) -> dict:
    """MAPE (mean |error| / actual over rows with actual > 0) and bias of one forecast column."""
    error = frame["actual"] - frame[forecast]
    positive = frame["actual"] > 0
    return {
        "mape": float((error[positive].abs() / frame.loc[positive, "actual"]).mean()),
        "bias": float(error.sum() / frame["actual"].sum()),
    }


def evaluate(url: str, as_of: date) -> dict:
    """Every figure of the module docstring for one warehouse."""
    engine = get_engine(url)
    settings = Settings()
    ctx = Context(engine, Scope.company(), settings, as_of)
    reliability = calibration_report(ctx).set_index(["model", "bucket"])  # before the snapshots' caches
    revenue = cumulative_revenue(engine)
    with engine.connect() as conn:
        data_through = int(read_frame(conn, "SELECT MAX(period) AS p FROM stg_revenue")["p"].iloc[0])
    days = snapshot_dates(ctx)
    frames = [forecasts_at(Context(engine, Scope.company(), settings, day), revenue) for day in days]
    frozen = pd.concat([f for f in frames if len(f)], ignore_index=True)
    frozen = frozen[frozen["year"] * 100 + frozen["month"] <= data_through]
    actual = revenue.rename(columns={"cumulative": "actual"})
    lines = frozen.merge(actual, on=[*KEYS, "year", "month"], how="left").fillna({"actual": 0.0})
    lines["inside"] = (lines["actual"] >= lines["p10"]) & (lines["actual"] <= lines["p90"])
    company = lines.groupby(["snapshot_date", "month"]).agg(
        actual=("actual", "sum"), p50=("p50", "sum"), naive_pipeline=("naive_pipeline", "sum"),
        naive_last_year=("naive_last_year", "sum"), p10=("total_p10", "first"), p90=("total_p90", "first"),
        p50_total=("total_p50", "first"),
    )  # fmt: skip
    company["inside"] = (company["actual"] >= company["p10"]) & (company["actual"] <= company["p90"])
    company["p50"] = company["p50_total"]
    line_outcome = lines[KEYS].astype(str).agg("|".join, axis=1) + "|" + lines["month"].astype(str)
    month_of = company.index.get_level_values("month").to_series(index=company.index)
    return {
        "rows": len(lines),
        "company_rows": len(company),
        "coverage_lines": float(lines["inside"].mean()),
        "coverage_company": float(company["inside"].mean()),
        "interval_lines": coverage_interval(lines["inside"], line_outcome),
        "interval_company": coverage_interval(company["inside"], month_of),
        "brier": float(reliability.loc[("calibrated", "all"), "brier_score"]),
        "brier_stage_only": float(reliability.loc[("stage_only", "all"), "brier_score"]),
        "predicted": float(reliability.loc[("calibrated", "all"), "predicted"]),
        "observed": float(reliability.loc[("calibrated", "all"), "observed"]),
        "buckets": reliability.loc["calibrated"].reset_index(),
        "horizons": horizon_backtest(engine, settings, days, data_through),
        **{f"lines_{k}": scores(lines, k) for k in ("p50", "naive_pipeline", "naive_last_year")},
        **{f"company_{k}": scores(company, k) for k in ("p50", "naive_pipeline", "naive_last_year")},
    }


def report(seed: int, figures: dict) -> None:
    """Print one seed's figures."""
    f = figures
    print(f"seed {seed}: {f['rows']} line forecasts, {f['company_rows']} company forecasts scored")
    print(f"  P10-P90 coverage: lines {f['coverage_lines']:.1%}, company total {f['coverage_company']:.1%}")
    for level in ("lines", "company"):
        i = f[f"interval_{level}"]
        print(
            f"    {level}: {i['rows']} rows = {i['effective']:.1f} independent outcomes; "
            f"Wilson 95% [{i['low']:.1%}, {i['high']:.1%}]"
        )
    print(
        f"  Brier p(o) {f['brier']:.4f} vs stage_only {f['brier_stage_only']:.4f}; "
        f"mean predicted {f['predicted']:.3f} vs observed {f['observed']:.3f}"
    )
    for row in f["buckets"].itertuples():
        mark = "" if row.within else "  outside"
        print(
            f"    {row.bucket:>7}: predicted {row.predicted:.3f} observed {row.observed:.3f} "
            f"[{row.observed_low:.3f}, {row.observed_high:.3f}] of {row.predictions}{mark}"
        )
    for level in ("lines", "company"):
        parts = [
            f"{name} MAPE {f[f'{level}_{name}']['mape']:.2%} bias {f[f'{level}_{name}']['bias']:+.2%}"
            for name in ("p50", "naive_pipeline", "naive_last_year")
        ]
        print(f"  {level}: " + "; ".join(parts))
    for row in f["horizons"].itertuples():
        print(
            f"  {row.horizon} {row.level} ahead {row.ahead}: coverage {row.coverage:.1%} of {row.rows} "
            f"(= {row.effective:.1f} outcomes, [{row.low:.1%}, {row.high:.1%}]); "
            f"P50 MAPE {row.mape:.2%} bias {row.bias:+.2%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[Settings().demo_seed, 7])
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 12, 4))
    parser.add_argument("--rebuild", action="store_true", help="regenerate the demo warehouses")
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (the smoke test runs 0.05)")
    args = parser.parse_args()
    for seed in args.seeds:
        report(seed, evaluate(demo_db(seed, args.as_of, args.rebuild, args.scale), args.as_of))


if __name__ == "__main__":
    main()
