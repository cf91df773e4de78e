"""The calibration page scores from sums made in the warehouse, equal to scoring every deal.

``calibration`` used to pull every deal open at each backtest date into pandas
(about 220,000 rows a date at a million opportunities); it now reads a few
summed rows per date (calibration_backtest.sql) and one distinct-deal count
(calibration_deals.sql).  The per-deal backtest stays as the reference: on the
demo warehouse (its snapshots at least probability_horizon_days back) both must give the same numbers, on
both backends, for the company and for narrower scopes and filters.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analytics.context import Context
from analytics.forecast import calibration as cal
from analytics.scope import Filters, Scope
from analytics.settings import Settings


def contexts(warehouse) -> list[Context]:
    """Company, a branch, a team, the account manager with the most scored deals, a class filter
    (single deals: the live backtest) and an owner filter (kept sums)."""
    engine, as_of = warehouse["engine"], warehouse["as_of"]
    org = pd.read_sql("SELECT branch, team FROM org WHERE role = 'team_manager'", engine)
    branch, team = org["branch"].iloc[0], org["team"].iloc[0]
    cal.backtest_sums(Context(engine, Scope.company(), Settings(), as_of))  # the kept sums, built
    owners = pd.read_sql(
        "SELECT owner_id, SUM(predictions) AS n FROM cache_calibration_sums WHERE owner_id = outcome_owner_id"
        " GROUP BY owner_id ORDER BY n DESC, owner_id",
        engine,
    )["owner_id"]
    return [
        Context(engine, scope, Settings(), as_of, filters)
        for scope, filters in (
            (Scope.company(), Filters()),
            (Scope.of_branch(branch), Filters()),
            (Scope.of_team(branch, team), Filters()),
            (Scope.company(), Filters(classes=("small", "ordinary_2"))),
            (Scope.of_owner(owners.iloc[0]), Filters()),
            (Scope.of_branch(branch), Filters(owners=tuple(owners.iloc[:3]))),
        )
    ]


@pytest.mark.parametrize("which", range(6))
def test_sums_from_the_warehouse_equal_scoring_every_deal(demo_warehouse, which):
    ctx = contexts(demo_warehouse)[which]
    backtest = cal.probability_backtest(ctx)
    result = cal.calibration(ctx)
    expected = cal.reliability_table(backtest)
    pd.testing.assert_frame_equal(result["reliability"], expected, check_dtype=False, rtol=1e-9)
    pd.testing.assert_frame_equal(result["by_date"], cal.by_date(backtest), check_dtype=False, rtol=1e-9)
    summary = result["summary"]
    assert summary["predictions"] == len(backtest)
    assert summary["deals"] == backtest["opportunity_id"].nunique()
    assert summary["backtest_dates"] == backtest["as_of_date"].nunique()
    if len(backtest):
        p, won = backtest["p_win"].astype(float), backtest["won"].astype(float)
        assert summary["brier_score"] == pytest.approx(((p - won) ** 2).mean(), rel=1e-9)
    if which == 0:
        assert summary["backtest_dates"] >= 2 and summary["deals"] < summary["predictions"]


def test_a_backtest_date_returns_sums_not_deals(demo_warehouse, monkeypatch):
    ctx = contexts(demo_warehouse)[0]
    monkeypatch.setattr(cal, "win_probabilities", lambda ctx: pytest.fail("per-deal rows fetched"))
    sums = cal.backtest_sums(ctx)
    assert list(sums.columns) == cal.SUMS
    per_date = sums.groupby("as_of_date").size()
    assert len(per_date) == len(cal.backtest_dates(ctx))
    assert (per_date <= 2 * cal.BUCKETS).all(), "a few summed rows per date, whatever the deals"
    assert sums["predictions"].sum() > 4 * len(sums)
    assert np.isfinite(cal.calibration(ctx)["summary"]["brier_score"])


@pytest.mark.parametrize("which", [0, 1, 2, 4, 5])
def test_the_kept_sums_equal_the_backtest_from_scratch(demo_warehouse, which, monkeypatch):
    """Company, branch, team, manager and an owner filter: the page's sums and distinct deals are a
    filter and a sum over cache_calibration_sums and _deals (no p(o) computed at any backtest
    date), equal to the backtest computed from scratch at each date for that scope."""
    ctx = contexts(demo_warehouse)[which]
    assert cal.kept_sums_answer(ctx)
    live = cal.backtest_sums_live(ctx)
    assert int(live["predictions"].sum()) > 0
    sent = []
    query = Context.query
    monkeypatch.setattr(
        Context, "query", lambda self, name, **k: (sent.append(name), query(self, name, **k))[1]
    )
    kept = cal.backtest_sums(ctx)
    deals = cal.scored_deals(ctx, kept)
    assert sent == ["calibration_sums", "calibration_deals_kept"], "the kept rows only"
    first, last = min(live["as_of_date"]), max(live["as_of_date"])
    scratch = ctx.query(
        "calibration_deals", first_backtest=first, last_backtest=last, outcome_as_of=ctx.as_of
    )
    assert deals == int(scratch["deals"].iloc[0]) > 0
    key = ["as_of_date", "model", "bucket"]
    pd.testing.assert_frame_equal(
        kept.sort_values(key).reset_index(drop=True),
        live.sort_values(key).reset_index(drop=True),
        check_dtype=False,
        rtol=1e-9,
    )


def test_a_filter_on_single_deals_reads_the_backtest_itself(demo_warehouse):
    ctx = contexts(demo_warehouse)[3]
    assert not cal.kept_sums_answer(ctx)
    assert not cal.kept_sums_answer(replace(ctx, filters=Filters(start=ctx.as_of.replace(day=1))))
    assert cal.kept_sums_answer(replace(ctx, filters=Filters(branches=("x",), teams=("x/y",))))
