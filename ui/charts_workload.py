"""Plotly builders of the account-manager pages: effort against results, targets.

Charts take the scorecard frame as the analytics function returns it (money
in CNY, rates as fractions) and the labels already translated, so they hold no
business rule; colours, units and margins come from ui/chart_style.py.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.money import to_wan
from analytics.scope import team_key, team_keys
from ui.chart_style import AHEAD, PALETTE, fit_bar_labels, layout, pct_axis, titled, wan_axis

WON = AHEAD
EXPECTED = "#A5D6A7"
TARGET = "#37474F"
MEDIAN_LINE = "#888888"


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
    layout(figure, None, height=520, legend=by_team)
    figure.update_layout(legend_title_text=labels["team"])
    figure.update_xaxes(
        title_text=titled(labels["x"], "unit_per_week"), tickformat=",.1~f", rangemode="tozero"
    )
    return pct_axis(figure, "y", labels["y"])


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
            # the bar's own end against the target (coverage is of the remaining target only)
            text=[labels["coverage_text"](value) for value in rows["expected_attainment"]],
            textposition="outside",
        )
    )
    figure.add_trace(
        go.Scatter(
            y=names,
            x=to_wan(rows["target"]),
            mode="markers",
            name=labels["target"],
            marker=dict(symbol="line-ns-open", size=22, color=TARGET, line=dict(width=3, color=TARGET)),
        )
    )
    layout(figure.update_layout(barmode="stack"), None, height=110 + 34 * len(rows))
    figure.update_yaxes(type="category")
    wan_axis(figure, "x")
    return fit_bar_labels(figure, "x", headroom=0.25)
