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
  months last year x this year's growth to date (analytics/forecast/naive.py, the
  definitions the freeze writes beside the P50; the frozen ones are printed with the
  frozen year-end, marked where they differ from these).

* the forward windows (next quarter, next 12 months) recomputed at each snapshot as
  the freeze computes them (freeze.window_frames, the page's window model with the
  revenue known then) and scored on each window month that has arrived, all and by
  months ahead;
* every horizon's figures read back from the frozen tables (frozen.by_horizon, as
  预测校准 shows them; windows are frozen first in a warehouse built before they
  were), each marked where it differs from the recomputed one: they are equal when
  the warehouse was frozen by the same code (a demo built before a model change
  keeps what the model said then; --rebuild).

Bias = Σ (actual − forecast) / Σ actual: positive when forecasts run low.
Each coverage carries Wilson's interval on its effective number of outcomes
(frozen.coverage_interval: forecasts of the same line x month, or the same
company month, frozen at different weeks meet one actual and count as one).
Not part of the test run:

    .venv/bin/python benchmarks/bench_forecast_quality.py [--seeds 20261125 7] [--as-of D] [--rebuild]
        [--workdir /tmp]
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
from analytics.forecast.components import known_months  # noqa: E402
from analytics.forecast.freeze import freeze_all, frozen_model, known_through, window_frames  # noqa: E402
from analytics.forecast.frozen import (  # noqa: E402
    by_horizon,
    coverage_interval,
    frozen_scores,
    p50_scores,
    total_scores,
)
from analytics.forecast.naive import naive_last_year, naive_pipeline  # noqa: E402
from analytics.metrics.attainment import budget_attainment  # noqa: E402
from analytics.metrics.options import snapshot_dates  # noqa: E402
from analytics.scope import Scope  # noqa: E402
from analytics.settings import Settings  # noqa: E402

KEYS = ["branch", "product"]


def demo_db(seed: int, as_of: date, rebuild: bool, scale: float = 1.0, workdir: str = "/tmp") -> str:
    """The demo warehouse of ``seed`` at ``scale`` (built once into ``workdir``)."""
    path = Path(workdir) / f"bench_forecast_quality_{seed}_{as_of:%Y%m%d}_{scale:g}.duckdb"
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


def forecasts_at(ctx: Context) -> pd.DataFrame:
    """One row per line x month not loaded at the snapshot: model band and both naive forecasts."""
    through = known_through(ctx.as_of)
    model = frozen_model(ctx, through)
    months, lines = model.months, model.lines
    if not len(months):
        return pd.DataFrame()
    quantiles = np.quantile(model.paths, [0.1, 0.5, 0.9], axis=1) + model.base_through[None]
    total = np.quantile(model.paths.sum(0), [0.1, 0.5, 0.9], axis=0) + model.base_through.sum(0)[None]
    naive = naive_pipeline(ctx, lines, months)  # naive.py: the freeze's own definitions
    last_year = naive_last_year(ctx, lines, months, model.year, through)
    rows = []
    for g in range(len(lines)):
        key = (lines.at[g, "branch"], lines.at[g, "product"])
        for i, month in enumerate(months):
            rows.append(
                {
                    "snapshot_date": ctx.as_of, "month": int(month), "branch": key[0], "product": key[1],
                    "p10": quantiles[0][g, i], "p50": quantiles[1][g, i], "p90": quantiles[2][g, i],
                    "naive_pipeline": naive[g, i], "naive_last_year": last_year[g, i],
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


def window_rows(ctx: Context, monthly: pd.Series, data_through: int) -> pd.DataFrame:
    """The forward windows' forecasts at a snapshot, recomputed as the freeze computes them
    (freeze.window_frames: the page's window model with the revenue known then), scored per line
    and company on each window month that has arrived: the window's revenue from its first
    month through that month against P10/P50/P90."""
    known = known_through(ctx.as_of)
    placed, _ = known_months(budget_attainment(ctx, through_period=known))
    rows, totals = window_frames(ctx, known, placed, ctx.as_of)
    out = []
    for level, frame in (("lines", rows), ("company", totals)):
        if frame.empty:
            continue
        frame = frame.assign(level=level, period=frame["year"] * 100 + frame["month"])
        first = frame.groupby("horizon")["period"].transform("min")
        frame = frame[frame["period"] <= data_through].assign(first=first)
        periods = sorted(monthly.index.get_level_values("period").unique())
        for row in frame.itertuples():
            span = [q for q in periods if row.first <= q <= row.period]
            if level == "lines":
                actual = sum(monthly.get((row.branch, row.product, q), 0.0) for q in span)
            else:
                actual = float(monthly[monthly.index.get_level_values("period").isin(span)].sum())
            out.append(
                {
                    "horizon": row.horizon, "level": level, "snapshot_date": ctx.as_of, "period": row.period,
                    "ahead": periods_between(row.first, row.period) + 1,
                    "branch": getattr(row, "branch", None), "product": getattr(row, "product", None),
                    "actual": actual, "p10": row.p10, "p50": row.p50, "p90": row.p90,
                    "naive_pipeline": row.naive_pipeline, "naive_last_year": row.naive_last_year,
                }
            )  # fmt: skip
    return pd.DataFrame(out)


def periods_between(first: int, last: int) -> int:
    """Months from YYYYMM ``first`` to ``last``."""
    return (last // 100 - first // 100) * 12 + last % 100 - first % 100


def horizon_backtest(engine, settings: Settings, days: list[date], data_through: int) -> pd.DataFrame:
    """Per horizon x level: coverage with its interval, MAPE, bias; all and by months ahead."""
    monthly = monthly_revenue(engine)
    frames = [
        window_rows(Context(engine, Scope.company(), settings, day), monthly, data_through) for day in days
    ]
    if not any(len(f) for f in frames):
        return pd.DataFrame()
    scored = pd.concat([f for f in frames if len(f)], ignore_index=True)
    scored["inside"] = (scored["actual"] >= scored["p10"]) & (scored["actual"] <= scored["p90"])
    line = scored["branch"].astype(str) + "|" + scored["product"].astype(str) + "|"
    scored["outcome"] = (line.where(scored["level"] == "lines", "")) + scored["period"].astype(str)
    out = []
    for (horizon, level), frame in scored.groupby(["horizon", "level"], sort=False):
        for ahead, part in [("all", frame), *frame.groupby("ahead")]:
            interval = coverage_interval(part["inside"], part["outcome"])
            out.append(
                {
                    "horizon": horizon, "level": level, "ahead": ahead if ahead == "all" else int(ahead),
                    **interval,
                    **p50_scores(part["actual"], part["p50"]),
                    **{
                        f"{name}_{key}": value
                        for name in ("naive_pipeline", "naive_last_year")
                        for key, value in p50_scores(part["actual"], part[name]).items()
                    },
                }
            )  # fmt: skip
    return pd.DataFrame(out)


def frozen_horizons(engine, settings: Settings, as_of: date) -> pd.DataFrame:
    """The same figures read from the frozen tables (frozen.by_horizon, as the 预测校准 page shows them);
    windows or naive baselines not frozen yet in this warehouse (built before they were) are frozen first."""
    with engine.connect() as conn:
        frozen = read_frame(
            conn,
            "SELECT SUM(CASE WHEN horizon <> 'year_end' THEN 1 ELSE 0 END) AS windows, "
            "SUM(CASE WHEN horizon = 'year_end' AND naive_pipeline IS NULL THEN 1 ELSE 0 END) AS bare "
            "FROM forecast_snapshots",
        )
    if not int(frozen["windows"].fillna(0).iloc[0]) or int(frozen["bare"].fillna(0).iloc[0]):
        freeze_all(engine, settings)
    ctx = Context(engine, Scope.company(), settings, as_of)
    return by_horizon(frozen_scores(ctx, None), total_scores(ctx, None))


def scores(frame: pd.DataFrame, forecast: str) -> dict:
    """MAPE (mean |error| / actual over rows with actual > 0) and bias of one forecast column."""
    return p50_scores(frame["actual"], frame[forecast])


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
    frames = [forecasts_at(Context(engine, Scope.company(), settings, day)) for day in days]
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
        "frozen_horizons": frozen_horizons(engine, settings, as_of),
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
        mark = "" if row.within else ("  outside alone" if row.within_curve else "  outside the curve's too")
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
            f"P50 MAPE {row.mape:.2%} bias {row.bias:+.2%}; "
            f"naive pipeline MAPE {row.naive_pipeline_mape:.2%} bias {row.naive_pipeline_bias:+.2%}; "
            f"last year MAPE {row.naive_last_year_mape:.2%} "
            f"bias {row.naive_last_year_bias:+.2%}"
        )
    year_end = pd.DataFrame(
        [
            {"horizon": "year_end", "level": level, "ahead": "all", "rows": f[f"interval_{level}"]["rows"],
             "coverage": f[f"coverage_{level}"], **f[f"{level}_p50"]}
            for level in ("lines", "company")
        ]
    )  # fmt: skip
    recomputed = pd.concat([year_end, f["horizons"]], ignore_index=True)
    for row in f["frozen_horizons"].itertuples():
        same = recomputed[
            (recomputed["horizon"] == row.horizon)
            & (recomputed["level"] == row.level)
            & (recomputed["ahead"] == "all")
        ]
        differs = "" if len(same) else " (not recomputed)"
        if len(same):
            gaps = [abs(same[k].iloc[0] - getattr(row, k)) for k in ("coverage", "mape", "bias")]
            differs = (
                ""
                if same["rows"].iloc[0] == row.rows and max(gaps) < 1e-9
                else (
                    f" DIFFERS from recomputed: {same['rows'].iloc[0]} rows, "
                    f"coverage {same['coverage'].iloc[0]:.1%}, MAPE {same['mape'].iloc[0]:.2%}, "
                    f"bias {same['bias'].iloc[0]:+.2%}"
                )
            )
        print(
            f"  frozen {row.horizon} {row.level}: coverage {row.coverage:.1%} of {row.rows} "
            f"(= {row.effective:.1f} outcomes, [{row.low:.1%}, {row.high:.1%}]); "
            f"P50 MAPE {row.mape:.2%} bias {row.bias:+.2%}{differs}"
        )
        if row.horizon == "year_end":
            again = {name: f[f"{row.level}_{name}"] for name in NAIVE_NAMES}
        elif len(same):  # a window's: against its recomputed rows
            again = {n: {k: same[f"{n}_{k}"].iloc[0] for k in ("mape", "bias")} for n in NAIVE_NAMES}
        else:
            continue
        print("    frozen baselines: " + naive_differs(row, again))


NAIVE_NAMES = ("naive_pipeline", "naive_last_year")


def naive_differs(row, recomputed) -> str:
    """The frozen naive baselines' MAPE and bias, each marked where it differs from the recomputed
    (``recomputed``: per baseline's name, its recomputed mape and bias)."""
    parts = []
    for name in ("naive_pipeline", "naive_last_year"):
        mape, bias = getattr(row, f"{name}_mape"), getattr(row, f"{name}_bias")
        again = recomputed[name]
        same = abs(again["mape"] - mape) < 1e-9 and abs(again["bias"] - bias) < 1e-9
        mark = "" if same else f" DIFFERS from recomputed: MAPE {again['mape']:.2%} bias {again['bias']:+.2%}"
        parts.append(f"{name} MAPE {mape:.2%} bias {bias:+.2%}{mark}")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[Settings().demo_seed, 7])
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 12, 4))
    parser.add_argument("--rebuild", action="store_true", help="regenerate the demo warehouses")
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (the smoke test runs 0.05)")
    parser.add_argument("--workdir", default="/tmp", help="where the demo warehouses are built and kept")
    args = parser.parse_args()
    for seed in args.seeds:
        url = demo_db(seed, args.as_of, args.rebuild, args.scale, args.workdir)
        report(seed, evaluate(url, args.as_of))


if __name__ == "__main__":
    main()
