"""Plotly chart builders of the funnel area; the style comes from ui/chart_style.py.

Builders take analytics frames and already-translated names, and only shape
them for display (pivots, text); no numbers are computed here.  A rate or a
median resting on fewer observations than ``chart_small_sample_n`` is drawn
grey, with its count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.money import to_wan
from analytics.scope import team_keys
from ui.chart_style import (
    AHEAD,
    BEHIND,
    MUTED,
    PALETTE,
    count_axis,
    days_axis,
    layout,
    legend_key,
    sample_text,
    small_sample_n,
    time_categories,
)
from ui.i18n import t

STAGE_COLOURS = ("#C6DBEF", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C", AHEAD)
"""The funnel's bars: one ordered sequence, light to dark as deals move on, won in green."""
MEDIAN = PALETTE[0]
P90 = PALETTE[4]
THRESHOLD = BEHIND
CONVERSION_SCALE = "RdYlBu"
"""Low conversion red, high blue: a diverging scale colour-blind readers can tell apart."""


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
            textposition="auto",
            constraintext="none",
            cliponaxis=False,
            marker_color=list(STAGE_COLOURS[: len(names)]),
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    return layout(figure, title, height=380, legend=False)


def conversion_heatmap(
    cells: pd.DataFrame, segments: list[str], step_names: list[str], title: str
) -> go.Figure:
    """Segments × steps of conversion; the weakest step of each segment is marked ▼.

    A cell whose step started with fewer deals than ``chart_small_sample_n``
    is drawn grey with its count, in a trace of its own: a 0 % out of three
    deals is no alarm.  Every cell's hover names its count.
    """
    grid = cells.pivot(index="segment_name", columns="stage", values="conversion").reindex(segments)
    weak = cells.pivot(index="segment_name", columns="stage", values="weakest_step").reindex(segments)
    reached = cells.pivot(index="segment_name", columns="stage", values="reached").reindex(segments)
    small = (reached.fillna(0) < small_sample_n()).to_numpy()
    z, n = grid.to_numpy(dtype=float), reached.to_numpy()
    samples = [[sample_text(v) for v in row] for row in n]
    text = [
        [
            _pct(v) + f" · {s}" if few else ("▼ " if pd.notna(w) and bool(w) else "") + _pct(v)
            for v, w, s, few in zip(row_v, row_w, row_s, row_small, strict=True)
        ]
        for row_v, row_w, row_s, row_small in zip(
            grid.to_numpy(), weak.to_numpy(), samples, small, strict=True
        )
    ]
    # each trace writes only its own cells' text: the other's would overprint it
    coloured = [
        [("" if few else x) for x, few in zip(row, flags, strict=True)]
        for row, flags in zip(text, small, strict=True)
    ]
    greyed = [
        [(x if few else "") for x, few in zip(row, flags, strict=True)]
        for row, flags in zip(text, small, strict=True)
    ]
    hover = "%{y} · %{x}: %{customdata[0]:.1%} · %{customdata[1]}<extra></extra>"
    custom = np.dstack([z, np.array(samples, dtype=object)])
    figure = go.Figure()
    figure.add_heatmap(
        z=np.where(small, np.nan, z),
        x=step_names,
        y=segments,
        text=coloured,
        texttemplate="%{text}",
        customdata=custom,
        zmin=0,
        zmax=1,
        colorscale=CONVERSION_SCALE,
        hovertemplate=hover,
        hoverongaps=False,
        xgap=1,
        ygap=1,
        colorbar=dict(tickformat=".0%"),
    )
    if small.any():
        figure.add_heatmap(
            z=np.where(small, 1.0, np.nan),
            x=step_names,
            y=segments,
            text=greyed,
            texttemplate="%{text}",
            textfont=dict(color="#31333F"),
            customdata=custom,
            zmin=0,
            zmax=1,
            colorscale=[[0, MUTED], [1, MUTED]],
            showscale=False,
            hovertemplate=hover,
            hoverongaps=False,
            xgap=1,
            ygap=1,
        )
    note = t("chart_small_sample") if small.any() else None
    layout(figure, title, height=140 + 28 * len(segments), legend=False, subtitle=note)
    figure.update_xaxes(type="category")
    return figure.update_yaxes(type="category", autorange="reversed")


def durations_figure(
    durations: pd.DataFrame, names: list[str], labels: dict[str, str], title: str
) -> go.Figure:
    """Median and p90 days per stage as bars, the stale threshold as a marker.

    A stage whose figures rest on fewer ended stints than ``chart_small_sample_n``
    has grey bars; the hover names the count.
    """
    small = durations["ended_stints"].fillna(0) < small_sample_n()
    samples = [sample_text(n) for n in durations["ended_stints"]]
    figure = go.Figure()
    for column, colour, key in (("median_days", MEDIAN, "median"), ("p90_days", P90, "p90")):
        figure.add_bar(
            x=names,
            y=durations[column],
            name=labels[key],
            marker_color=[MUTED if few else colour for few in small],
            legendgroup=key,
            showlegend=False,
            text=samples,
            textposition="none",
            hovertemplate="%{x} · " + labels[key] + ": %{y:,.1f}（%{text}）<extra></extra>",
        )
    for colour, key in ((MEDIAN, "median"), (P90, "p90")):
        legend_key(figure, labels[key], colour, key)
    figure.add_scatter(
        x=names,
        y=durations["stale_days"],
        mode="markers",
        name=labels["threshold"],
        marker=dict(symbol="line-ew-open", size=28, color=THRESHOLD, line=dict(width=3, color=THRESHOLD)),
    )
    note = t("chart_small_sample") if small.any() else None
    layout(figure.update_layout(barmode="group"), title, height=380, subtitle=note)
    figure.update_xaxes(type="category")
    return days_axis(figure, "y")


def trend_figure(trend: pd.DataFrame, measure: str, stage_names: dict[int, str], title: str) -> go.Figure:
    """One line per stage: the measure (median_days or p90_days) per month the stints ended.

    Months are categories in time order (a stage seen first in a later month
    would otherwise put that month first, and the lines zig-zag); a month
    resting on fewer stints than ``chart_small_sample_n`` is a hollow grey point
    (drawn over the line's own), its count in the hover.
    """
    trend = trend.sort_values(["stage", "period"])
    limit = small_sample_n()
    figure = go.Figure()
    hover = "%{x} · %{fullData.name}: %{y:,.1f}（%{text}）<extra></extra>"
    for stage, rows in trend.groupby("stage", sort=True):
        colour, name = PALETTE[int(stage) % len(PALETTE)], stage_names.get(int(stage), str(stage))
        samples = [sample_text(n) for n in rows["ended_stints"]]
        figure.add_scatter(
            x=rows["period"].astype(str),
            y=rows[measure],
            mode="lines+markers",
            name=name,
            legendgroup=name,
            line=dict(color=colour),
            marker=dict(color=colour, size=7),
            text=samples,
            hovertemplate=hover,
        )
        small = (rows["ended_stints"].fillna(0) < limit).to_numpy()
        if small.any():  # drawn over the line's own points, so the legend keeps the series' colour
            figure.add_scatter(
                x=rows["period"].astype(str)[small],
                y=rows[measure][small],
                mode="markers",
                name=name,
                legendgroup=name,
                showlegend=False,
                marker=dict(color="white", size=9, line=dict(width=2, color=MUTED)),
                text=[text for text, few in zip(samples, small, strict=True) if few],
                hovertemplate=hover,
            )
    note = t("chart_small_sample") if (trend["ended_stints"].fillna(0) < limit).any() else None
    layout(figure, title, height=400, subtitle=note)
    time_categories(figure, "x", trend["period"].astype(str))
    figure.update_xaxes(title_text=t("axis_period"))
    return days_axis(figure, "y", t(f"col_{measure}"))


def process_figure(teams: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """Skipped stages and backward moves per team, stacked."""
    names = team_keys(teams["branch"], teams["team"])  # 浦东/金融一组: names repeat across branches
    figure = go.Figure()
    figure.add_bar(x=names, y=teams["skipped_stages"], name=labels["skipped"], marker_color=PALETTE[4])
    figure.add_bar(x=names, y=teams["backward_moves"], name=labels["backward"], marker_color=PALETTE[5])
    layout(figure.update_layout(barmode="stack"), title, height=380)
    figure.update_xaxes(type="category", title_text=t("team"))
    return count_axis(figure, "y", unit="unit_times")


def story_stage_figure(points: pd.DataFrame, stage_names: dict[int, str], title: str) -> go.Figure:
    """The opportunity's stage over time as a step line (from its stage changes)."""
    figure = go.Figure(
        go.Scatter(
            x=points["changed_at"],
            y=points["stage_after"],
            mode="lines+markers",
            line_shape="hv",
            line_color=PALETTE[0],
            text=points["to_status"],
            hovertemplate="%{x|%Y-%m-%d}: %{y} (%{text})<extra></extra>",
        )
    )
    ticks = sorted(stage_names)
    layout(figure, title, height=300, legend=False)
    return figure.update_yaxes(
        tickvals=ticks,
        ticktext=[stage_names[k] for k in ticks],
        range=[-0.5, max(ticks) + 0.5],
        tickangle=0,  # stage names read level
        title_text=t("stage"),
    )
