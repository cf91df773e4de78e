"""Plotly chart builders of the weekly review (周例会): the waterfall, the trend and the bridge.

Builders take analytics results and already-translated names, and only shape
them for display; the parts' values come from the warehouse in integer fen and
are shown in 万元.  The style comes from ui/chart_style.py.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.forecast.bridge import ForecastBridge
from analytics.metrics.movement import COUNT_SIGNS, PART_SIGNS, WATERFALL_PARTS, Waterfall
from analytics.money import to_wan
from ui.chart_style import (
    AHEAD,
    BEHIND,
    PALETTE,
    count_axis,
    fit_bar_labels,
    layout,
    time_categories,
    wan_axis,
)
from ui.i18n import t

TOTAL = PALETTE[0]
MOVES = PALETTE[1:]
"""The trend's movement lines: the palette after the bars' blue, one colour each."""


def fen_to_wan(fen) -> float:
    """Integer fen (the warehouse's exact sums) → 万元 for display."""
    return to_wan(fen / 100)


def _waterfall(x: list[str], values: list, text: list[str], measure_count: int) -> go.Waterfall:
    """A start → parts → end waterfall trace in the house colours, labels outside the bars."""
    return go.Waterfall(
        x=x,
        y=values,
        measure=["absolute", *["relative"] * measure_count, "total"],
        text=text,
        textposition="outside",
        cliponaxis=False,
        increasing=dict(marker=dict(color=AHEAD)),
        decreasing=dict(marker=dict(color=BEHIND)),
        totals=dict(marker=dict(color=TOTAL)),
        connector=dict(line=dict(color="#999", width=1)),
    )


def _headroom(figure: go.Figure, values: list) -> go.Figure:
    """Room above the highest running total (and below the lowest) for the labels outside the bars."""
    running, points = 0.0, []
    for i, value in enumerate(values):
        running = value if i in (0, len(values) - 1) else running + value
        points.append(running)
    top, bottom = max([*points, 0.0]), min([*points, 0.0])
    span = (top - bottom) or 1.0
    return figure.update_yaxes(range=[bottom - (0.12 * span if bottom < 0 else 0), top + 0.15 * span])


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
            shown_text if p not in ("increase", "decrease") else f"({shown_text})"
            for p, shown_text in zip(WATERFALL_PARTS, text, strict=True)
        ]
    trace = _waterfall([names[p] for p in WATERFALL_PARTS], values, text, len(WATERFALL_PARTS) - 2)
    figure = go.Figure(trace.update(hovertemplate="%{x}: %{text}<extra></extra>"))
    layout(figure, title, height=420, legend=False)
    figure.update_xaxes(type="category")
    (wan_axis if measure == "value" else count_axis)(figure, "y")
    return fit_bar_labels(_headroom(figure, values))


def trend_figure(trend: pd.DataFrame, open_name: str, move_names: dict[str, str], title: str) -> go.Figure:
    """Open pipeline value (万元, bars) at every snapshot, and each movement's count per week (lines).

    Snapshot dates are categories in date order; the bars' axis is 万元 on the
    left, the lines' is deals on the right, each titled with its unit.
    """
    trend = trend.assign(_b=pd.to_datetime(trend["snapshot_b"])).sort_values("_b")
    dates = trend["_b"].dt.strftime("%Y-%m-%d")
    figure = go.Figure()
    figure.add_bar(x=dates, y=fen_to_wan(trend["end_fen"]), name=open_name, marker_color=TOTAL, opacity=0.45)
    for (column, name), colour in zip(move_names.items(), MOVES, strict=False):
        figure.add_scatter(
            x=dates, y=trend[column], name=name, mode="lines+markers", yaxis="y2", line=dict(color=colour)
        )
    figure.update_layout(yaxis2=dict(overlaying="y", side="right", rangemode="tozero", showgrid=False))
    layout(figure, title, height=420)
    time_categories(figure, "x", dates)
    figure.update_xaxes(title_text=t("axis_snapshot"))
    wan_axis(figure, "y", open_name)
    return count_axis(figure, "y2")


def bridge_figure(
    bridge: ForecastBridge, parts: tuple[str, ...], names: dict[str, str], title: str
) -> go.Figure:
    """A's figure → each of ``parts`` of the bridge → B's, in 万元."""
    values = [fen_to_wan(bridge.expected_a_fen), *(fen_to_wan(bridge.parts_fen[p]) for p in parts)]
    values.append(fen_to_wan(bridge.expected_b_fen))
    trace = _waterfall(
        [names[p] for p in ("start", *parts, "end")], values, [f"{v:,.1f}" for v in values], len(parts)
    )
    figure = go.Figure(trace)
    layout(figure, title, height=400, legend=False)
    figure.update_xaxes(type="category")
    wan_axis(figure, "y")
    return fit_bar_labels(_headroom(figure, values))
