"""The two naive baselines frozen beside the P50 and scored as it is (issue 16 item 4), by hand from
tests/forecast_world.py (as_of 2026-06-30, revenue through 202605).  Both backends.

Open deals at as_of with their stage rates (3/7, 1/2, 3/5, 3/4, 1 for stages 0..4) and
close months (overdue or missing: as_of's month 6): O1 综合VPN 9,600 stage 2 month 8;
O2 综合VPN 6,000 stage 1 month 6; O3 综合VPN 9,000 stage 3 month 12; O4 企业总机 24,000
stage 1 month 7; O5 ICT集成 120,000 stage 4 month 9; O6 ICT集成 150,000 stage 0 month 14;
O7 企业总机 12,000 stage 3 month 6.  Revenue to date (Jan..May) 浦东 综合VPN 52,400 and
徐汇 企业总机 26,300; recurring run-rates 9,800 and 4,100 (tests/test_forecast_components.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from analytics import schema
from analytics.context import Context
from analytics.forecast.freeze import freeze_forecasts, frozen_model, known_through
from analytics.forecast.frozen import by_horizon, forecast_backtest_report, frozen_scores, total_scores
from analytics.forecast.naive import NAIVE, baselines, naive_last_year, naive_last_year_window, naive_pipeline
from analytics.scope import Filters, Scope
from analytics.settings import Settings
from tests.forecast_world import AS_OF, S0

SETTINGS = Settings().with_overrides(
    probability_shrinkage=2.0, probability_lift_by_evidence=False, forecast_parts=[]
)
VPN, PHONE, ICT = ("浦东", "综合VPN"), ("徐汇", "企业总机"), ("浦东", "ICT集成")


def ctx_at(engine, day: date) -> Context:
    return Context(engine, Scope.company(), SETTINGS, day, Filters())


def recomputed(engine, day: date) -> pd.DataFrame:
    """naive.py's baselines at ``day`` from a plain context (the snapshot's own facts)."""
    ctx, through = ctx_at(engine, day), known_through(day)
    model = frozen_model(ctx, through)
    return baselines(ctx, model.lines, model.months, model.year, through)


def test_both_baselines_by_hand(forecast_engine):
    frame = recomputed(forecast_engine, AS_OF).set_index(["branch", "product", "month"])
    assert sorted(frame.index.get_level_values("month").unique()) == list(range(6, 13))
    pipeline = frame["naive_pipeline"]
    # June: revenue to date + one month's run-rate; O2 and O7 close in June and earn from July.
    assert pipeline[(*VPN, 6)] == pytest.approx(52_400 + 9_800)
    # December: + 7 months' run-rate + O1 3/5 x 9,600 x 4/12 + O2 1/2 x 6,000 x 6/12 (O3 earns nothing).
    assert pipeline[(*VPN, 12)] == pytest.approx(52_400 + 9_800 * 7 + 1_920 + 1_500)
    # O4 1/2 x 24,000 x 5/12 + O7 3/4 x 12,000 x 6/12.
    assert pipeline[(*PHONE, 12)] == pytest.approx(26_300 + 4_100 * 7 + 5_000 + 4_500)
    assert pipeline[(*ICT, 12)] == pytest.approx(120_000 * 3 / 12)  # O6 closes next year
    last_year = frame["naive_last_year"]
    # 2025 holds December's 10,000 alone; nothing in Jan..May 2025, so growth is 1.
    assert last_year.loc[VPN].tolist() == [0.0] * 6 + [10_000.0]
    assert last_year.loc[PHONE].tolist() == [0.0] * 7


@dataclass(frozen=True)
class _Revenue:
    """A company-wide context whose forecast_naive_revenue answer is a hand-made frame."""

    frame: pd.DataFrame
    scope: Scope = Scope.company()
    filters: Filters = Filters()
    swap: tuple = ()

    def query(self, name: str, **params) -> pd.DataFrame:
        assert name == "forecast_naive_revenue" and params["through_period"] == 202603
        return self.frame


def test_last_year_times_growth_to_date_by_hand():
    rows = [("A", "p", 202500 + m, 100.0) for m in range(1, 13)]  # 2025: 100 a month
    rows += [("A", "p", 202600 + m, 150.0) for m in range(1, 4)]  # 2026 through March: 450 vs 300
    rows += [("B", "p", 202601, 50.0)]  # nothing last year: growth 1, so 0
    revenue = pd.DataFrame(rows, columns=["branch", "product", "period", "amount"])
    lines = pd.DataFrame({"branch": ["A", "B"], "product": ["p", "p"]})
    months = np.arange(4, 13)
    result = naive_last_year(_Revenue(revenue), lines, months, 2026, 202603)
    assert result[0].tolist() == pytest.approx([100 * m * 1.5 for m in months])
    assert result[1].tolist() == [0.0] * len(months)


def _year_end(engine, table, day: date) -> pd.DataFrame:
    with engine.connect() as conn:
        query = select(table).where((table.c.snapshot_date == day) & (table.c.horizon == "year_end"))
        return pd.DataFrame(conn.execute(query).mappings().all())


@pytest.mark.parametrize("day", [S0, AS_OF], ids=["past", "newest"])
def test_frozen_baselines_equal_naive_recomputed(forecast_engine, day):
    """A past week (frozen from the backtest states) and the newest: the frozen baselines are
    naive.py's at that snapshot; the company total's are the lines' summed; windows have none."""
    assert freeze_forecasts(forecast_engine, day, SETTINGS) > 0
    frozen = _year_end(forecast_engine, schema.forecast_snapshots, day)
    keys = ["branch", "product", "month"]
    mine = recomputed(forecast_engine, day)
    joined = frozen.merge(mine, on=keys, suffixes=("", "_live"))
    assert len(joined) == len(frozen) == len(mine) > 0
    for name in NAIVE:
        assert joined[name].tolist() == pytest.approx(joined[f"{name}_live"].tolist())
    totals = _year_end(forecast_engine, schema.forecast_snapshot_totals, day).set_index("month")
    summed = mine.groupby("month")[list(NAIVE)].sum()
    for name in NAIVE:
        assert totals[name].tolist() == pytest.approx(summed.loc[totals.index, name].tolist())
    with forecast_engine.connect() as conn:
        table = schema.forecast_snapshots
        windows = conn.execute(
            select(table.c.naive_pipeline).where(
                (table.c.snapshot_date == day) & (table.c.horizon != "year_end")
            )
        ).all()
    assert windows and all(v is not None for (v,) in windows)  # the windows' own (below)


def test_window_pipeline_baseline_by_hand(forecast_engine):
    """At as_of 2026-06-30 (revenue through May): the next quarter is July..September (months
    7..9), the next 12 months June 2026..May 2027 (6..17).  No revenue to date in a window; a
    deal earns from the month after its close month, or from the window's first month."""
    ctx, through = ctx_at(forecast_engine, AS_OF), known_through(AS_OF)
    lines = frozen_model(ctx, through).lines
    at = {tuple(k): i for i, k in enumerate(lines[["branch", "product"]].itertuples(index=False))}
    quarter = naive_pipeline(ctx, lines, np.arange(7, 10), window=True)
    # July: one month's run-rate + O2 (closes June) 1/2 x 6,000 x 1/12; O1 closes in August.
    assert quarter[at[VPN], 0] == pytest.approx(9_800 + 250)
    # September: 3 months + O1 3/5 x 9,600 x 1/12 + O2 1/2 x 6,000 x 3/12.
    assert quarter[at[VPN], 2] == pytest.approx(29_400 + 480 + 750)
    # O4 1/2 x 24,000 x 2/12 + O7 3/4 x 12,000 x 3/12 (closes June: the window's months only).
    assert quarter[at[PHONE], 2] == pytest.approx(12_300 + 2_000 + 2_250)
    assert quarter[at[ICT], 2] == pytest.approx(0.0)  # O5 closes in September, O6 next year
    year = naive_pipeline(ctx, lines, np.arange(6, 18), window=True)
    assert year[at[VPN], 0] == pytest.approx(9_800)
    # May 2027: 12 months + O1 x 9/12 + O2 x 11/12 + O3 3/4 x 9,000 x 5/12.
    assert year[at[VPN], -1] == pytest.approx(117_600 + 4_320 + 2_750 + 2_812.5)
    # O5 1 x 120,000 x 8/12 + O6 (stage 0, February 2027) 3/7 x 150,000 x 3/12.
    assert year[at[ICT], -1] == pytest.approx(80_000 + 3 / 7 * 150_000 * 3 / 12)


@dataclass(frozen=True)
class _Trailing:
    """A company-wide context whose forecast_naive_revenue answer is a hand-made frame, filtered
    to the periods asked for as the query does."""

    frame: pd.DataFrame
    scope: Scope = Scope.company()
    filters: Filters = Filters()
    swap: tuple = ()

    def query(self, name: str, **params) -> pd.DataFrame:
        assert name == "forecast_naive_revenue"
        period = self.frame["period"]
        return self.frame[(period >= params["first_period"]) & (period <= params["through_period"])]


def test_window_last_year_times_trailing_growth_by_hand():
    """Line A: 100 a month June 2024..May 2025, 120 a month June 2025..May 2026 (growth 1.2);
    line B: nothing before June 2025 (growth 1).  Through May 2026."""
    rows = [("A", "p", 202400 + m, 100.0) for m in range(6, 13)]
    rows += [("A", "p", 202500 + m, 100.0 if m <= 5 else 120.0) for m in range(1, 13)]
    rows += [("A", "p", 202600 + m, 120.0) for m in range(1, 6)]
    rows += [("B", "p", 202508, 30.0), ("B", "p", 202601, 50.0)]
    revenue = pd.DataFrame(rows, columns=["branch", "product", "period", "amount"])
    lines = pd.DataFrame({"branch": ["A", "B"], "product": ["p", "p"]})
    context = _Trailing(revenue)
    summer = naive_last_year_window(context, lines, np.arange(6, 9), 2026, 202605)  # Jun..Aug 2026
    assert summer[0].tolist() == pytest.approx([144.0, 288.0, 432.0])  # 120, 240, 360 x 1.2
    assert summer[1].tolist() == pytest.approx([0.0, 0.0, 30.0])  # August 2025's 30 x 1
    winter = naive_last_year_window(context, lines, np.arange(12, 15), 2026, 202605)  # Dec..Feb 2027
    assert winter[0].tolist() == pytest.approx([144.0, 288.0, 432.0])  # Dec 2025, Jan, Feb 2026
    assert winter[1].tolist() == pytest.approx([0.0, 50.0, 50.0])
    # A history from January 2025 on: only January..May 2026 have a year-earlier month, so the
    # growth is (5 x 120) / (5 x 100) = 1.2, not all 12 months' 1,440 / the 5 months' 500 = 2.88.
    short = _Trailing(revenue[(revenue["branch"] == "A") & (revenue["period"] >= 202501)])
    summer = naive_last_year_window(short, lines, np.arange(6, 9), 2026, 202605)
    assert summer[0].tolist() == pytest.approx([144.0, 288.0, 432.0])


@pytest.mark.parametrize("day", [S0, AS_OF], ids=["past", "newest"])
def test_frozen_window_baselines_are_scored(forecast_engine, day):
    """A freeze writes each window's baselines beside its P50, the company total's the lines'
    summed, and by_horizon scores them for every horizon that has arrived revenue."""
    assert freeze_forecasts(forecast_engine, day, SETTINGS) > 0
    with forecast_engine.connect() as conn:
        table, totals = schema.forecast_snapshots, schema.forecast_snapshot_totals
        window = (table.c.snapshot_date == day) & (table.c.horizon != "year_end")
        rows = pd.DataFrame(conn.execute(select(table).where(window)).mappings().all())
        company = pd.DataFrame(
            conn.execute(
                select(totals).where((totals.c.snapshot_date == day) & (totals.c.horizon != "year_end"))
            )
            .mappings()
            .all()
        )
    keys = ["horizon", "year", "month"]
    summed = rows.groupby(keys)[list(NAIVE)].sum()
    mine = company.set_index(keys)[list(NAIVE)].sort_index()
    assert len(mine) and mine.to_numpy() == pytest.approx(summed.loc[mine.index].to_numpy())
    assert (rows["naive_pipeline"] >= 0).all() and rows["naive_pipeline"].sum() > 0
    ctx = ctx_at(forecast_engine, AS_OF)
    table = by_horizon(frozen_scores(ctx, None), total_scores(ctx, None)).set_index(["horizon", "level"])
    windows = [h for h in table.index.get_level_values("horizon") if h != "year_end"]
    if day == S0:  # April and May have arrived since: the next quarter's first months are scored
        assert windows
    for key in table.index:
        if key[0] != "year_end":
            assert np.isfinite(table.loc[key, ["naive_pipeline_mape", "naive_last_year_mape"]]).all(), key


def _insert(engine, table, rows: list[dict]) -> None:
    base = {"horizon": "year_end", "year": 2026, "data_through": None, "frozen_at": datetime(2026, 1, 1)}
    with engine.begin() as conn:
        for row in rows:
            conn.execute(table.insert().values(**base, expected=row["p50"], p10=0, p90=1e9, **row))


def test_baselines_scored_as_the_p50_by_hand(forecast_engine):
    """A tiny frozen table: MAPE and bias of the P50 and of each baseline on the same rows and
    actuals (a baseline frozen as NULL leaves its row out of that baseline's scores)."""
    with forecast_engine.begin() as conn:
        for table in (schema.forecast_snapshots, schema.forecast_snapshot_totals):
            conn.execute(table.delete())
    day = date(2026, 3, 20)
    # Actuals: 综合VPN Jan..Apr 43,000, Jan..May 52,400; 企业总机 Jan..Apr 18,300.
    _insert(
        forecast_engine,
        schema.forecast_snapshots,
        [
            {"snapshot_date": day, "month": 4, "branch": VPN[0], "product": VPN[1],
             "p50": 42_000, "naive_pipeline": 40_000, "naive_last_year": 44_000},
            {"snapshot_date": day, "month": 5, "branch": VPN[0], "product": VPN[1],
             "p50": 50_000, "naive_pipeline": 55_000, "naive_last_year": None},
            {"snapshot_date": day, "month": 4, "branch": PHONE[0], "product": PHONE[1],
             "p50": 20_000, "naive_pipeline": 18_300, "naive_last_year": 15_000},
        ],
    )  # fmt: skip
    _insert(
        forecast_engine,
        schema.forecast_snapshot_totals,
        [{"snapshot_date": day, "month": 4, "lines": 2, "p50": 60_000, "naive_pipeline": 61_000,
          "naive_last_year": None}],
    )  # fmt: skip
    ctx = ctx_at(forecast_engine, AS_OF)
    table = by_horizon(frozen_scores(ctx, None), total_scores(ctx, None)).set_index(["horizon", "level"])
    lines = table.loc[("year_end", "lines")]
    assert lines["mape"] == pytest.approx((1_000 / 43_000 + 2_400 / 52_400 + 1_700 / 18_300) / 3)
    assert lines["bias"] == pytest.approx((1_000 + 2_400 - 1_700) / 113_700)
    assert lines["naive_pipeline_mape"] == pytest.approx((3_000 / 43_000 + 2_600 / 52_400 + 0) / 3)
    assert lines["naive_pipeline_bias"] == pytest.approx((3_000 - 2_600) / 113_700)
    assert lines["naive_last_year_mape"] == pytest.approx((1_000 / 43_000 + 3_300 / 18_300) / 2)
    assert lines["naive_last_year_bias"] == pytest.approx((-1_000 + 3_300) / 61_300)
    company = table.loc[("year_end", "company")]
    assert company["naive_pipeline_mape"] == pytest.approx(300 / 61_300)
    assert company["naive_pipeline_bias"] == pytest.approx(300 / 61_300)
    assert np.isnan(company["naive_last_year_mape"]) and np.isnan(company["naive_last_year_bias"])

    report = forecast_backtest_report(ctx)
    summary = report[report["snapshot_date"] == "all"].set_index("level")
    assert summary.loc["lines", "lines"] == 3 and summary.loc["company", "coverage"] == 1.0
    for column in ("naive_pipeline_mape", "naive_pipeline_bias", "naive_last_year_mape"):
        assert summary.loc["lines", column] == pytest.approx(lines[column])
    assert summary.loc["lines", "p50_mape"] == pytest.approx(lines["mape"])
    assert summary.loc["company", "naive_pipeline_bias"] == pytest.approx(300 / 61_300)
    assert report.loc[report["snapshot_date"] != "all", "naive_pipeline_mape"].isna().all()


def test_the_forecast_page_says_when_the_p50_loses_to_a_naive_baseline(forecast_engine):
    """On the previous test's frozen rows the naive pipeline's MAPE (3.98 %) beats the P50's (5.40 %);
    last year's (10.18 %) loses to the P50's on its own two rows (5.81 %)."""
    from analytics.forecast.frozen import backtest_health
    from ui.forecast_tables import backtest_warnings

    health = backtest_health(ctx_at(forecast_engine, AS_OF))
    assert health["naive_better"] == ["naive_pipeline"]
    assert any("朴素管道" in message for message in backtest_warnings(health))
    assert not any("朴素" in message for message in backtest_warnings(health | {"naive_better": []}))
