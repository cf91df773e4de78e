"""Widgets the funnel-area pages share: labelled tables, code names, cached calls with parameters.

Tables carry each figure's definition as the column tooltip (``column_config``
help), so a table obeys the same rule as a metric.  ``bound`` lets a page cache
an analytics function that takes parameters besides the context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from analytics.context import Context
from analytics.money import to_wan
from ui.i18n import h, t

Column = tuple[str, str, str | None, str]
"""(source column, label key, help key or None, kind: text|int|wan|pct|days|date|bool).

wan columns are shown in 万元 (value / 10,000), pct columns in percent (fraction × 100).
"""


class Verbatim(str):
    """A column label shown as it is, not looked up in the catalogue (e.g. a funnel step)."""


# Thousands separators on counts and amounts; durations in whole days (issue 17 item 9).
_FORMATS = {"int": "%,d", "wan": "%,.1f", "pct": "%.1f%%", "days": "%,.0f"}
_SCALE = {"wan": to_wan, "pct": lambda values: values * 100}  # shown in 万元 and in percent


def bound(function: Callable[..., Any], **params: Any) -> Callable[[Context], Any]:
    """``function(ctx, **params)`` as a one-argument function whose name carries the params.

    ui.data.compute keys its cache on the function's module and qualified name,
    so each distinct set of parameters gets an entry of its own.
    """

    def run(ctx: Context) -> Any:
        return function(ctx, **params)

    run.__module__ = function.__module__
    run.__qualname__ = f"{function.__qualname__}{sorted(params.items())!r}"
    return run


def stage_name(stage: Any) -> str:
    return t(f"stage_{stage}")


def code_names(values: pd.Series, prefix: str) -> pd.Series:
    """Codes (status, class, origin) → labels; unknown codes shown as they are."""
    return values.map(lambda code: t(f"{prefix}_{code}") if pd.notna(code) else t("segment_none"))


def segment_names(dimension: str, values: pd.Series) -> pd.Series:
    """A breakdown's segment values as shown: class and origin translated, blanks named."""
    prefix = {"class": "class", "origin": "origin"}.get(dimension)
    if prefix:
        return code_names(values, prefix)
    return values.fillna(t("segment_none"))


def flag_text(frame: pd.DataFrame, columns: dict[str, str]) -> pd.Series:
    """'重点、竞争' from boolean columns (column → label key), column by column."""
    text = pd.Series("", index=frame.index, dtype=object)
    for column, key in columns.items():
        text = text + np.where(frame[column].astype("boolean").fillna(False), t(key) + "、", "")
    return text.str.rstrip("、")


def _readable(values: pd.Series, kind: str) -> pd.Series:
    """Text and dates as shown: a missing one blank (Streamlit's table prints 'None'), dates as 2026-11-20."""
    if kind == "date":
        values = pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m-%d")
    elif kind != "text":
        return values
    return values.astype(object).where(values.notna(), "")


def show_table(frame: pd.DataFrame, columns: list[Column], key: str, **kwargs: Any) -> Any:
    """A dataframe with labelled columns, each with its definition as tooltip."""
    shown = pd.DataFrame(index=frame.index)
    config = {}
    for source, label_key, help_key, kind in columns:
        label = label_key if isinstance(label_key, Verbatim) else t(label_key)
        values = frame[source]
        shown[label] = _SCALE[kind](values) if kind in _SCALE else _readable(values, kind)
        help_text = h(help_key) if help_key else None
        if kind in _FORMATS:
            config[label] = st.column_config.NumberColumn(label, help=help_text, format=_FORMATS[kind])
        elif kind == "bool":
            config[label] = st.column_config.CheckboxColumn(label, help=help_text)
        else:
            config[label] = st.column_config.TextColumn(label, help=help_text)
    return st.dataframe(shown, hide_index=True, width="stretch", column_config=config, key=key, **kwargs)
