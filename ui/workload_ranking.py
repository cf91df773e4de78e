"""The 客户经理 page's first section: who is at the top and who at the bottom, by one measure.

The ranking comes from ``analytics.metrics.workload.workload_ranking`` (SQL:
the order, the cut to the top and bottom ``workload_ranking_size`` and the
small-sample rule); this module only lets the leader pick the measure and
shows the two ends (top in green, bottom in red), the unranked apart in muted text.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.metrics.workload import RANKING_MEASURES
from analytics.scope import team_keys
from ui.format import pct
from ui.i18n import h, t
from ui.tables import Column, show_table

MEASURE_COLUMNS: dict[str, list[Column]] = {
    "win_rate_adjusted": [
        Column("ranking_value", "wl_win_rate_adjusted", "wl_win_rate_adjusted", "pct"),
        Column("_interval", "wl_ranking_interval", "wl_win_rate_adjusted"),
        Column("closed_count", "wl_closed_count", "wl_closed_count", "int"),
    ],
    "activities_per_week": [
        Column("ranking_value", "wl_activities_per_week", "wl_activities_per_week", "dec"),
        Column("activities", "wl_activities", "wl_activities", "int"),
    ],
    "coverage": [
        Column("ranking_value", "wl_coverage", "wl_coverage", "pct"),
        Column("target_attainment", "wl_target_attainment", "wl_target_attainment", "pct"),
        Column("remaining_target", "wl_remaining_target", "wl_remaining_target", "wan"),
    ],
}
"""What each measure's table shows beside the manager: the value and what it rests on."""

IDENTITY_COLUMNS = [
    Column("ranking", "wl_ranking_position", "wl_ranking", "int"),
    Column("_owner", "wl_owner"),
    Column("team", "wl_team", "wl_team"),
    Column("branch", "branch"),
]


def choose_measure() -> str:
    """The section's title and the ranking measure, capability first (the question asked most)."""
    st.subheader(t("wl_ranking"), help=h("wl_ranking"))
    return st.radio(
        t("wl_ranking_measure"),
        RANKING_MEASURES,
        format_func=lambda m: t(f"wl_measure_{m}"),
        horizontal=True,
        key="wl_ranking_measure",
    )


def _interval(frame: pd.DataFrame) -> pd.Series:
    """The adjusted rate's interval as one cell: 31.2%–45.0%."""
    return pd.Series(
        [
            f"{pct(low)}–{pct(high)}"
            for low, high in zip(frame["win_rate_low"], frame["win_rate_high"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(_owner=frame["owner_name"].fillna(frame["owner_id"]), _interval=_interval(frame))


def _unranked_note(frame: pd.DataFrame) -> None:
    """The managers left out of the ranking, muted: names (at most the ranking size) and why."""
    left_out = frame[frame["band"] == "unranked"]
    if left_out.empty:
        return
    total = int(left_out["unranked_count"].iloc[0])
    names = (
        left_out["owner_name"].fillna(left_out["owner_id"])
        + " · "
        + pd.Series(team_keys(left_out["branch"], left_out["team"].fillna("")), index=left_out.index)
    )
    listed = "、".join(names) + ("……" if total > len(left_out) else "")
    reasons = "；".join(t(f"wl_unranked_{r}") for r in dict.fromkeys(left_out["unranked_reason"]))
    st.caption(t("wl_ranking_unranked").format(n=total, reason=reasons, names=listed))


def show_ranking(ranking: pd.DataFrame, measure: str, size: int) -> None:
    """The top then the bottom of ``workload_ranking`` by ``measure``, the unranked muted below.

    ``size`` is the setting workload_ranking_size the ranking was cut with.
    """
    frame = _shown(ranking)
    ranked = frame[frame["band"] != "unranked"]
    if ranked.empty:
        st.info(t("wl_ranking_none"))
        _unranked_note(frame)
        return
    top, bottom = (frame[frame["band"] == band] for band in ("top", "bottom"))
    count = int(ranked["ranked_count"].iloc[0])
    caption = "wl_ranking_all_shown" if count <= 2 * size else "wl_ranking_shown"
    st.caption(t(caption).format(ranked=count, top=len(top), bottom=len(bottom)))
    columns = IDENTITY_COLUMNS + MEASURE_COLUMNS[measure]
    st.markdown(f":green[**{t('wl_ranking_top').format(n=len(top))}**]")
    show_table(top, columns, key="wl_ranking_top")
    if not bottom.empty:  # a scope of one ranked manager has no bottom
        st.markdown(f":red[**{t('wl_ranking_bottom').format(n=len(bottom))}**]")
        show_table(bottom, columns, key="wl_ranking_bottom")
    _unranked_note(frame)
