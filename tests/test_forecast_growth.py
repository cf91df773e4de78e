"""growth.py's parts of the forecast, by hand (issue 16): drift of existing business,
one-off fees, won but not billed, not-yet-created business and the value ratio;
their queries on the hand-made forecast world (both backends); and the rule that
the model never reads the demo generator."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.context import Context
from analytics.forecast.growth import (
    Window,
    drift,
    new_business,
    one_off,
    seasonality,
    shrunk,
    slope,
    value_ratio,
    won_not_billed,
)
from analytics.forecast.uncertainty import Spread, widen
from analytics.scope import Scope
from analytics.settings import Settings
from tests.forecast_world import AS_OF

ROOT = Path(__file__).resolve().parent.parent
LINE = pd.DataFrame({"branch": ["浦东"], "product": ["综合VPN"]})


def history(recurring, base=None, amount=None) -> pd.DataFrame:
    """One line's monthly history, periods 202601.. (forecast_book_history / run_rate_history)."""
    n = len(recurring)
    return pd.DataFrame(
        {
            "branch": "浦东",
            "product": "综合VPN",
            "period": [202601 + i for i in range(n)],
            "recurring": np.asarray(recurring, dtype=float),
            "recurring_base": np.asarray(base if base is not None else recurring, dtype=float),
            "amount": np.asarray(amount if amount is not None else recurring, dtype=float),
        }
    )


def window(months, last_loaded, as_of=date(2026, 6, 30)) -> Window:
    return Window(2026, last_loaded, np.asarray(months), as_of)


NO_ENDS = pd.DataFrame(columns=["branch", "product", "last_month", "monthly"])


# --- drift ----------------------------------------------------------------------------------


def test_slope_and_its_shrinkage():
    assert slope(np.array([100.0, 110, 120, 130, 140, 150])) == pytest.approx((10.0, 0.0))
    assert slope(np.array([1.0, 2, 3])) == (0.0, 0.0)  # under MIN_PERIODS: no drift
    b, se = slope(np.array([100.0, 130, 100, 130, 100, 130]))
    assert shrunk(b, se)[0] == pytest.approx(b * b**2 / (b**2 + se**2))
    assert abs(shrunk(b, se)[0]) < abs(b)


def test_drift_lag_base_trend_and_contract_ends_by_hand():
    # recurring grows 10 a month: a 3-month mean lags by 10 x (3 - 1) / 2 = 10 a month ahead;
    # the installed base grows 5 a month: 5 x i(i+1)/2 through the i-th month ahead.
    rows = history([100, 110, 120, 130, 140, 150], base=[50, 55, 60, 65, 70, 75])
    part = drift(rows, NO_ENDS, LINE, window([7, 8, 9], 6), run_rate_months=3)
    assert part.mean[0].tolist() == pytest.approx([10 + 5, 20 + 15, 30 + 30])
    assert part.sd[0].tolist() == pytest.approx([0, 0, 0])
    # A contract billing 30 a month whose last month is July: gone from August.
    ends = pd.DataFrame({"branch": ["浦东"], "product": ["综合VPN"], "last_month": [7], "monthly": [30.0]})
    flat = drift(history([100] * 6), ends, LINE, window([7, 8, 9], 6), run_rate_months=3)
    assert flat.mean[0].tolist() == pytest.approx([0, -30, -60])


def test_one_off_fees_mean_by_hand():
    rows = history([100, 100, 100], amount=[130, 130, 160])
    assert one_off(rows, LINE, window([7, 8], 6)).mean[0].tolist() == pytest.approx([40, 80])


# --- won, not billed ------------------------------------------------------------------------


def test_won_not_billed_earns_from_the_month_after_the_win():
    wins = pd.DataFrame({"branch": ["浦东", "静安"], "product": ["综合VPN"] * 2, "close_month": [5, 5]})
    wins = wins.assign(deals=1, annual_value=[1_200.0, 9_999.0])  # 静安 is not a line here
    part = won_not_billed(wins, LINE, window([6, 7], 5))
    assert part.mean[0].tolist() == pytest.approx([100, 200])
    assert not part.sd.any()


# --- not-yet-created business ---------------------------------------------------------------


def won_history(lags: dict[int, float], months=range(1, 6)) -> pd.DataFrame:
    """Every month created 1..5 won ``value`` at each lag of ``lags`` (one deal each)."""
    rows = [
        {"branch": "浦东", "product": "综合VPN", "created_month": m, "lag": k, "deals": 1,
         "annual_value": v, "annual_value_sq": v * v}
        for m in months for k, v in lags.items()
    ]  # fmt: skip
    return pd.DataFrame(rows)


FLAT = pd.DataFrame({"created_month": range(-11, 7), "deals": 10})


def test_new_business_by_hand():
    # as_of 06-30: June is over; a deal created in July and won the same month earns
    # from August, one created in August from September.  1,200 a month created.
    part = new_business(won_history({0: 1_200.0}), FLAT, LINE, window([7, 8, 9], 6), first=1)
    assert part.mean[0].tolist() == pytest.approx([0, 100, 300])
    # compound Poisson: Σ E[v²] x share² = 1200² x (1 + 4 + 1) / 144 by September
    assert part.sd[0].tolist() == pytest.approx([0, 100, 100 * np.sqrt(5)])


def test_new_business_counts_the_rest_of_as_of_month_and_lags_only_once_known():
    # as_of 06-15: half of June is still to be created in (15 of 30 days).
    # Lag 1 is known for months created 1..4 (June's outcome is not in): 600 x 4 / 4.
    won = pd.concat([won_history({0: 1_200.0}), won_history({1: 600.0}, months=range(1, 5))])
    part = new_business(won, FLAT, LINE, window([7, 8], 6, as_of=date(2026, 6, 15)), first=1)
    june = 0.5 * (1_200 * np.array([1, 2]) + 600 * np.array([0, 1])) / 12
    july = (1_200 * np.array([0, 1]) + 600 * np.array([0, 0])) / 12
    assert part.mean[0].tolist() == pytest.approx((june + july).tolist())


def test_seasonality_by_month_of_year():
    creations = pd.DataFrame({"created_month": [1, 2, 13, 14], "deals": [10, 30, 10, 30]})
    index = seasonality(creations, last_full=14)
    assert index[:2].tolist() == pytest.approx([0.5, 1.5]) and index[5] == 1.0
    doubled = new_business(
        won_history({0: 1_200.0}), pd.DataFrame({"created_month": [7, 8, 9], "deals": [20, 10, 10]}),
        LINE, window([8, 9], 6), first=1,
    )  # fmt: skip
    # July and August have not been seen in full: they count as 1
    assert doubled.mean[0].tolist() == pytest.approx([100, 300])


# --- value ratio ----------------------------------------------------------------------------


def test_value_ratio_needs_enough_deals():
    frame = pd.DataFrame({"deals": [40], "won_value": [110.0], "pipeline_value": [100.0]})
    assert value_ratio(frame, 30) == pytest.approx(1.1)
    assert value_ratio(frame.assign(deals=10), 30) == 1.0
    assert value_ratio(frame.iloc[:0], 30) == 1.0


# --- the band -------------------------------------------------------------------------------


def test_band_widens_with_a_noisier_trend_and_scales_with_the_value_ratio():
    steady = drift(history([100, 111, 119, 131, 140, 150]), NO_ENDS, LINE, window([7, 8], 6), 3)
    noisy = drift(history([100, 140, 90, 160, 120, 170]), NO_ENDS, LINE, window([7, 8], 6), 3)
    assert noisy.sd[0, -1] > steady.sd[0, -1] > 0

    def spread_of(part, ratio=1.0):
        return Spread(np.zeros(1), 3, 0.0, parts={"drift": part}, value_ratio=ratio)

    paths = np.full((1, 4_000, 2), 1_000.0)
    runs = [widen(paths, spread_of(p), np.random.SeedSequence(1))[0, :, -1] for p in (steady, noisy)]
    assert np.std(runs[1]) > np.std(runs[0]) > 0
    assert widen(paths, spread_of(steady, 1.1), np.random.SeedSequence(1)).mean() == pytest.approx(
        1_100, rel=0.01
    )


# --- the queries on the hand-made world (both backends) --------------------------------------


def ctx_for(engine) -> Context:
    return Context(engine, Scope.company(), Settings(), AS_OF)


def test_growth_queries_on_the_forecast_world(forecast_engine):
    ctx = ctx_for(forecast_engine)
    wins = ctx.query("forecast_recent_wins", through_period=202604).sort_values("branch")
    # C2 (浦东 综合VPN, 5,000) and C6 (徐汇 企业总机, 20,000) were won in April: not billed by 202604.
    assert wins[["branch", "product", "close_month"]].values.tolist() == [
        ["徐汇", "企业总机", 4],
        ["浦东", "综合VPN", 4],
    ]
    assert wins["annual_value"].astype(float).tolist() == pytest.approx([20_000, 5_000])
    assert ctx.query("forecast_recent_wins", through_period=202605).empty
    won = ctx.query("forecast_new_business").sort_values(["created_month", "annual_value"])
    # C1 created 2025-10 (month -2) won at lag 2; C2, C6 created January, won April (lag 3).
    assert won[["created_month", "lag"]].values.tolist() == [[-2, 2], [1, 3], [1, 3]]
    created = ctx.query("forecast_creations").set_index("created_month")["deals"]
    assert created.get(1) == 3 and created.get(4) == 3 and -23 not in created.index  # C8: before the window
    ratio = ctx.query("forecast_value_ratio").iloc[0]
    assert (int(ratio["deals"]), float(ratio["won_value"]), float(ratio["pipeline_value"])) == (
        2,
        25_000,
        25_000,
    )
    book = ctx.query("forecast_book_history", through_period=202605)
    vpn = book[book["product"] == "综合VPN"].sort_values("period")
    assert vpn["recurring"].astype(float).tolist() == pytest.approx([10_000] * 5 + [9_400])  # 调测费 out
    assert (vpn["recurring_base"].astype(float) == vpn["recurring"].astype(float)).all()  # no contracts
    assert ctx.query("forecast_contract_ends", through_period=202605).empty


# --- the model never reads the demo generator -----------------------------------------------


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["analytics/forecast", "analytics/blocks"])
def test_the_model_never_imports_the_demo_generator(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path) if m.startswith("analytics.demo")
        )
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'forbidden_modules = ["analytics.demo"]' in text  # lint-imports enforces it too


def test_parts_take_a_window_past_december():
    # Data through October; a window of next January and February (months 13, 14).
    later = Window(2026, 10, np.array([13, 14]), date(2026, 11, 30))
    assert later.ahead.tolist() == [3, 4]
    wins = pd.DataFrame(
        {"branch": ["浦东"], "product": ["综合VPN"], "close_month": [11], "annual_value": [1_200.0]}
    )
    # Each part counts the window's months only: December (month 12) is before it.
    assert won_not_billed(wins, LINE, later).mean[0].tolist() == pytest.approx([100, 200])  # Jan, Jan..Feb
    # The run-rate lags growth of 10 a month by 10 x (3 - 1) / 2 = 10 in every month ahead.
    rows = history([100, 110, 120, 130, 140, 150], base=[50] * 6)
    assert drift(rows, NO_ENDS, LINE, later, 3).mean[0].tolist() == pytest.approx([10, 20])
    # The installed base's own trend (2 a month) grows with the months since the last loaded
    # one: the 3rd and 4th months ahead bring 2 x 3 and 2 x 4 (December's 2 x 2 is not in).
    rising = history([100, 110, 120, 130, 140, 150], base=[50, 52, 54, 56, 58, 60])
    assert drift(rising, NO_ENDS, LINE, later, 3).mean[0].tolist() == pytest.approx([10 + 6, 20 + 6 + 8])
    # A contract whose last month is November stops 30 a month from December: the window loses
    # January and February; one-off fees of 5 a month count from January too.
    ends = pd.DataFrame({"branch": ["浦东"], "product": ["综合VPN"], "last_month": [11], "monthly": [30.0]})
    assert drift(history([50] * 3), ends, LINE, later, 3).mean[0].tolist() == pytest.approx([-30, -60])
    fees = history([100] * 6, amount=[105] * 6)
    assert one_off(fees, LINE, later).mean[0].tolist() == pytest.approx([5, 10])
    # December and January are still to be created in: a same-month win earns from the next month.
    # Months 1..10 have known lag-0 outcomes, wins only in 1..5: 1,200 x 5 / 10 = 600 a month created.
    part = new_business(won_history({0: 1_200.0}), FLAT, LINE, later, first=1)
    assert part.mean[0].tolist() == pytest.approx([600 / 12, 600 * 2 / 12 + 600 / 12])
