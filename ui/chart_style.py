"""The one chart style every Plotly figure in ui/ goes through (issue 17 item 8).

Leaders read a chart in a glance, so each figure here gets the same answers to
the same questions: a Chinese font and margins that never clip a label; a
legend between the title and the plot, where no axis title can overprint it;
a categorical palette whose colours stay apart for colour-blind readers too;
every numeric axis titled with its unit and formatted without SI suffixes
("1,200" 万元, never "1.2k"); time axes in time order; bar labels that fit;
and figures resting on few observations shown muted, with their count.

Builders in ``ui/charts*.py`` shape the data and call these helpers; the
unit names come from the label catalogue (``ui/catalogue/charts.py``) in the
viewer's language.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.data import settings
from ui.i18n import t

FONT = '"Source Sans Pro", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'

PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#882255",  # wine
    "#332288",  # indigo
)
"""Series colours: Okabe & Ito's colour-blind-safe set (without yellow, unreadable on white, and
black, the reference lines' colour) and two of Paul Tol's.  Every pair stays at least 26 apart
in CIELAB (ΔE76) for normal vision and 18 under simulated deuteranopia (tests/test_charts_style.py)."""

AHEAD = "#2E7D32"
"""At or ahead of the time progress (bars, gauges, increases)."""
BEHIND = "#C62828"
"""Behind the time progress, decreases, the budget marker."""
REFERENCE = "#555555"
"""Reference lines: budget, medians, the time progress."""
BACKGROUND_BAR = "#D9D9D9"
"""A budget drawn behind an actual."""
MUTED = "#BDBDBD"
"""A cell or point resting on fewer observations than ``chart_small_sample_n``."""
BAND = "rgba(230, 159, 0, 0.25)"
"""The P10–P90 band (the palette's orange, transparent)."""

WAN_TICKS = ",.2~f"
"""万元 ticks: thousands separators, no SI suffix, no trailing zeros (1,200 · 0.5)."""
WAN_HOVER = ",.1f"
PCT_TICKS = ".0%"
PCT_HOVER = ".1%"
DAYS_TICKS = ",.0f"
DAYS_HOVER = ",.1f"
COUNT_TICKS = ",~r"
"""Counts: thousands separators, no SI suffix."""
DATE_TICKS = "%Y-%m-%d"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?")

TITLE_SIZE = 15
LEGEND_GAP = 0.01


def titled(name: str | None, unit_key: str) -> str:
    """An axis title that closes with its unit: 金额（万元）, Amount (10k CNY); the unit alone if unnamed."""
    unit = t(unit_key)
    if not name:
        return unit
    if f"（{unit}）" in name or f"({unit})" in name:  # the page's label already says it: 停滞阈值（天）
        return name
    if _chinese(name):
        return f"{name}（{unit}）"
    return name if unit.lower() in name.lower() else f"{name} ({unit})"  # not 'Median days (days)'


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def split_title(title: str | None) -> tuple[str, str]:
    """A long title's parenthetical (or what follows its colon) becomes its subtitle, so a narrow column
    does not cut it off."""
    if not title:
        return "", ""
    for opening, closing in (("（", "）"), (" (", ")")):
        head, found, tail = title.partition(opening)
        if found and head and tail.endswith(closing):
            return head, tail[: -len(closing)]
    for colon in ("：", ": "):  # 按月累计收入：实际、预测与 P10–P90 区间
        head, found, tail = title.partition(colon)
        if found and head and tail:
            return head, tail
    return title, ""


def layout(
    figure: go.Figure, title: str | None, height: int, legend: bool = True, subtitle: str | None = None
) -> go.Figure:
    """The common frame: font, palette, margins, title (with its subtitle) and the legend's place.

    The title sits at the top of the figure and pushes the margin; the legend,
    horizontal, sits between it and the plot area, so neither an axis title
    nor a rotated tick label can overprint it; every axis pushes the margin
    for its labels (``automargin``), so nothing is clipped at the edges.
    """
    head, sub = split_title(title)
    if subtitle:
        sub = f"{sub} · {subtitle}" if sub else subtitle
    frame = {
        "font": {"family": FONT, "size": 12, "color": "#31333F"},
        "colorway": list(PALETTE),
        "separators": ".,",
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 10 if head else 20, "b": 10, "autoexpand": True},
        "hoverlabel": {"font": {"family": FONT}},
        "showlegend": legend,
        "legend": {
            "orientation": "h",
            "yref": "paper",
            "y": 1 + LEGEND_GAP,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "title": {"text": ""},
            "traceorder": "normal",  # stacked bars would list their parts backwards
        },
        "title": {
            "text": head,
            "subtitle": {"text": sub, "font": {"size": 12, "color": "#6B6F7B"}},
            "font": {"size": TITLE_SIZE},
            "automargin": True,
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 8, "b": 8},
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
        },
    }
    template = figure.layout.template  # kept as it is: validating it again is most of the cost
    own = figure.layout.to_plotly_json()  # what the builder set already (barmode, a second axis, lines)
    own.pop("template", None)
    axes = {"xaxis", "yaxis"} | {key for key in own if key.startswith(("xaxis", "yaxis"))}
    for key in axes:
        frame[key] = {"automargin": True}
    # One assignment: a dict is validated once, where update_layout walks every key (60 ms a figure).
    figure.layout = _merged(frame, own)
    figure.layout.template = template
    return chinese_dates(figure)


def _merged(base: dict, own: dict) -> dict:
    """``own`` over ``base``, nested dicts merged key by key."""
    out = dict(base)
    for key, value in own.items():
        out[key] = (
            _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
        )
    return out


def _axis(figure: go.Figure, axis: str) -> go.layout.XAxis | go.layout.YAxis:
    """The layout object of 'x', 'y', 'y2' …"""
    return figure.layout[f"{axis[0]}axis{axis[1:]}"]


def wan_axis(figure: go.Figure, axis: str = "y", name: str | None = None) -> go.Figure:
    """An axis in 万元: 1,200 with the unit in its title, hover with one decimal."""
    _axis(figure, axis).update(
        title_text=titled(name or t("axis_amount"), "unit_wan"),
        tickformat=WAN_TICKS,
        hoverformat=WAN_HOVER,
        exponentformat="none",
    )
    return figure


def pct_axis(figure: go.Figure, axis: str = "y", name: str | None = None) -> go.Figure:
    """An axis of fractions shown as percent."""
    _axis(figure, axis).update(
        title_text=titled(name, "unit_pct") if name else t("unit_pct"),
        tickformat=PCT_TICKS,
        hoverformat=PCT_HOVER,
    )
    return figure


def days_axis(figure: go.Figure, axis: str = "y", name: str | None = None) -> go.Figure:
    """An axis of days: whole days on the ticks, 天 in the title."""
    _axis(figure, axis).update(
        title_text=titled(name or t("axis_days"), "unit_days"),
        tickformat=DAYS_TICKS,
        hoverformat=DAYS_HOVER,
        rangemode="tozero",
    )
    return figure


def count_axis(
    figure: go.Figure, axis: str = "y", name: str | None = None, unit: str = "unit_deals"
) -> go.Figure:
    """An axis of counts (deals, times): integers with separators, the unit in the title."""
    default = {"unit_deals": "axis_deals", "unit_times": "axis_times"}.get(unit, "axis_deals")
    _axis(figure, axis).update(
        title_text=titled(name or t(default), unit),
        tickformat=COUNT_TICKS,
        hoverformat=",d",
        rangemode="tozero",
        exponentformat="none",
        tickmode="auto",  # an overlaying axis would otherwise tick at the other's grid (2.73551)
    )
    if max(_axis_values(figure, axis), default=0) <= 5:  # no half deals on a short axis
        _axis(figure, axis).update(dtick=1)
    return figure


def _axis_values(figure: go.Figure, axis: str) -> list[float]:
    """The numbers the traces put on one axis ('y2' …)."""
    letter, out = axis[0], []
    for trace in figure.data:
        if (getattr(trace, f"{letter}axis", None) or letter) != axis:
            continue
        values = getattr(trace, letter, None)
        if values is not None:
            out.extend(pd.to_numeric(pd.Series(list(values)), errors="coerce").dropna().abs().tolist())
    return out


def time_categories(figure: go.Figure, axis: str, values: Iterable) -> go.Figure:
    """A time axis drawn as categories (periods 202511, dates as text) in time order.

    Categories otherwise follow the order traces first mention them, so a
    series that starts later puts its months after another's and the lines
    zig-zag.  ISO dates and YYYYMM periods sort as text in time order.
    """
    ordered = sorted({str(v) for v in values if pd.notna(v)})
    _axis(figure, axis).update(type="category", categoryorder="array", categoryarray=ordered)
    return figure


def period_axis(figure: go.Figure, axis: str = "x", name: str | None = None) -> go.Figure:
    """A month axis (1-12 or YYYYMM): every month a tick, 月份 as its title."""
    _axis(figure, axis).update(title_text=name or t("axis_period"), dtick=1, tickformat="d")
    return figure


def fit_bar_labels(figure: go.Figure, value_axis: str | None = None, headroom: float = 0.15) -> go.Figure:
    """Bar and waterfall labels drawn whole: outside the bar, never clipped by the plot area.

    ``cliponaxis=False`` lets a label past the axis range draw into the margin;
    the value axis also gets ``headroom`` of its span as room for the labels
    (a label outside the tallest bar), and automargin keeps the tick labels in.
    """
    for trace in figure.data:
        if trace.type in ("bar", "waterfall") and trace.text is not None:
            trace.update(cliponaxis=False, constraintext="none")
            if trace.textposition is None:
                trace.update(textposition="outside")
    if value_axis is not None:
        _axis(figure, value_axis).update(automargin=True)
        top = _value_top(figure, value_axis[0])
        if top > 0:
            _axis(figure, value_axis).update(
                range=[_value_bottom(figure, value_axis[0]), top * (1 + headroom)]
            )
    return figure


def legend_key(figure: go.Figure, name: str, colour: str, group: str) -> go.Figure:
    """A legend entry of the series' own colour, for bars some of which are drawn grey.

    Plotly draws a bar trace's legend swatch in its first bar's colour, so a
    first stage with few observations would make the whole series look grey.
    The key is an empty scatter (it takes no slot among grouped bars) in the
    bars' legend group, so clicking it still hides them.
    """
    figure.add_scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=name,
        legendgroup=group,
        marker=dict(symbol="square", size=11, color=colour),
        hoverinfo="skip",
    )
    return figure


def end_labels(figure: go.Figure, categories, ends, texts) -> go.Figure:
    """Labels just past the end of horizontal bars, or past their reference mark when that is further.

    A label written as the bar's own text starts at the bar's end and is
    crossed by a budget, target or time-progress mark drawn a little further;
    here each label starts past whichever ends later, in a text trace that may
    draw into the margin (``cliponaxis=False``).
    """
    figure.add_scatter(
        y=list(categories),
        x=list(ends),
        mode="text",
        text=[f" {text}" for text in texts],
        textposition="middle right",
        textfont=dict(size=11),
        cliponaxis=False,
        showlegend=False,
        hoverinfo="skip",
    )
    return figure


def _values(figure: go.Figure, letter: str) -> list[float]:
    """Every number a bar or scatter trace puts on the x or y axis (stacks summed per category)."""
    out: list[float] = []
    stacked = figure.layout.barmode in ("stack", "relative")
    sums: dict = {}
    for trace in figure.data:
        values = getattr(trace, letter, None)
        if values is None or trace.type not in ("bar", "scatter"):
            continue
        numbers = pd.to_numeric(pd.Series(list(values)), errors="coerce").fillna(0)
        if stacked and trace.type == "bar":
            other = "y" if letter == "x" else "x"
            for key, value in zip(list(getattr(trace, other)), numbers, strict=False):
                sums[key] = sums.get(key, 0.0) + float(value)
        else:
            out.extend(float(v) for v in numbers)
    return out + list(sums.values())


def _value_top(figure: go.Figure, letter: str) -> float:
    values = _values(figure, letter)
    return max(values, default=0.0)


def _value_bottom(figure: go.Figure, letter: str) -> float:
    values = _values(figure, letter)
    low = min(values, default=0.0)
    return min(low * 1.15, 0.0)


def small_sample_n() -> int:
    """The count below which a rate or median is shown muted (setting ``chart_small_sample_n``)."""
    return int(settings().chart_small_sample_n)


def sample_text(n) -> str:
    """'样本 12' / 'n = 12' for a hover or a cell."""
    return t("chart_sample").format(n=f"{int(n):,}" if pd.notna(n) else "—")


def is_dates(values) -> bool:
    """Whether a trace's coordinates are dates or date-times (not periods written as text).

    Decided from the array's type or its first value (every figure's every
    trace passes here, so no frame is built for it); ISO text counts, since
    Plotly reads it as dates too (and would tick 'Sep 20').
    """
    if isinstance(values, np.ndarray) and values.dtype.kind in "biufcmM":
        return values.dtype.kind == "M"
    first = next((v for v in values if v is not None and v == v), None)
    if isinstance(first, (datetime.date, np.datetime64)):  # pd.Timestamp is a datetime
        return True
    if isinstance(first, str):
        return all(isinstance(v, str) and ISO_DATE.fullmatch(v) for v in values if v is not None)
    return False


def chinese_dates(figure: go.Figure) -> go.Figure:
    """Date axes tick and hover as 2026-09-20, titled 日期 when the builder gave none.

    Streamlit's Plotly carries the English locale only, so a date axis would read
    'Sep 20'; a numeric format is locale-free.  Applied to each axis a trace
    puts dates on, so numeric and category axes keep their own formats.
    """
    for trace in figure.data:
        for letter in ("x", "y"):
            values = getattr(trace, letter, None)
            if values is None or not len(values) or not is_dates(values):
                continue
            axis = getattr(trace, f"{letter}axis", None) or letter  # 'x', 'x2' …
            shown = _axis(figure, axis)
            shown.update(tickformat=DATE_TICKS, hoverformat=DATE_TICKS)
            if not shown.title.text:
                shown.update(title_text=t("axis_date"))
    return figure
