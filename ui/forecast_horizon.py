"""收入预测 over a forward window (next quarter, next 12 months, next year): figures and table.

The page picks the horizon (analytics.forecast.horizons); the year-end keeps the
page's own layout, a forward window is shown here from ``window_forecast``'s
result only: P10 · P50 · P90 as three whole figures in 万元, the parts, the
window's budget and gap, and the rows by product or branch.
"""

from __future__ import annotations

import streamlit as st

from ui.forecast_tables import backtest_warnings
from ui.format import wan
from ui.i18n import h, t
from ui.tables import show_table
from ui.widgets import metric


def period_text(period: int) -> str:
    """YYYYMM as 2027-01."""
    return f"{period // 100}-{period % 100:02d}"


def horizon_selector(horizons: tuple[str, ...], lead: str) -> str:
    """The 预测期 choice, opening on ``lead`` (analytics.forecast.horizons.lead_horizon)."""
    return st.radio(
        t("fc_horizon"),
        list(horizons),
        index=list(horizons).index(lead),
        format_func=lambda h: t(f"fc_horizon_{h}"),
        horizontal=True,
        key=f"fc_horizon_{lead}",  # a new lead (another as_of) opens on it again
        help=h("fc_horizon"),
    )


def show_window(result: dict, lead: str) -> None:
    """A forward window's figures: band, parts, budget and gap, then the rows by product or branch."""
    overall = result["overall"]
    if result["horizon"] == lead:
        st.info(t("fc_window_lead").format(horizon=t(f"fc_horizon_{lead}")))
    st.caption(
        t("fc_window_caption").format(
            first=period_text(result["first_period"]),
            last=period_text(result["last_period"]),
            months=result["months"],
        )
    )
    cols = st.columns(3)  # the band as three whole figures: never cut off
    metric(cols[0], "fc_p10", wan(overall["p10"]), "fc_window_band")
    metric(cols[1], "fc_p50", wan(overall["p50"]), "fc_window_band")
    metric(cols[2], "fc_p90", wan(overall["p90"]), "fc_window_band")
    for warning in backtest_warnings(result["backtest"]):
        st.warning(warning)
    cols = st.columns(3)
    metric(cols[0], "fc_window_forecast", wan(overall["forecast_expected"]), "fc_window_forecast")
    metric(cols[1], "fc_window_run_rate", wan(overall["run_rate"]), "fc_window_run_rate")
    metric(cols[2], "fc_window_pipeline", wan(overall["pipeline_expected"]), "fc_window_pipeline")
    if overall["expected_vs_band"] != "inside":
        st.caption(t(f"fc_expected_{overall['expected_vs_band']}_band"))
    cols = st.columns(3)
    budget_key = "fc_window_target" if result["budget_basis"] == "target" else "fc_window_budget"
    metric(cols[0], budget_key, wan(overall["budget"]), "fc_window_budget")
    metric(cols[1], "fc_window_gap", wan(overall["gap"]), "fc_window_gap")
    if result["budget_note"] != "ok":
        st.caption(t(f"fc_window_{result['budget_note']}"))

    st.subheader(t("fc_window_levels"))
    group = st.radio(
        t("fc_by"),
        ["product", "branch"],
        format_func=lambda c: t(f"att_level_{c}"),
        horizontal=True,
        key="fc_window_by",
    )
    levels = result["levels"]
    show_table(
        levels[levels["level"] == group],
        [
            (group, group, None, "text"),
            ("run_rate", "fc_window_run_rate", "fc_window_run_rate", "wan"),
            ("pipeline_expected", "fc_window_pipeline", "fc_window_pipeline", "wan"),
            ("parts_expected", "fc_parts_expected", "fc_parts_expected", "wan"),
            ("forecast_expected", "fc_window_forecast", "fc_window_forecast", "wan"),
            ("p10", "fc_p10", "fc_window_band", "wan"),
            ("p50", "fc_p50", "fc_window_band", "wan"),
            ("p90", "fc_p90", "fc_window_band", "wan"),
        ],
        key="fc_window_table",
    )
