"""p(o) recovers known true win rates from a generated history (on DuckDB and PostgreSQL).

Closed deals are generated stage by stage: a deal that reached stage k moves on
with probability ADVANCE[segment][k] (at stage 4: is won), else it is lost
there.  So the true P(won | reached k) of a segment is the product of its
advance probabilities from k on, and p(o) of an open deal at stage k must come
out close to it: the segments are large, so shrinkage barely moves them.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from analytics.context import Context
from analytics.forecast.probabilities import stage_win_rates, win_probabilities
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from analytics.warehouse import replace_all
from tests.conftest import drop_engine, new_engine

AS_OF = date(2026, 6, 30)
ADVANCE = {  # segment: (product, annual_value -> class), advance probabilities at stages 0..4
    "A": ("综合VPN", 5_000.0, [0.9, 0.8, 0.7, 0.8, 0.9]),
    "B": ("企业总机", 20_000.0, [0.7, 0.6, 0.5, 0.6, 0.8]),
}
PER_SEGMENT = 2_500


def true_rate(segment: str, stage: int) -> float:
    return float(np.prod(ADVANCE[segment][2][stage:]))


def generated_history(seed: int = 2026) -> dict[str, pd.DataFrame]:
    """One snapshot at as_of: PER_SEGMENT closed deals per segment, plus one open deal per segment x stage."""
    rng = np.random.default_rng(seed)
    rows = []
    for segment, (product, value, advance) in ADVANCE.items():
        passed = rng.random((PER_SEGMENT, 5)) < np.array(advance)
        stopped = np.where(passed.all(axis=1), 5, np.argmin(passed, axis=1))  # first stage not passed
        closed = [AS_OF - timedelta(days=int(d)) for d in rng.integers(1, 600, PER_SEGMENT)]
        for i in range(PER_SEGMENT):
            won = stopped[i] == 5
            rows.append(
                (
                    f"{segment}{i:05d}",
                    product,
                    value,
                    4 if won else int(stopped[i]),
                    "won" if won else "lost",
                    closed[i],
                )
            )
        rows += [(f"{segment}OPEN{k}", product, value, k, "open", None) for k in range(5)]
    frame = pd.DataFrame(
        rows, columns=["opportunity_id", "product", "annual_value", "stage", "status", "closed_date"]
    )
    frame["created_date"] = [(d or AS_OF) - timedelta(days=90) for d in frame["closed_date"]]
    frame["expected_close_date"] = AS_OF + timedelta(days=60)
    for column, default in (
        ("snapshot_date", AS_OF),
        ("owner_id", "A1"),
        ("business_type", "basic"),
        ("origin", "mined"),
        ("customer_name", "客户"),
    ):
        frame[column] = default
    for column in (
        "name",
        "customer_id",
        "customer_tier",
        "industry",
        "campaign",
        "competitor",
        "presales_id",
    ):
        frame[column] = None
    frame["user_count"] = pd.array([None] * len(frame), dtype="Int64")
    for column in ("demonstration", "influence", "key_flag", "abnormal"):
        frame[column] = False
    org = pd.DataFrame(
        {
            "staff_id": ["A1"],
            "name": ["张三"],
            "role": ["account_manager"],
            "team": ["一组"],
            "branch": ["浦东"],
            "active": [True],
        }
    )
    snapshots = pd.DataFrame({"snapshot_date": [AS_OF], "row_count": [len(frame)]})
    return {"org": org, "snapshots": snapshots, "opportunity_snapshot": frame}


@pytest.fixture(scope="module")
def history(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, generated_history(), loaded_by="test", label="fixture")
    yield engine
    drop_engine(backend, engine)


def test_probabilities_recover_the_true_win_rates(history):
    ctx = Context(history, Scope.company(), Settings(), AS_OF, Filters())
    p = win_probabilities(ctx).set_index("opportunity_id")["p_win"]
    assert len(p) == 10
    for segment in ADVANCE:
        for stage in range(5):
            truth = true_rate(segment, stage)
            assert p[f"{segment}OPEN{stage}"] == pytest.approx(truth, abs=0.04), (segment, stage)


def test_stage_rates_recover_the_pooled_rates(history):
    ctx = Context(history, Scope.company(), Settings(), AS_OF, Filters())
    rates = stage_win_rates(ctx).set_index("stage")
    for stage in range(5):
        # Pooled truth: wins / deals that reached the stage, expected counts of both segments.
        reached = {s: PER_SEGMENT * float(np.prod(ADVANCE[s][2][:stage])) for s in ADVANCE}
        truth = sum(reached[s] * true_rate(s, stage) for s in ADVANCE) / sum(reached.values())
        assert rates.loc[stage, "stage_rate"] == pytest.approx(truth, abs=0.03), stage


def evidence_lift(history: pd.DataFrame, settings: Settings) -> dict[tuple[str, int], float]:
    """p(o) of an open deal per (segment, stage < 4) by the evidence lift, from the closed deals:
    no cohort here, so logit p = logit(stage rate) + lift x spread / (spread + lift variance)."""
    k = settings.probability_shrinkage
    closed = history[history["status"] != "open"].assign(won=lambda f: f["status"] == "won")
    closed["segment"] = closed["opportunity_id"].str[0]
    logit = lambda x: np.log(x / (1 - x))  # noqa: E731
    out = {}
    for stage in range(4):
        reached = closed[closed["stage"] >= stage]
        rate = reached["won"].mean()
        parts = {}
        for segment, group in reached.groupby("segment"):
            p = (group["won"].sum() + k * rate) / (len(group) + k)
            parts[segment] = (logit(p) - logit(rate), 1 / ((len(group) + k) * p * (1 - p)))
        lifts = np.array([lift for lift, _ in parts.values()])
        variances = np.array([v for _, v in parts.values()])
        spread = max(((lifts**2 - variances) / variances).sum() / (1 / variances).sum(), 0.0)
        for segment, (lift, v) in parts.items():
            shrunk = lift * spread / (spread + v)
            out[(segment, stage)] = float(1 / (1 + np.exp(-(logit(rate) + shrunk))))
    return out


def test_the_evidence_lift_by_hand(history):
    """The segments here truly differ (spread far above the sampling variances): p(o) is the
    stage rate moved by each segment's shrunk log-odds lift, worked out above from the deals."""
    settings = Settings()
    p = win_probabilities(Context(history, Scope.company(), settings, AS_OF, Filters()))
    p = p.set_index("opportunity_id")["p_win"]
    expected = evidence_lift(generated_history()["opportunity_snapshot"], settings)
    for (segment, stage), value in expected.items():
        assert p[f"{segment}OPEN{stage}"] == pytest.approx(value, rel=1e-9), (segment, stage)
    # ... unlike x segment rate / stage rate, which stays within the pseudo-counted segment rate only.
    multiplied = Settings().with_overrides(probability_lift_by_evidence=False)
    q = win_probabilities(Context(history, Scope.company(), multiplied, AS_OF, Filters()))
    assert q.set_index("opportunity_id")["p_win"]["AOPEN0"] != pytest.approx(p["AOPEN0"], rel=1e-6)


# --- time in stage: deals that sit longer lose more (issue 16) ------------------------------
#
# Every deal enters stage 1 when created; a winner is won WIN_DAYS later, a loser
# lost LOSE_DAYS later, half each.  Closed deals alone say 0.5 at stage 1, but a
# deal seen open at stage 1 is a loser more often (losers stay longer), and one
# that has sat LOSE_DAYS > t >= WIN_DAYS is a loser for sure.  Counting the days
# each kind spends in an age bin of 30 days: in [0, 30) winners 20 days, losers
# 30, so P(won) = 0.5 x 20 / (0.5 x 20 + 0.5 x 30) = 0.4; in [30, 60) only
# losers: 0.  Both close well inside the 60-day horizon, so the horizon drops none.
WIN_DAYS, LOSE_DAYS, AGED_DEALS = 20, 50, 3_000


def aged_history(seed: int = 7) -> dict[str, pd.DataFrame]:
    """AGED_DEALS closed deals created over ~20 months, two open deals aged 10 and 40 days in stage 1."""
    base = generated_history()
    rng = np.random.default_rng(seed)
    created = [AS_OF - timedelta(days=int(d)) for d in rng.integers(LOSE_DAYS + 10, 600, AGED_DEALS)]
    won = rng.random(AGED_DEALS) < 0.5
    rows, changes = [], []
    for i, (day, win) in enumerate(zip(created, won, strict=True)):
        closed = day + timedelta(days=WIN_DAYS if win else LOSE_DAYS)
        rows.append((f"T{i:05d}", day, closed, "won" if win else "lost", 4 if win else 1))
        changes += [
            (f"T{i:05d}", None, 1, "open", day),
            (f"T{i:05d}", 1, None, "won" if win else "lost", closed),
        ]
    for name, age in (("YOUNG", 10), ("OLD", 40)):
        day = AS_OF - timedelta(days=age)
        rows.append((name, day, None, "open", 1))
        changes.append((name, None, 1, "open", day))
    template = base["opportunity_snapshot"].iloc[0]
    frame = pd.DataFrame([template] * len(rows)).reset_index(drop=True)
    frame["opportunity_id"] = [r[0] for r in rows]
    frame["created_date"] = [r[1] for r in rows]
    frame["closed_date"] = [r[2] for r in rows]
    frame["status"] = [r[3] for r in rows]
    frame["stage"] = [r[4] for r in rows]
    frame["expected_close_date"] = AS_OF + timedelta(days=30)
    history = pd.DataFrame(
        changes, columns=["opportunity_id", "from_stage", "to_stage", "to_status", "changed_at"]
    )
    history["changed_at"] = pd.to_datetime(history["changed_at"])
    history["changed_by"] = "A1"
    for column in ("from_stage", "to_stage"):
        history[column] = history[column].astype("Int64")
    snapshots = pd.DataFrame({"snapshot_date": [AS_OF], "row_count": [len(frame)]})
    return {
        "org": base["org"],
        "snapshots": snapshots,
        "opportunity_snapshot": frame,
        "stage_history": history,
    }


@pytest.fixture(scope="module")
def aged(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, aged_history(), loaded_by="test", label="fixture")
    yield engine
    drop_engine(backend, engine)


def test_probabilities_follow_time_in_stage(aged):
    ctx = Context(aged, Scope.company(), Settings(), AS_OF, Filters())
    p = win_probabilities(ctx).set_index("opportunity_id")
    # The naive stage rate is the closed deals' 0.5 for both ...
    assert p.loc["YOUNG", "stage_rate"] == pytest.approx(0.5, abs=0.03)
    assert p.loc["OLD", "stage_rate"] == pytest.approx(0.5, abs=0.03)
    # ... p(o) recovers the time-in-stage truth: 0.4 for a fresh deal, 0 for one past the winners' stay.
    assert p.loc["YOUNG", "p_win"] == pytest.approx(0.4, abs=0.04)
    assert p.loc["OLD", "p_win"] == pytest.approx(0.0, abs=0.03)
