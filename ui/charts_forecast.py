"""Plotly chart builders of the attainment, forecast and calibration pages.

Builders take frames from analytics and label strings from the page (no
catalogue look-ups here), so they can be reused by exports.  Money is shown in
万元; colours follow ui/charts.py (red behind, green ahead).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.money import to_wan
from ui.charts import AHEAD, BEHIND, chinese_dates

ACTUAL = "#1f77b4"
RUN_RATE = "#6baed6"
PIPELINE = "#fdae6b"
BUDGET = "#555555"
BAND = "rgba(253, 174, 107, 0.30)"


def _layout(figure: go.Figure, title: str, height: int = 380) -> go.Figure:
    figure.update_layout(
        title=title, height=height, margin=dict(l=10, r=20, t=50, b=10), legend_orientation="h"
    )
    return chinese_dates(figure)


def attainment_gauge(attainment: float, time_progress: float, title: str) -> go.Figure:
    """Gauge of overall attainment with the time progress as the threshold line."""
    colour = AHEAD if attainment >= time_progress else BEHIND
    figure = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=attainment * 100,
            number={"suffix": "%", "valueformat": ".1f"},
            gauge={
                "axis": {"range": [0, max(100, attainment * 100)]},
                "bar": {"color": colour},
                "threshold": {"line": {"color": BEHIND, "width": 3}, "value": time_progress * 100},
            },
        )
    )
    return _layout(figure, title, height=260)


def attainment_bullets(frame: pd.DataFrame, category: str, time_progress: float, title: str) -> go.Figure:
    """One bullet per row: attainment bar, time progress as the marker line (red when below it)."""
    rows = frame.sort_values("attainment", ascending=False).reset_index(drop=True)
    figure, step = go.Figure(), 1 / max(len(rows), 1)
    for i, row in rows.iterrows():  # one indicator per category (a handful), not per data row
        value = 0.0 if pd.isna(row["attainment"]) else row["attainment"] * 100
        figure.add_trace(
            go.Indicator(
                mode="number+gauge",
                value=value,
                number={"suffix": "%", "valueformat": ".1f", "font": {"size": 14}},
                title={"text": str(row[category]), "font": {"size": 13}},
                domain={
                    "x": [0.18, 0.9],
                    "y": [1 - (i + 1) * step + 0.15 * step, 1 - i * step - 0.15 * step],
                },
                gauge={
                    "shape": "bullet",
                    "axis": {"range": [0, 100], "visible": i == len(rows) - 1},  # one scale, at the bottom
                    "bar": {"color": AHEAD if value >= time_progress * 100 else BEHIND},
                    "threshold": {"line": {"color": BUDGET, "width": 2}, "value": time_progress * 100},
                },
            )
        )
    return _layout(figure, title, height=70 + 46 * len(rows))


def cumulative_vs_budget(monthly: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """Monthly bars (actual, budget) and cumulative lines: actual only through data_through."""
    figure = go.Figure()
    figure.add_bar(
        x=monthly["month"], y=to_wan(monthly["budget"]), name=labels["budget_month"], marker_color="#d9d9d9"
    )
    figure.add_bar(
        x=monthly["month"], y=to_wan(monthly["actual"]), name=labels["actual_month"], marker_color=RUN_RATE
    )
    figure.add_scatter(
        x=monthly["month"],
        y=to_wan(monthly["budget_cumulative"]),
        name=labels["budget_cumulative"],
        line={"color": BUDGET, "dash": "dash"},
    )
    figure.add_scatter(
        x=monthly["month"],
        y=to_wan(monthly["actual_cumulative"]),
        name=labels["actual_cumulative"],
        line={"color": ACTUAL, "width": 3},
    )
    figure.update_xaxes(dtick=1, title=labels["month"])
    return _layout(figure.update_layout(barmode="group"), title)


def forecast_stack(frame: pd.DataFrame, category: str, labels: dict[str, str], title: str) -> go.Figure:
    """Stacked bars actual + run-rate + pipeline per category, the budget as a marker."""
    rows = frame.sort_values("forecast_expected", ascending=False)
    names = rows[category].astype(str)
    figure = go.Figure()
    for column, colour, key in (
        ("actual_ytd", ACTUAL, "actual"),
        ("run_rate", RUN_RATE, "run_rate"),
        ("pipeline_expected", PIPELINE, "pipeline"),
    ):
        figure.add_bar(x=names, y=to_wan(rows[column]), name=labels[key], marker_color=colour)
    figure.add_scatter(
        x=names,
        y=to_wan(rows["budget_annual"]),
        mode="markers",
        name=labels["budget"],
        marker={"symbol": "line-ew", "size": 28, "line": {"width": 3, "color": BEHIND}},
    )
    return _layout(figure.update_layout(barmode="stack"), title, height=420)


def forecast_fan(months: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """Cumulative revenue from the last loaded month on: forecast, P50 and the P10-P90 band (the fan).

    Months already loaded are on the attainment page; starting at the last of
    them keeps the scale on what is still uncertain.
    """
    loaded = months[months["actual_cumulative"].notna()]
    start = loaded.tail(1).rename(columns={"actual_cumulative": "anchor"})
    ahead = months[months["p10"].notna()]
    x = pd.concat([start["month"], ahead["month"]])

    def joined(column: str) -> pd.Series:
        return to_wan(pd.concat([start["anchor"], ahead[column]]))

    shown = months[months["month"] >= (x.min() if len(x) else 1)]
    figure = go.Figure()
    figure.add_scatter(x=x, y=joined("p90"), line={"width": 0}, showlegend=False, hoverinfo="skip")
    figure.add_scatter(
        x=x, y=joined("p10"), fill="tonexty", fillcolor=BAND, line={"width": 0}, name=labels["band"]
    )
    figure.add_scatter(x=x, y=joined("p50"), name=labels["p50"], line={"color": PIPELINE, "dash": "dot"})
    figure.add_scatter(
        x=x, y=joined("expected_cumulative"), name=labels["expected"], line={"color": PIPELINE, "width": 3}
    )
    figure.add_scatter(
        x=shown["month"],
        y=to_wan(shown["budget_cumulative"]),
        name=labels["budget"],
        line={"color": BUDGET, "dash": "dash"},
    )
    figure.add_scatter(
        x=start["month"],
        y=to_wan(start["anchor"]),
        mode="markers",
        name=labels["actual"],
        marker={"color": ACTUAL, "size": 10},
    )
    figure.update_xaxes(dtick=1, title=labels["month"])
    return _layout(figure, title, height=420)


def sensitivity_steps(
    rows: pd.DataFrame, forecast: float, budget: float, labels: dict[str, str], title: str
) -> go.Figure:
    """Year-end forecast after losing the top 0..N key deals, against the budget."""
    x = [0, *rows["deals_lost"].tolist()]
    y = [to_wan(forecast), *to_wan(rows["forecast_if_lost"]).tolist()]
    figure = go.Figure(
        go.Scatter(x=x, y=y, mode="lines+markers", name=labels["forecast"], line={"color": PIPELINE})
    )
    if budget > 0:
        figure.add_hline(
            y=to_wan(budget), line_dash="dash", line_color=BEHIND, annotation_text=labels["budget"]
        )
    figure.update_xaxes(dtick=1, title=labels["deals_lost"])
    return _layout(figure, title, height=320)


def reliability_chart(reliability: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """Predicted vs observed win rate per bucket, both models, with the diagonal of perfect calibration."""
    figure = go.Figure(
        go.Scatter(
            x=[0, 1], y=[0, 1], mode="lines", name=labels["perfect"], line={"color": "#999", "dash": "dash"}
        )
    )
    for model, colour in (("calibrated", PIPELINE), ("stage_only", ACTUAL)):
        rows = reliability[(reliability["model"] == model) & (reliability["bucket"] != "all")]
        figure.add_scatter(
            x=rows["predicted"],
            y=rows["observed"],
            mode="lines+markers",
            name=labels[model],
            marker={
                "size": 6 + 20 * (rows["predictions"] / max(rows["predictions"].max(), 1)) ** 0.5,
                "color": colour,
            },
            text=rows["predictions"],
            hovertemplate="%{x:.1%} → %{y:.1%} (n=%{text})<extra></extra>",
        )
    figure.update_xaxes(range=[0, 1], tickformat=".0%", title=labels["predicted"])
    figure.update_yaxes(range=[0, 1], tickformat=".0%", title=labels["observed"])
    return _layout(figure, title, height=420)


def frozen_history_chart(
    history: pd.DataFrame, forecast: float, labels: dict[str, str], title: str
) -> go.Figure:
    """The year-end forecast frozen each week, and today's forecast for comparison."""
    figure = go.Figure(
        go.Scatter(
            x=history["snapshot_date"],
            y=to_wan(history["expected"]),
            mode="lines+markers",
            name=labels["frozen"],
        )
    )
    figure.add_hline(y=to_wan(forecast), line_dash="dot", line_color=ACTUAL, annotation_text=labels["today"])
    return _layout(figure, title, height=320)
