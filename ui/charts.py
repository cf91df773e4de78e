"""Plotly chart builders shared by pages; colours, formats and layout come from ui/chart_style.py."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.chart_style import (
    AHEAD,
    BEHIND,
    DATE_TICKS,
    REFERENCE,
    chinese_dates,
    end_labels,
    fit_bar_labels,
    layout,
    pct_axis,
)
from ui.i18n import t

__all__ = ["AHEAD", "BEHIND", "DATE_TICKS", "attainment_bars", "chinese_dates"]


def attainment_bars(frame: pd.DataFrame, category: str, time_progress: float, title: str) -> go.Figure:
    """Horizontal bars of attainment per category, red when behind the time progress line.

    The colour compares with the line drawn (the page passes the like-for-like
    time progress), so a bar and its reference never disagree.
    """
    ordered = frame.sort_values("attainment")
    colours = [AHEAD if value >= time_progress else BEHIND for value in ordered["attainment"].fillna(-1)]
    figure = go.Figure(
        go.Bar(
            x=ordered["attainment"],
            y=ordered[category],
            orientation="h",
            marker_color=colours,
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    end_labels(  # past the time-progress line where the bar stops just short of it
        figure,
        ordered[category],
        ordered["attainment"].fillna(0).clip(lower=time_progress),
        [f"{v:.1%}" for v in ordered["attainment"].fillna(0)],
    )
    figure.add_vline(
        x=time_progress,
        line_dash="dash",
        line_color=REFERENCE,
        annotation_text=f"{time_progress:.1%}",
        annotation_position="top",
    )
    upper = max(float(ordered["attainment"].max() or 0), time_progress) * 1.22
    layout(figure, title, height=90 + 32 * len(ordered), legend=False)
    pct_axis(figure, "x", t("attainment"))
    figure.update_xaxes(range=[0, upper])
    return fit_bar_labels(figure)
