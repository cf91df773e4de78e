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
