"""Plotly chart builders of the weekly review (周例会): the waterfall and the trend.

Builders take analytics results and already-translated names, and only shape
them for display; the parts' values come from the warehouse in integer fen and
are shown in 万元.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.forecast.bridge import ForecastBridge
from analytics.metrics.movement import COUNT_SIGNS, PART_SIGNS, WATERFALL_PARTS, Waterfall
from analytics.money import to_wan
from ui.charts import AHEAD, BEHIND

TOTAL = "#1e88e5"
MARGIN = dict(l=10, r=10, t=50, b=10)


def fen_to_wan(fen) -> float:
    """Integer fen (the warehouse's exact sums) → 万元 for display."""
    return to_wan(fen / 100)


def waterfall_figure(waterfall: Waterfall, measure: str, names: dict[str, str], title: str) -> go.Figure:
    """start → each part → end, in 万元 (measure 'value') or in deals ('count'); one bar per part,
    in WATERFALL_PARTS order, so a click's point index names the part."""
    signs = PART_SIGNS if measure == "value" else COUNT_SIGNS
    raw = waterfall.fen if measure == "value" else waterfall.counts
    shown = {p: fen_to_wan(v) if measure == "value" else v for p, v in raw.items()}
    values = [shown["start"], *(signs[p] * shown[p] for p in WATERFALL_PARTS[1:-1]), shown["end"]]
    text = [f"{v:,.1f}" if measure == "value" else f"{v:,}" for v in (shown[p] for p in WATERFALL_PARTS)]
    if measure == "count":  # a value change keeps a deal open: its count is shown, not stepped
        text = [
            t if p not in ("increase", "decrease") else f"({t})"
            for p, t in zip(WATERFALL_PARTS, text, strict=True)
        ]
    figure = go.Figure(
        go.Waterfall(
            x=[names[p] for p in WATERFALL_PARTS],
            y=values,
            measure=["absolute", *["relative"] * (len(WATERFALL_PARTS) - 2), "total"],
            text=text,
            textposition="outside",
            increasing=dict(marker=dict(color=AHEAD)),
            decreasing=dict(marker=dict(color=BEHIND)),
            totals=dict(marker=dict(color=TOTAL)),
            connector=dict(line=dict(color="#999", width=1)),
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(title=title, height=400, margin=MARGIN, showlegend=False)
    return figure


def trend_figure(trend: pd.DataFrame, open_name: str, move_names: dict[str, str], title: str) -> go.Figure:
    """Open pipeline value (万元, bars) at every snapshot, and each movement's count per week (lines)."""
    dates = pd.to_datetime(trend["snapshot_b"]).dt.strftime("%Y-%m-%d")
    figure = go.Figure()
    figure.add_bar(x=dates, y=fen_to_wan(trend["end_fen"]), name=open_name, marker_color=TOTAL, opacity=0.5)
    for column, name in move_names.items():
        figure.add_scatter(x=dates, y=trend[column], name=name, mode="lines+markers", yaxis="y2")
    figure.update_layout(
        title=title,
        height=380,
        margin=MARGIN,
        xaxis=dict(type="category"),
        yaxis2=dict(overlaying="y", side="right", rangemode="tozero"),
        legend=dict(orientation="h"),
    )
    return figure


def bridge_figure(
    bridge: ForecastBridge, parts: tuple[str, ...], names: dict[str, str], title: str
) -> go.Figure:
    """A's figure → each of ``parts`` of the bridge → B's, in 万元."""
    values = [fen_to_wan(bridge.expected_a_fen), *(fen_to_wan(bridge.parts_fen[p]) for p in parts)]
    values.append(fen_to_wan(bridge.expected_b_fen))
    figure = go.Figure(
        go.Waterfall(
            x=[names[p] for p in ("start", *parts, "end")],
            y=values,
            measure=["absolute", *["relative"] * len(parts), "total"],
            text=[f"{v:,.1f}" for v in values],
            textposition="outside",
            increasing=dict(marker=dict(color=AHEAD)),
            decreasing=dict(marker=dict(color=BEHIND)),
            totals=dict(marker=dict(color=TOTAL)),
            connector=dict(line=dict(color="#999", width=1)),
        )
    )
    figure.update_layout(title=title, height=380, margin=MARGIN, showlegend=False)
    return figure
