"""Is p(o) any good?  Backtest at earlier snapshots, reliability and Brier score.

At each of the newest ``calibration_backtest_dates`` snapshots at least
``probability_horizon_days`` before as_of, p(o) is computed exactly as the
forecast did then (win_probability.sql at that as-of date: only history known
then), for the deals open then that closed within ``probability_horizon_days``
after it: the outcome p(o)'s cohorts learn (win_rates), all of it known at
as_of.  Scoring a date nearer as_of against the deals closed by as_of would
score a different, censored outcome: a week before as_of those are the deals
that closed within a week, mostly quick losses (on the demo the observed win
share fell from 0.41 twelve weeks back to 0.06 one week back, at the same
predicted 0.37-0.39).  The Brier score (mean squared difference between p and
the 0/1 outcome) is compared with the naive stage-only rate.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from statistics import NormalDist

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from analytics import derived
from analytics.blocks.probability import CALIBRATION_BUCKETS
from analytics.context import Context
from analytics.derived import ensure, ensure_span
from analytics.forecast.frozen import frozen_forecasts
from analytics.forecast.probabilities import win_probabilities
from analytics.metrics.workload import PER_MANAGER_FILTERS
from analytics.scope import Scope
from analytics.settings import Settings
from analytics.warehouse import newest_snapshot_date

WILSON_Z = NormalDist().inv_cdf(0.975)
"""The reliability curve's sampling interval: Wilson's 95 % interval of each bucket's observed share."""

CURVE_LEVEL = 0.05
"""The whole curve's error rate: a calibrated model's k buckets all sit inside their intervals 95 % of
the time when each is Wilson's at 1 - 0.05 / k (Bonferroni).  Judged bucket by bucket at 95 %, a
perfectly calibrated model with 10 filled buckets shows one outside about 40 % of the time."""

BUCKETS = CALIBRATION_BUCKETS
"""Reliability buckets of equal width over [0, 1]: 0-10%, 10-20%, ... 90-100%."""

MODELS = {"calibrated": "p_win", "stage_only": "stage_rate"}

STATES = "cache_backtest_states"
"""The derived table the backtest reads: each date's narrow state (build_backtest_states.sql)."""

KEPT = ("cache_calibration_deals", "cache_calibration_sums")
"""The backtest kept per scope key at load, each deal's prediction and their sums
(build_calibration_deals.sql, build_calibration_sums.sql): what the page reads."""


def backtest_dates(ctx: Context) -> list:
    """The newest snapshots at least probability_horizon_days before as_of (at most
    calibration_backtest_dates): the dates whose horizon's outcomes are all known."""
    with ctx.engine.connect() as conn:
        return derived.backtest_dates(conn, ctx.as_of, ctx.settings)


def ensure_states(ctx: Context) -> list:
    """The backtest dates, with the narrow states at each and at as_of built in one pass if missing.

    The load builds them for the newest snapshot (:func:`build_for_newest`), so a
    reader of that date builds nothing; another as_of pays one pass over the
    history, not a full cache_opportunity_facts build per date (issue 20)."""
    dates = backtest_dates(ctx)
    if dates:
        ensure_span(ctx.engine, STATES, dates[0], ctx.as_of, ctx.settings)
    return dates


def build_for_newest(engine: Engine, settings: Settings) -> None:
    """After a load's commit (analytics/ingest.py): the backtest states of the newest snapshot."""
    newest = newest_snapshot_date(engine)
    if newest is not None:
        ensure_states(Context(engine, Scope.company(), settings, newest))


def build_sums_for_newest(engine: Engine, settings: Settings) -> None:
    """After the backtest states (analytics/ingest.py, a step of its own): the backtest kept
    per scope key for the newest snapshot, so its first view sums a few rows (issue 20 item 5).
    The checkpoint step that follows writes them out."""
    newest = newest_snapshot_date(engine)
    if newest is not None:
        ensure(engine, list(KEPT), newest, settings, settle=False)


def probability_backtest(ctx: Context) -> pd.DataFrame:
    """One row per (backtest date, deal open then and closed by as_of): p_win, stage_rate, won.

    The per-deal view of the backtest, for inspection and as the reference the
    warehouse sums of :func:`backtest_sums` are checked against; the page and
    the report score from the sums (a million opportunities made this about
    220,000 rows a date)."""
    outcomes = ctx.query("forecast_outcomes")[["opportunity_id", "won", "closed_date"]]
    closed = pd.to_datetime(outcomes["closed_date"]).dt.date
    horizon = timedelta(days=ctx.settings.probability_horizon_days)
    frames = []
    for day in backtest_dates(ctx):
        then = win_probabilities(replace(ctx, as_of=day))[["opportunity_id", "p_win", "stage_rate"]]
        known = outcomes.loc[closed <= day + horizon, ["opportunity_id", "won"]]
        frames.append(then.merge(known, on="opportunity_id").assign(as_of_date=day))
    columns = ["as_of_date", "opportunity_id", "p_win", "stage_rate", "won"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


SUMS = ["as_of_date", "model", "bucket", "predictions", "p_sum", "wins", "squared_error_sum"]
"""Per backtest date, model and bucket: the sums every score here is a ratio of."""


def kept_sums_answer(ctx: Context) -> bool:
    """Whether the sums kept per scope key (cache_calibration_sums) answer this question: they
    are keyed by branch, team and account manager, so a scope and a branch, team or owner
    filter select among them; any other filter (or the created period) applies to single
    deals, which only the backtest itself (:func:`backtest_sums_live`) can answer."""
    filters = ctx.filters
    return set(filters.active()) <= set(PER_MANAGER_FILTERS) and filters.start is filters.end is None


def backtest_sums(ctx: Context) -> pd.DataFrame:
    """The backtest's sums per date, model and bucket, from the sums kept per scope key.

    Built at load for the newest snapshot (another as_of builds them on its first
    view): a view sums a few thousand kept rows instead of computing p(o) at every
    backtest date.  A filter on single deals reads :func:`backtest_sums_live`.
    """
    if not kept_sums_answer(ctx):
        return backtest_sums_live(ctx)
    sums = ctx.query("calibration_sums")
    return _typed_sums(sums) if len(sums) else pd.DataFrame(columns=SUMS)


def backtest_sums_live(ctx: Context) -> pd.DataFrame:
    """The backtest summed in the warehouse (calibration_backtest.sql), one query per date.

    Each date's query returns a few rows per model instead of every deal open
    then: the per-deal rows crossing into pandas were most of the page's time.
    Both sides read the narrow states of :func:`ensure_states`, built first.
    """
    dates = ensure_states(ctx)
    if not dates:
        return pd.DataFrame(columns=SUMS)
    frames = []
    for day in dates:
        then = replace(ctx, as_of=day)
        sums = then.query("calibration_backtest", outcome_as_of=ctx.as_of)
        frames.append(sums.assign(as_of_date=day))
    return _typed_sums(pd.concat(frames, ignore_index=True))


def _typed_sums(sums: pd.DataFrame) -> pd.DataFrame:
    """Counts as integers and sums as floats on both backends (PostgreSQL sums may be Decimal)."""
    out = sums[SUMS].copy()
    for column in ("bucket", "predictions", "wins"):
        out[column] = out[column].astype("int64")
    for column in ("p_sum", "squared_error_sum"):
        out[column] = out[column].astype(float)
    return out


def _sums_of(backtest: pd.DataFrame) -> pd.DataFrame:
    """The sums of per-deal backtest rows, bucketed as calibration_backtest.sql does."""
    frames = []
    for model, column in MODELS.items():
        p, won = backtest[column].astype(float), backtest["won"].astype(float)
        rows = pd.DataFrame(
            {
                "as_of_date": backtest["as_of_date"],
                "model": model,
                "bucket": np.minimum((p * BUCKETS).astype(int), BUCKETS - 1),
                "predictions": 1,
                "p_sum": p,
                "wins": won,
                "squared_error_sum": (p - won) ** 2,
            }
        )
        frames.append(rows.groupby(["as_of_date", "model", "bucket"], as_index=False).sum())
    return _typed_sums(pd.concat(frames, ignore_index=True)) if len(backtest) else pd.DataFrame(columns=SUMS)


def _score(sums: pd.DataFrame) -> dict:
    """Predictions, mean predicted, observed win share and Brier score from summed rows."""
    n = int(sums["predictions"].sum()) if len(sums) else 0
    if not n:
        return {"predictions": 0, "predicted": np.nan, "observed": np.nan, "brier_score": np.nan}
    return {
        "predictions": n,
        "predicted": sums["p_sum"].sum() / n,
        "observed": sums["wins"].sum() / n,
        "brier_score": sums["squared_error_sum"].sum() / n,
    }


def wilson(wins: float, n: float, z: float = WILSON_Z) -> tuple[float, float]:
    """Wilson's interval of a share ``wins`` / ``n`` (NaN, NaN without observations).

    The reliability curve sits on the diagonal when each bucket's predicted mean
    lies inside its observed share's interval.  ``n`` may be an effective sample
    size (:func:`reliability_from_sums`), not a whole number.
    """
    if n <= 0:
        return float("nan"), float("nan")
    share = wins / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(centre - half), float(centre + half)


def _with_interval(row: dict, per_prediction: float = 1.0) -> dict:
    """``row`` with observed_low/high (Wilson on ``per_prediction`` x its predictions: the deals
    they stand for) and within: the predicted mean inside them."""
    n = int(row["predictions"])
    effective = n * per_prediction
    low, high = wilson(row["observed"] * effective if n else 0.0, effective)
    within = bool(low <= row["predicted"] <= high) if n else None
    return row | {"observed_low": low, "observed_high": high, "within": within}


def curve_z(buckets: int) -> float:
    """Wilson's z for one of ``buckets`` intervals that hold together at 1 - CURVE_LEVEL."""
    return NormalDist().inv_cdf(1 - CURVE_LEVEL / (2 * max(buckets, 1)))


def _within_curve(row: dict, z: float, per_prediction: float) -> bool | None:
    """The predicted mean inside the bucket's interval at the curve's ``z`` (None: no predictions)."""
    effective = int(row["predictions"]) * per_prediction
    if not effective:
        return None
    low, high = wilson(row["observed"] * effective, effective, z)
    return bool(low <= row["predicted"] <= high)


def _model_rows(mine: pd.DataFrame, model: str, per_prediction: float) -> list[dict]:
    """One model's bucket rows and its 'all' row; within_curve judges the buckets together
    (curve_z) and the 'all' row says whether every bucket is inside."""
    rows = []
    for index, group in mine.groupby("bucket", sort=True):
        bucket = f"{index / BUCKETS:.1f}-{(index + 1) / BUCKETS:.1f}"
        rows.append(_with_interval({"model": model, "bucket": bucket} | _score(group), per_prediction))
    z = curve_z(sum(1 for r in rows if r["predictions"]))
    rows = [r | {"within_curve": _within_curve(r, z, per_prediction)} for r in rows]
    judged = [r["within_curve"] for r in rows if r["within_curve"] is not None]
    overall = _with_interval({"model": model, "bucket": "all"} | _score(mine), per_prediction)
    return [*rows, overall | {"within_curve": all(judged) if judged else None}]


def reliability_from_sums(sums: pd.DataFrame, deals: int | None = None) -> pd.DataFrame:
    """Per model and probability bucket: predicted vs observed win rate with the observed share's
    sampling interval (Wilson) and whether the prediction sits in it; a last row 'all' per model.
    ``within`` judges each bucket alone at 95 %; ``within_curve`` the curve as a whole (CURVE_LEVEL:
    each bucket at 1 - 0.05 / k), the 'all' row's whether every bucket is inside.

    A deal open at several backtest dates is scored at each with the same outcome, so its
    predictions are not independent draws: n predictions of ``deals`` distinct deals carry
    the evidence of about n x deals / predictions of them (each deal's outcome counted once:
    the design effect of a cluster whose outcomes agree), and the interval is Wilson's on
    that many.  Counting every prediction made it too narrow (the demo: 4,310 predictions
    of about 1,800 deals at three dates).  Without ``deals`` every prediction counts."""
    rows = []
    for model in MODELS:
        mine = sums[sums["model"] == model]
        total = int(mine["predictions"].sum()) if len(mine) else 0
        per_prediction = min(deals / total, 1.0) if deals and total else 1.0
        rows.extend(_model_rows(mine, model, per_prediction))
    columns = ["model", "bucket", "predictions", "predicted", "observed", "brier_score"]
    return pd.DataFrame(rows, columns=[*columns, "observed_low", "observed_high", "within", "within_curve"])


def reliability_table(backtest: pd.DataFrame) -> pd.DataFrame:
    """:func:`reliability_from_sums` of per-deal backtest rows (their distinct deals)."""
    return reliability_from_sums(_sums_of(backtest), int(backtest["opportunity_id"].nunique()))


def by_date_from_sums(sums: pd.DataFrame) -> pd.DataFrame:
    """Per backtest date: deals scored, expected and actual wins, Brier score of both models."""
    rows = []
    for day, group in sums.groupby("as_of_date", sort=True):
        calibrated = group[group["model"] == "calibrated"]
        naive = _score(group[group["model"] == "stage_only"])
        rows.append(
            {
                "as_of_date": day,
                "predictions": _score(calibrated)["predictions"],
                "expected_wins": calibrated["p_sum"].sum(),
                "wins": int(calibrated["wins"].sum()),
                "brier_score": _score(calibrated)["brier_score"],
                "brier_baseline": naive["brier_score"],
            }
        )
    return pd.DataFrame(
        rows, columns=["as_of_date", "predictions", "expected_wins", "wins", "brier_score", "brier_baseline"]
    )


def by_date(backtest: pd.DataFrame) -> pd.DataFrame:
    """:func:`by_date_from_sums` of per-deal backtest rows."""
    return by_date_from_sums(_sums_of(backtest))


def scored_deals(ctx: Context, sums: pd.DataFrame) -> int:
    """Distinct deals the backtest scored over all its dates (a deal open at several counts once):
    from the deals kept at load per scope key, or for a filter on single deals (as
    :func:`backtest_sums`) from the narrow states."""
    if not len(sums) or not int(sums["predictions"].sum()):
        return 0
    if kept_sums_answer(ctx):
        return int(ctx.query("calibration_deals_kept")["deals"].iloc[0])
    first, last = min(sums["as_of_date"]), max(sums["as_of_date"])
    ensure_states(ctx)  # the states it reads at the backtest dates
    deals = ctx.query("calibration_deals", first_backtest=first, last_backtest=last, outcome_as_of=ctx.as_of)
    return int(deals["deals"].iloc[0])


def curve_verdict(reliability: pd.DataFrame, model: str = "calibrated") -> dict:
    """Whether ``model``'s reliability curve sits within its sampling interval as a whole
    (curve_within: None without predictions) and the buckets outside it (curve_outside)."""
    mine = reliability[reliability["model"] == model]
    overall = mine.loc[mine["bucket"] == "all", "within_curve"]
    outside = mine.loc[(mine["bucket"] != "all") & (mine["within_curve"] == False), "bucket"]  # noqa: E712
    return {
        "curve_within": None if overall.empty or overall.iloc[0] is None else bool(overall.iloc[0]),
        "curve_outside": outside.tolist(),
        "curve_buckets": int((mine["bucket"] != "all").sum()),
    }


def calibration(ctx: Context) -> dict:
    """The calibration page: Brier vs baseline, reliability, backtest by date, frozen forecasts scored."""
    sums = backtest_sums(ctx)
    calibrated = _score(sums[sums["model"] == "calibrated"])
    naive = _score(sums[sums["model"] == "stage_only"])
    summary = {
        "backtest_dates": int(sums.loc[sums["predictions"] > 0, "as_of_date"].nunique()),
        "predictions": calibrated["predictions"],
        "deals": scored_deals(ctx, sums),
        "brier_score": calibrated["brier_score"],
        "brier_baseline": naive["brier_score"],
        "brier_skill": 1 - calibrated["brier_score"] / naive["brier_score"]
        if naive["brier_score"]
        else np.nan,
    }
    reliability = reliability_from_sums(sums, summary["deals"])
    return {
        "summary": summary | curve_verdict(reliability),
        "reliability": reliability,
        "by_date": by_date_from_sums(sums),
        **frozen_forecasts(ctx),
    }


def calibration_report(ctx: Context) -> pd.DataFrame:
    """``report calibration``: the reliability table of both models (Brier score per bucket and overall)."""
    sums = backtest_sums(ctx)
    return reliability_from_sums(sums, scored_deals(ctx, sums))
