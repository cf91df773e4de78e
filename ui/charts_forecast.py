"""Plotly chart builders of the attainment, forecast and calibration pages.

Builders take frames from analytics and label strings from the page; the
style (colours, units, formats, margins) comes from ui/chart_style.py.  Money
is shown in 万元; red behind, green ahead.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.money import to_wan
from ui.chart_style import (
    AHEAD,
    BACKGROUND_BAR,
    BAND,
    BEHIND,
    PALETTE,
    REFERENCE,
    count_axis,
    end_labels,
    fit_bar_labels,
    layout,
    pct_axis,
    period_axis,
    wan_axis,
)
from ui.i18n import t

ACTUAL = PALETTE[0]
RUN_RATE = PALETTE[4]
PIPELINE = PALETTE[1]
BUDGET = REFERENCE


def attainment_gauge(attainment: float, time_progress: float, title: str) -> go.Figure:
    """Gauge of overall attainment with the time progress as the threshold line.

    The gauge keeps inside a domain with room around it, so its tick labels
    (0, 50, 100 %) are drawn whole in a narrow column.
    """
    colour = AHEAD if attainment >= time_progress else BEHIND
    figure = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=attainment * 100,
            number={"suffix": "%", "valueformat": ".1f"},
            domain={"x": [0.08, 0.92], "y": [0, 0.92]},
            gauge={
                "axis": {
                    "range": [0, max(100, attainment * 100)],
                    "ticksuffix": "%",
                    "tickfont": {"size": 11},
                },
                "bar": {"color": colour},
                "threshold": {"line": {"color": BEHIND, "width": 3}, "value": time_progress * 100},
            },
        )
    )
    layout(figure, title, height=300, legend=False)
    return figure.update_layout(margin=dict(l=30, r=30, b=10))


def attainment_bullets(frame: pd.DataFrame, category: str, time_progress: float, title: str) -> go.Figure:
    """One bullet per row: attainment bar, time progress as the marker line (red when below it)."""
    rows = frame.sort_values("attainment", ascending=False).reset_index(drop=True)
    figure, step = go.Figure(), 1 / max(len(rows), 1)
    top = max(100.0, float((rows["attainment"].fillna(0) * 100).max()) if len(rows) else 100.0)
    for i, row in rows.iterrows():  # one indicator per category (a handful), not per data row
        value = 0.0 if pd.isna(row["attainment"]) else row["attainment"] * 100
        figure.add_trace(
            go.Indicator(
                mode="number+gauge",
                value=value,
                number={"suffix": "%", "valueformat": ".1f", "font": {"size": 14}},
                title={"text": str(row[category]), "font": {"size": 13}},
                domain={
                    "x": [0.2, 0.86],
                    "y": [1 - (i + 1) * step + 0.15 * step, 1 - i * step - 0.15 * step],
                },
                gauge={
                    "shape": "bullet",
                    "axis": {
                        "range": [0, top],
                        "visible": i == len(rows) - 1,  # one scale, at the bottom
                        "ticksuffix": "%",
                    },
                    "bar": {"color": AHEAD if value >= time_progress * 100 else BEHIND},
                    "threshold": {"line": {"color": BUDGET, "width": 2}, "value": time_progress * 100},
                },
            )
        )
    layout(figure, title, height=100 + 46 * len(rows), legend=False)
    return figure.update_layout(margin=dict(b=30))


def cumulative_vs_budget(monthly: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """Monthly bars (actual, budget) and cumulative lines: actual only through data_through."""
    monthly = monthly.sort_values("month")
    figure = go.Figure()
    figure.add_bar(
        x=monthly["month"],
        y=to_wan(monthly["budget"]),
        name=labels["budget_month"],
        marker_color=BACKGROUND_BAR,
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
    layout(figure.update_layout(barmode="group"), title, height=400)
    period_axis(figure, "x", labels["month"])
    return wan_axis(figure, "y")


def forecast_stack(frame: pd.DataFrame, category: str, labels: dict[str, str], title: str) -> go.Figure:
    """Horizontal stacked bars actual + run-rate + pipeline per category, the budget as a marker.

    Horizontal, so product and branch names read level and whole (vertical
    bars tilted and cut them); the year-end total is written past the bar or
    its budget mark, whichever ends later, and may draw into the margin.
    """
    rows = frame.sort_values("forecast_expected", ascending=False)
    names = rows[category].astype(str)
    figure = go.Figure()
    parts = (("actual_ytd", ACTUAL, "actual"), ("run_rate", RUN_RATE, "run_rate"))
    for column, colour, key in (*parts, ("pipeline_expected", PIPELINE, "pipeline")):
        figure.add_bar(
            y=names, x=to_wan(rows[column]), name=labels[key], marker_color=colour, orientation="h"
        )
    figure.add_scatter(
        y=names,
        x=to_wan(rows["budget_annual"]),
        mode="markers",
        name=labels["budget"],
        marker={"symbol": "line-ns", "size": 22, "color": BEHIND, "line": {"width": 3, "color": BEHIND}},
    )
    forecast, budget = to_wan(rows["forecast_expected"].fillna(0)), to_wan(rows["budget_annual"].fillna(0))
    end_labels(figure, names, forecast.where(forecast >= budget, budget), [f"{v:,.1f}" for v in forecast])
    layout(figure.update_layout(barmode="stack"), title, height=130 + 30 * len(rows))
    figure.update_layout(legend_traceorder="normal")  # parts in stacking order, not reversed
    figure.update_yaxes(autorange="reversed", type="category")  # the largest on top
    wan_axis(figure, "x")
    return fit_bar_labels(figure, "x", headroom=0.18)


def forecast_fan(months: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """Cumulative revenue from the last loaded month on: forecast, P50 and the P10-P90 band (the fan).

    Months already loaded are on the attainment page; starting at the last of
    them keeps the scale on what is still uncertain.
    """
    months = months.sort_values("month")
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
    layout(figure, title, height=440)
    period_axis(figure, "x", labels["month"])
    return wan_axis(figure, "y")


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
            y=to_wan(budget),
            line_dash="dash",
            line_color=BEHIND,
            annotation_text=labels["budget"],
            annotation_position="top left",
        )
    layout(figure, title, height=340)
    count_axis(figure, "x", labels["deals_lost"])
    figure.update_xaxes(dtick=1)
    return wan_axis(figure, "y")


def _interval(rows: pd.DataFrame) -> dict | None:
    """Error bars of the observed share's sampling interval (Wilson), when the rows carry it."""
    if "observed_low" not in rows:
        return None
    return {
        "type": "data",
        "symmetric": False,
        "array": (rows["observed_high"] - rows["observed"]).tolist(),
        "arrayminus": (rows["observed"] - rows["observed_low"]).tolist(),
        "thickness": 1,
    }


def reliability_chart(reliability: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """Predicted vs observed win rate per bucket, both models, with the diagonal of perfect calibration.

    Marker area follows the bucket's predictions; the hover names the count.  Each
    point's bar is the observed share's 95 % sampling interval: a calibrated bucket's
    bar crosses the diagonal.
    """
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
            text=[t("chart_sample").format(n=f"{int(n):,}") for n in rows["predictions"]],
            hovertemplate="%{x:.1%} → %{y:.1%} (%{text})<extra></extra>",
            error_y=_interval(rows),
        )
    layout(figure, title, height=440)
    pct_axis(figure, "x", labels["predicted"])
    pct_axis(figure, "y", labels["observed"])
    figure.update_xaxes(range=[0, 1])
    return figure.update_yaxes(range=[0, 1])


def frozen_history_chart(
    history: pd.DataFrame, forecast: float, labels: dict[str, str], title: str
) -> go.Figure:
    """The year-end forecast frozen each week, and today's forecast for comparison."""
    history = history.sort_values("snapshot_date")
    figure = go.Figure(
        go.Scatter(
            x=history["snapshot_date"],
            y=to_wan(history["expected"]),
            mode="lines+markers",
            name=labels["frozen"],
            line={"color": ACTUAL},
        )
    )
    figure.add_hline(
        y=to_wan(forecast),
        line_dash="dot",
        line_color=PIPELINE,
        annotation_text=labels["today"],
        annotation_position="top left",
    )
    layout(figure, title, height=340)
    figure.update_xaxes(title_text=t("axis_snapshot"))
    return wan_axis(figure, "y")
