"""Plotly chart builders shared by pages (colours and layout decided once)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

AHEAD = "#2e7d32"
BEHIND = "#c62828"


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
            text=[f"{v:.1%}" for v in ordered["attainment"].fillna(0)],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    figure.add_vline(
        x=time_progress,
        line_dash="dash",
        line_color="#555",
        annotation_text=f"{time_progress:.1%}",
        annotation_position="top",
    )
    upper = max(float(ordered["attainment"].max() or 0), time_progress) * 1.18
    figure.update_layout(
        title=title,
        xaxis_tickformat=".0%",
        xaxis_range=[0, upper],
        height=60 + 32 * len(ordered),
        margin=dict(l=10, r=30, t=50, b=10),
        showlegend=False,
    )
    return figure


DATE_TICKS = "%Y-%m-%d"


def _is_dates(values) -> bool:
    """Whether a trace's coordinates are dates or date-times (not periods written as text)."""
    series = pd.Series(list(values))
    return pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.infer_dtype(series) in (
        "date",
        "datetime",
        "datetime64",
    )


def chinese_dates(figure: go.Figure) -> go.Figure:
    """Date axes tick and hover as 2026-09-20.

    Streamlit's Plotly carries the English locale only, so a date axis would read
    'Sep 20'; a numeric format is locale-free.  Applied to each axis a trace
    puts dates on, so numeric and category axes keep their own formats.
    """
    for trace in figure.data:
        for letter in ("x", "y"):
            values = getattr(trace, letter, None)
            if values is None or not len(values) or not _is_dates(values):
                continue
            axis = getattr(trace, f"{letter}axis", None) or letter  # 'x', 'x2' …
            figure.layout[f"{axis[0]}axis{axis[1:]}"].update(tickformat=DATE_TICKS, hoverformat=DATE_TICKS)
    return figure
