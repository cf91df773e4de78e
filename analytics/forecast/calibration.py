"""Is p(o) any good?  Backtest at earlier snapshots, reliability and Brier score.

At each of the newest ``calibration_backtest_dates`` snapshots before as_of,
p(o) is computed exactly as the forecast did then (win_probability.sql at
that as-of date: only history known then), for the deals open then and closed
by as_of.  The Brier score (mean squared difference between p and the 0/1
outcome) is compared with the naive stage-only rate.  Deals still open are left
out: their outcome is not known yet, which favours deals that close fast.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from analytics.context import Context
from analytics.forecast.frozen import frozen_forecasts
from analytics.forecast.probabilities import win_probabilities
from analytics.metrics.options import snapshot_dates

BUCKETS = 10
"""Reliability buckets of equal width over [0, 1]: 0-10%, 10-20%, ... 90-100%."""

MODELS = {"calibrated": "p_win", "stage_only": "stage_rate"}


def backtest_dates(ctx: Context) -> list:
    """The newest snapshots strictly before as_of (at most calibration_backtest_dates)."""
    earlier = [d for d in snapshot_dates(ctx) if d < ctx.as_of]
    return sorted(earlier)[-ctx.settings.calibration_backtest_dates :] if earlier else []


def probability_backtest(ctx: Context) -> pd.DataFrame:
    """One row per (backtest date, deal open then and closed by as_of): p_win, stage_rate, won."""
    outcomes = ctx.query("forecast_outcomes")[["opportunity_id", "won"]]
    frames = []
    for day in backtest_dates(ctx):
        then = win_probabilities(replace(ctx, as_of=day))[["opportunity_id", "p_win", "stage_rate"]]
        frames.append(then.merge(outcomes, on="opportunity_id").assign(as_of_date=day))
    columns = ["as_of_date", "opportunity_id", "p_win", "stage_rate", "won"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _score(frame: pd.DataFrame, column: str) -> dict:
    """Predictions, mean predicted, observed win share and Brier score of one model on rows."""
    p, won = frame[column].astype(float), frame["won"].astype(float)
    return {
        "predictions": len(frame),
        "predicted": p.mean() if len(frame) else np.nan,
        "observed": won.mean() if len(frame) else np.nan,
        "brier_score": ((p - won) ** 2).mean() if len(frame) else np.nan,
    }


def reliability_table(backtest: pd.DataFrame) -> pd.DataFrame:
    """Per model and probability bucket: predicted vs observed win rate; a last row 'all' per model."""
    rows = []
    for model, column in MODELS.items():
        bucket = np.minimum((backtest[column].astype(float) * BUCKETS).astype(int), BUCKETS - 1)
        for index, group in backtest.groupby(bucket):
            rows.append(
                {"model": model, "bucket": f"{index / BUCKETS:.1f}-{(index + 1) / BUCKETS:.1f}"}
                | _score(group, column)
            )
        rows.append({"model": model, "bucket": "all"} | _score(backtest, column))
    return pd.DataFrame(
        rows, columns=["model", "bucket", "predictions", "predicted", "observed", "brier_score"]
    )


def by_date(backtest: pd.DataFrame) -> pd.DataFrame:
    """Per backtest date: deals scored, expected and actual wins, Brier score of both models."""
    rows = []
    for day, group in backtest.groupby("as_of_date"):
        calibrated, naive = _score(group, "p_win"), _score(group, "stage_rate")
        rows.append(
            {
                "as_of_date": day,
                "predictions": calibrated["predictions"],
                "expected_wins": group["p_win"].sum(),
                "wins": int(group["won"].sum()),
                "brier_score": calibrated["brier_score"],
                "brier_baseline": naive["brier_score"],
            }
        )
    return pd.DataFrame(
        rows, columns=["as_of_date", "predictions", "expected_wins", "wins", "brier_score", "brier_baseline"]
    )


def calibration(ctx: Context) -> dict:
    """The calibration page: Brier vs baseline, reliability, backtest by date, frozen forecasts scored."""
    backtest = probability_backtest(ctx)
    calibrated, naive = _score(backtest, "p_win"), _score(backtest, "stage_rate")
    summary = {
        "backtest_dates": int(backtest["as_of_date"].nunique()),
        "predictions": calibrated["predictions"],
        "deals": int(backtest["opportunity_id"].nunique()),
        "brier_score": calibrated["brier_score"],
        "brier_baseline": naive["brier_score"],
        "brier_skill": 1 - calibrated["brier_score"] / naive["brier_score"]
        if naive["brier_score"]
        else np.nan,
    }
    return {
        "summary": summary,
        "reliability": reliability_table(backtest),
        "by_date": by_date(backtest),
        **frozen_forecasts(ctx),
    }


def calibration_report(ctx: Context) -> pd.DataFrame:
    """``report calibration``: the reliability table of both models (Brier score per bucket and overall)."""
    return reliability_table(probability_backtest(ctx))
