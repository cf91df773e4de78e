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
