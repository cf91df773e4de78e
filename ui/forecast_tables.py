"""Tables of the attainment, forecast and calibration pages: labelled, defined, formatted.

Each column carries its definition as the header tooltip (column_config help),
money is shown in 万元, rates as percentages; the attainment table is coloured
by progress_gap so a line behind time progress stands out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.money import to_wan
from ui.charts import AHEAD, BEHIND
from ui.format import pct
from ui.i18n import h, t

Column = tuple[str, str, str | None, str]
"""(source column, label key, help key or None, kind: text|int|wan|pct|pp|num|date|bool)."""

_FORMATS = {"wan": "{:,.1f}", "pct": "{:.1%}", "pp": "{:+.1%}", "num": "{:.3f}", "int": "{:,.0f}"}


def _gap_colour(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"background-color: {BEHIND}33" if value < 0 else f"background-color: {AHEAD}26"


def show_table(frame: pd.DataFrame, columns: list[Column], *, key: str, colour_by: str | None = None) -> None:
    """A formatted table; ``colour_by`` names a shown column whose sign colours its row."""
    shown = frame[[c[0] for c in columns]].copy()
    for source, _label, _help, kind in columns:
        if kind == "wan":
            shown[source] = to_wan(shown[source].astype(float))
    labels = {source: t(label) for source, label, _help, _kind in columns}
    styler = shown.rename(columns=labels).style.format(
        {labels[s]: _FORMATS[k] for s, _l, _h, k in columns if k in _FORMATS}, na_rep="—"
    )
    if colour_by:
        gap = labels[colour_by]
        styler = styler.apply(lambda row: [_gap_colour(row[gap])] * len(row), axis=1)
    config = {labels[s]: st.column_config.Column(help=h(hk)) for s, _l, hk, _k in columns if hk}
    st.dataframe(styler, hide_index=True, width="stretch", column_config=config, key=key)


def band_note(sim: dict, mean: str, share: str) -> str:
    """How the P10–P90 band was simulated, worded for the counts at hand.

    With no won deals or no open deals the single template read as a bug
    ('0 个赢单样本', '逐笔模拟的商机 0 个（占方差 100.0 %）'); each case says what it means.
    """
    exact, normal = sim["exact_deals"], sim["normal_deals"]
    slips = t("fc_band_slips").format(slips=sim["slip_deals"]) if sim["slip_deals"] else t("fc_band_no_slips")
    if exact and normal:
        deals = t("fc_band_mixed").format(exact=exact, share=share, normal=normal)
    elif exact:
        deals = t("fc_band_all_exact").format(exact=exact)
    elif normal:
        deals = t("fc_band_all_normal").format(normal=normal)
    else:
        deals = t("fc_band_no_deals")
    return t("fc_band_runs").format(runs=sim["runs"]) + slips + t("fc_band_mean").format(mean=mean) + deals


def backtest_warnings(health: dict) -> list[str]:
    """Plain-words warnings when the frozen forecasts scored so far say the band or the level is off.

    Coverage outside [forecast_coverage_min, forecast_coverage_max] or |bias| over
    forecast_bias_max (analytics.forecast.frozen.backtest_health); none while
    nothing has been scored.  Bias > 0 means the forecasts ran below the revenue.
    """
    low, high = health["coverage_range"]
    messages = []
    if health["coverage_ok"] is False:
        key = "fc_backtest_coverage_low" if health["coverage"] < low else "fc_backtest_coverage_high"
        messages.append(t(key).format(coverage=pct(health["coverage"]), low=pct(low, 0), high=pct(high, 0)))
    if health["bias_ok"] is False:
        key = "fc_backtest_bias_low" if health["bias"] > 0 else "fc_backtest_bias_high"
        messages.append(t(key).format(bias=pct(abs(health["bias"])), limit=pct(health["bias_max"], 0)))
    return messages
