"""Plotly chart builders of the funnel area (colours and layout decided once).

Builders take analytics frames and already-translated names, and only shape
them for display (pivots, text); no numbers are computed here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.money import to_wan
from analytics.scope import team_keys
from ui.charts import AHEAD, BEHIND, chinese_dates

STAGE_COLOURS = ("#90caf9", "#64b5f6", "#42a5f5", "#1e88e5", "#1565c0", AHEAD)
MEDIAN = "#1e88e5"
P90 = "#90caf9"
THRESHOLD = BEHIND
MARGIN = dict(l=10, r=10, t=50, b=10)


def _pct(value) -> str:
    return "—" if pd.isna(value) else f"{value:.0%}"


def funnel_figure(
    stages: pd.DataFrame, names: list[str], won: int, won_value: float, title: str
) -> go.Figure:
    """Funnel bars: reached per stage 0-4, then won; text = count · value (万元) · conversion."""
    counts = [*stages["reached"].tolist(), won]
    values = [*stages["reached_value"].tolist(), won_value]
    conversions = [*stages["conversion"].tolist(), None]
    text = [
        f"{c:,} · {to_wan(v):,.1f}万" + ("" if k is None else f" · →{_pct(k)}")
        for c, v, k in zip(counts, values, conversions, strict=True)
    ]
    figure = go.Figure(
        go.Funnel(
            y=names,
            x=counts,
            text=text,
            textinfo="text",
            marker_color=list(STAGE_COLOURS[: len(names)]),
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    figure.update_layout(title=title, height=360, margin=MARGIN)
    return figure


def conversion_heatmap(
    cells: pd.DataFrame, segments: list[str], step_names: list[str], title: str
) -> go.Figure:
    """Segments × steps of conversion; the weakest step of each segment is marked ▼."""
    grid = cells.pivot(index="segment_name", columns="stage", values="conversion").reindex(segments)
    weak = cells.pivot(index="segment_name", columns="stage", values="weakest_step").reindex(segments)
    text = [
        [("▼ " if pd.notna(w) and bool(w) else "") + _pct(v) for v, w in zip(row_v, row_w, strict=True)]
        for row_v, row_w in zip(grid.to_numpy(), weak.to_numpy(), strict=True)
    ]
    figure = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=step_names,
            y=segments,
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale="RdYlGn",
            hovertemplate="%{y} · %{x}: %{z:.1%}<extra></extra>",
            colorbar=dict(tickformat=".0%"),
        )
    )
    figure.update_layout(
        title=title, height=120 + 28 * len(segments), margin=MARGIN, yaxis=dict(autorange="reversed")
    )
    return figure


def durations_figure(
    durations: pd.DataFrame, names: list[str], labels: dict[str, str], title: str
) -> go.Figure:
    """Median and p90 days per stage as bars, the stale threshold as a marker."""
    figure = go.Figure()
    figure.add_bar(x=names, y=durations["median_days"], name=labels["median"], marker_color=MEDIAN)
    figure.add_bar(x=names, y=durations["p90_days"], name=labels["p90"], marker_color=P90)
    figure.add_scatter(
        x=names,
        y=durations["stale_days"],
        mode="markers",
        name=labels["threshold"],
        marker=dict(symbol="line-ew-open", size=28, color=THRESHOLD, line=dict(width=3)),
    )
    figure.update_layout(title=title, barmode="group", height=360, margin=MARGIN)
    return figure


def trend_figure(trend: pd.DataFrame, measure: str, stage_names: dict[int, str], title: str) -> go.Figure:
    """One line per stage: the measure (median_days or p90_days) per month the stints ended."""
    figure = go.Figure()
    for stage, rows in trend.groupby("stage", sort=True):
        figure.add_scatter(
            x=rows["period"].astype(str),
            y=rows[measure],
            mode="lines+markers",
            name=stage_names.get(int(stage), str(stage)),
            line=dict(color=STAGE_COLOURS[int(stage) % len(STAGE_COLOURS)]),
        )
    figure.update_layout(title=title, height=360, margin=MARGIN, xaxis=dict(type="category"))
    return figure


def process_figure(teams: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """Skipped stages and backward moves per team, stacked."""
    names = team_keys(teams["branch"], teams["team"])  # 浦东/金融一组: names repeat across branches
    figure = go.Figure()
    figure.add_bar(x=names, y=teams["skipped_stages"], name=labels["skipped"], marker_color=P90)
    figure.add_bar(x=names, y=teams["backward_moves"], name=labels["backward"], marker_color=BEHIND)
    figure.update_layout(title=title, barmode="stack", height=340, margin=MARGIN)
    return figure


def story_stage_figure(points: pd.DataFrame, stage_names: dict[int, str], title: str) -> go.Figure:
    """The opportunity's stage over time as a step line (from its stage changes)."""
    figure = go.Figure(
        go.Scatter(
            x=points["changed_at"],
            y=points["stage_after"],
            mode="lines+markers",
            line_shape="hv",
            text=points["to_status"],
            hovertemplate="%{x|%Y-%m-%d}: %{y} (%{text})<extra></extra>",
        )
    )
    ticks = sorted(stage_names)
    figure.update_layout(
        title=title,
        height=280,
        margin=MARGIN,
        yaxis=dict(tickvals=ticks, ticktext=[stage_names[k] for k in ticks], range=[-0.5, max(ticks) + 0.5]),
    )
    return chinese_dates(figure)
