"""Plotly builders of the account-manager pages: effort against results, targets.

Charts take the scorecard frame as the analytics function returns it (money
in CNY, rates as fractions) and the labels already translated, so they hold no
business rule and no catalogue look-up of their own.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.money import to_wan
from analytics.scope import team_key, team_keys

WON = "#2e7d32"
EXPECTED = "#a5d6a7"
TARGET = "#37474f"
MEDIAN_LINE = "#888"
PALETTE = ("#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#558b2f", "#4e342e", "#283593")


def _bubble_sizes(values: pd.Series) -> pd.Series:
    """Marker diameters whose area follows open value (a manager with none still shows)."""
    top = float(values.max()) if len(values) and values.max() > 0 else 1.0
    return 8 + 40 * (values.clip(lower=0) / top) ** 0.5


NAMES_SHOWN_UP_TO = 25
"""With more managers than this the scatter shows names on hover only (labels would overlap)."""


LEGEND_TEAMS_UP_TO = len(PALETTE)
"""With more teams than colours, one trace per colour and the team on hover (no legend)."""


def _scatter_groups(frame: pd.DataFrame) -> tuple[pd.Series, bool]:
    """Each manager's trace number, and whether traces are teams (with a legend).

    A trace per team costs milliseconds each in plotly: hundreds of teams took
    seconds, and a legend of hundreds is unreadable anyway.  Beyond the palette
    the teams share one trace per colour, so the chart's cost stays flat.
    """
    codes = frame.groupby(["branch", "team"], dropna=False, sort=True).ngroup()  # a team is branch + name
    by_team = bool(codes.max() < LEGEND_TEAMS_UP_TO) if len(codes) else True
    return (codes if by_team else codes % len(PALETTE)), by_team


def effort_result_scatter(frame: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """activities_per_week (x) against win_rate_adjusted (y, with interval), bubble = open_value.

    One colour per team (a trace each, up to the palette's size); managers with
    too few closed deals are drawn hollow.  Bubble areas share one scale.
    Dashed lines at the medians of the managers shown split the four kinds.
    """
    groups, by_team = _scatter_groups(frame)
    sizes = _bubble_sizes(frame["open_value"].fillna(0))
    traces = []
    for index, rows in frame.groupby(groups, sort=True):
        colour = PALETTE[int(index) % len(PALETTE)]
        traces.append(
            go.Scatter(
                x=rows["activities_per_week"],
                y=rows["win_rate_adjusted"],
                mode="markers+text" if len(frame) <= NAMES_SHOWN_UP_TO else "markers",
                name=team_key(rows["branch"].iloc[0], str(rows["team"].iloc[0])) if by_team else "",
                showlegend=by_team,
                text=rows["owner_name"].fillna(rows["owner_id"]),
                textposition="top center",
                marker=dict(
                    size=sizes.loc[rows.index],
                    color=[("rgba(0,0,0,0)" if few else colour) for few in rows["too_few_deals"]],
                    line=dict(color=colour, width=2),
                ),
                error_y=dict(
                    type="data",
                    array=(rows["win_rate_high"] - rows["win_rate_adjusted"]).fillna(0),
                    arrayminus=(rows["win_rate_adjusted"] - rows["win_rate_low"]).fillna(0),
                    color=colour,
                    thickness=1,
                ),
                customdata=pd.DataFrame(
                    {
                        "value": to_wan(rows["open_value"].fillna(0)),
                        "team": team_keys(rows["branch"], rows["team"].fillna("")),
                    }
                ),
                hovertemplate=(
                    "%{text} · %{customdata[1]}<br>"
                    + labels["x"]
                    + ": %{x:.2f}<br>"
                    + labels["y"]
                    + ": %{y:.1%}<br>"
                    + labels["size"]
                    + ": %{customdata[0]:,.1f}<extra></extra>"
                ),
            )
        )
    figure = go.Figure(data=traces)
    for axis, column in (("x", "activities_per_week"), ("y", "win_rate_adjusted")):
        middle = frame[column].median()
        if pd.notna(middle):
            add = figure.add_vline if axis == "x" else figure.add_hline
            add(middle, line_dash="dash", line_color=MEDIAN_LINE)
    figure.update_layout(
        xaxis_title=labels["x"],
        yaxis_title=labels["y"],
        yaxis_tickformat=".0%",
        height=480,
        margin=dict(l=10, r=10, t=30, b=10),
        legend_title_text=labels["team"],
    )
    return figure


def lowest_coverage(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Managers with a target, lowest coverage first (target met last), at most ``limit``."""
    rows = frame[frame["target"].notna()]
    return rows.sort_values(["coverage", "target_attainment"], na_position="last").head(limit)


def target_bars(rows: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Per manager: won this year plus the pipeline expected this year, against the target.

    ``rows`` come in the order to show from the top (see :func:`lowest_coverage`).
    """
    rows = rows.iloc[::-1]
    teams = pd.Series(team_keys(rows["branch"], rows["team"].fillna("")), index=rows.index)
    names = rows["owner_name"].fillna(rows["owner_id"]) + " · " + teams
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            y=names, x=to_wan(rows["won_value_ytd"]), orientation="h", name=labels["won"], marker_color=WON
        )
    )
    figure.add_trace(
        go.Bar(
            y=names,
            x=to_wan(rows["pipeline_expected"]),
            orientation="h",
            name=labels["expected"],
            marker_color=EXPECTED,
            text=[labels["coverage_text"](value) for value in rows["coverage"]],
            textposition="outside",
        )
    )
    figure.add_trace(
        go.Scatter(
            y=names,
            x=to_wan(rows["target"]),
            mode="markers",
            name=labels["target"],
            marker=dict(symbol="line-ns-open", size=22, line=dict(width=3, color=TARGET)),
        )
    )
    figure.update_layout(
        barmode="stack",
        xaxis_title=labels["unit"],
        height=80 + 34 * len(rows),
        margin=dict(l=10, r=40, t=30, b=10),
    )
    return figure
