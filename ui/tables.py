"""The one table helper: every table on every page goes through ``show_table``.

A table is a frame and a list of ``Column`` specs.  Each column gets its label
and its definition (the header tooltip) from the catalogue, money in 万元
(``analytics.money.to_wan``), rates in percent, days as whole numbers, counts
and amounts with thousands separators, and a missing value reads "—" (never
Streamlit's "None" or "nan").  ``st.dataframe`` is called here and nowhere else
(tests/test_tables.py checks ui/ and pages/), so a rule about tables is kept in
one place.

Numbers stay numbers (the browser sorts them as numbers) and are formatted in
the browser.  A missing number cannot be written "—" that way, so a table with
missing numbers, or one coloured by a column's sign, is sent as a pandas
Styler, which formats per cell: that costs time per cell and Streamlit refuses
it past 262,144 cells, so above ``STYLER_MAX_CELLS`` the table is not coloured
and a number column with a missing value is sent as formatted text instead.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from analytics.money import to_wan
from ui.charts import AHEAD, BEHIND
from ui.i18n import h, t

MISSING = "—"
"""What a missing value reads in every table."""

TEXT_COLUMN_MAX_PX = 320
"""The widest a text column is made to fit its longest value (px); longer ones are cut there."""
CJK = r"[\u2e81-\uffff]"
"""Characters drawn about twice as wide as Latin ones (label_width)."""

NUMBER_TEXT = "number_text"
"""The kind of a number column written as text because it has missing numbers (_as_text)."""
STYLER_MAX_CELLS = 50_000
"""Above this many cells a table gets no per-cell Styler (measured: 4,000 cells 0.08 s, 40,000 0.24 s)."""


class Verbatim(str):
    """A label or help shown as it is, not looked up in the catalogue (e.g. a funnel step)."""


class Column(NamedTuple):
    """One shown column: where it comes from, its label and help (catalogue keys) and its kind.

    kind: text, int (a count), dec (one decimal), num (three decimals), wan (yuan
    shown in 万元), pct (a fraction shown in percent), pp (a difference of
    fractions in percentage points), days (whole days), date, datetime, bool.
    """

    source: str
    label: str
    help: str | None = None
    kind: str = "text"


# Browser formats (printf) and the same as Python formats, for the Styler and text fallbacks.
_PRINTF = {
    "int": "%,d",
    "dec": "%,.1f",
    "num": "%.3f",
    "wan": "%,.1f",
    "pct": "%.1f%%",
    "pp": "%+.1f pp",
    "signed_pct": "%+.1f%%",
    "days": "%,.0f",
}
_PYTHON = {
    "int": "{:,.0f}",
    "dec": "{:,.1f}",
    "num": "{:.3f}",
    "wan": "{:,.1f}",
    "pct": "{:.1f}%",
    "pp": "{:+.1f} pp",
    "signed_pct": "{:+.1f}%",
    "days": "{:,.0f}",
}
_SCALE = {
    "wan": to_wan,
    "pct": lambda values: values * 100,
    "pp": lambda values: values * 100,
    "signed_pct": lambda values: values * 100,  # a share of the revenue, either way (bias)
}
_DATES = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%d %H:%M"}


def _word(key: str | None, lookup) -> str | None:
    """A catalogue key through ``lookup`` (t or h), a ``Verbatim`` as it is."""
    if key is None or isinstance(key, Verbatim):
        return key
    return lookup(key)


def _kind_of(values: pd.Series) -> str:
    """The kind of an already labelled frame's column, from its dtype."""
    if pd.api.types.is_bool_dtype(values):
        return "bool"
    if pd.api.types.is_integer_dtype(values):
        return "int"
    if pd.api.types.is_float_dtype(values):
        return "dec"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "datetime"
    return "text"


def as_shown(frame: pd.DataFrame) -> list[Column]:
    """Specs for a frame whose headers are already the words shown (admin and loader tables)."""
    return [Column(name, Verbatim(name), None, _kind_of(frame[name])) for name in frame.columns]


def _text(values: pd.Series, kind: str) -> pd.Series:
    """Text and dates as shown, a missing one "—"."""
    if kind in _DATES:
        values = pd.to_datetime(values, errors="coerce").dt.strftime(_DATES[kind])
    shown = values.astype(object)
    return shown.where(shown.notna(), MISSING).map(lambda v: v if isinstance(v, str) else str(v))


def table_frame(frame: pd.DataFrame, columns: list[Column]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The frame as shown (labels, 万元, percent, text with "—") and each shown column's kind."""
    shown = pd.DataFrame(index=frame.index)
    kinds: dict[str, str] = {}
    for source, label_key, _help, kind in columns:
        label = _word(label_key, t)
        assert label is not None
        values = frame[source]
        if kind in _PRINTF:
            shown[label] = _SCALE[kind](pd.to_numeric(values)) if kind in _SCALE else values
        elif kind == "bool":
            shown[label] = values
        else:
            shown[label] = _text(values, kind)
        kinds[label] = kind
    return shown, kinds


def _sign_colour(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"background-color: {BEHIND}33" if value < 0 else f"background-color: {AHEAD}26"


def styled(shown: pd.DataFrame, kinds: dict[str, str], colours: pd.Series | None = None) -> Any:
    """A Styler writing each number in its kind's format and a missing one "—"; each row coloured
    by the sign of its value in ``colours`` (the numbers, before a missing one became text)."""
    formats = {label: _PYTHON[kind] for label, kind in kinds.items() if kind in _PYTHON}
    styler = shown.style.format(formats, na_rep=MISSING)
    if colours is not None:
        signs = colours.map(_sign_colour)
        styler = styler.apply(lambda row: [signs[row.name]] * len(row), axis=1)
    return styler


def _as_text(values: pd.Series, kind: str) -> pd.Series:
    """A number column with missing numbers as formatted text: the browser draws a missing
    number as "None" whatever the Styler writes (seen in Chromium: 客户经理's 覆盖率)."""
    return values.map(lambda v: MISSING if pd.isna(v) else _PYTHON[kind].format(v))


def label_width(values: pd.Series, header: str) -> int:
    """Pixels for a text column to show its longest value and its header uncut.

    The browser sizes a column from its first rows only and caps what it
    measures, so a long label further down (a transposed scorecard's
    成交周期中位数（天）) or a long value (我的商机's 问题原因 逾期、停滞、无跟进)
    was cut off.  A CJK character is counted at about 14 px, any other at about
    8 px (counted per column, not per row in Python: a director's table may hold
    15,000 rows), capped at ``TEXT_COLUMN_MAX_PX``.
    """
    texts = pd.concat([pd.Series([header]), values.dropna().astype(str)], ignore_index=True)
    pixels = texts.str.len() * 8 + texts.str.count(CJK) * 6
    return int(min(int(pixels.max()) + 32, TEXT_COLUMN_MAX_PX))


def _config(
    columns: list[Column], kinds: dict[str, str], browser_formats: set[str], widths: dict[str, int]
) -> dict[str, Any]:
    """Streamlit's column config: help from the catalogue, number formats where the browser formats.

    ``widths`` sizes the text columns (label_width), so none is cut.
    """
    config: dict[str, Any] = {}
    for _source, label_key, help_key, _kind in columns:
        label = _word(label_key, t)
        assert label is not None
        kind, help_text = kinds[label], _word(help_key, h)
        if label in browser_formats:
            config[label] = st.column_config.NumberColumn(label, help=help_text, format=_PRINTF[kind])
        elif kind == "bool":
            config[label] = st.column_config.CheckboxColumn(label, help=help_text)
        elif kind == NUMBER_TEXT:
            config[label] = st.column_config.TextColumn(label, help=help_text, alignment="right")
        elif kind in _PRINTF:  # complete numbers the Styler formats (a coloured table)
            config[label] = st.column_config.NumberColumn(label, help=help_text)
        else:
            config[label] = st.column_config.TextColumn(label, help=help_text, width=widths.get(label))
    return config


def show_table(
    frame: pd.DataFrame,
    columns: list[Column] | None = None,
    key: str | None = None,
    *,
    colour_by: str | None = None,
    **kwargs: Any,
) -> Any:
    """Show ``frame`` as ``columns`` say (None: its headers are already the words shown).

    ``colour_by`` names a column's source whose sign colours its row (a line
    behind time progress); ``kwargs`` go to ``st.dataframe`` (selection, height).
    Returns what ``st.dataframe`` returns (the selection event where asked for).
    """
    columns = as_shown(frame) if columns is None else [Column(*c) for c in columns]
    shown, kinds = table_frame(frame, columns)
    numbers = [label for label, kind in kinds.items() if kind in _PRINTF]
    missing = [label for label in numbers if shown[label].isna().any()]
    colour = next((_word(c.label, t) for c in columns if c.source == colour_by), None)
    colours = shown[colour].copy() if colour is not None else None
    for label in missing:
        shown[label] = _as_text(shown[label], kinds[label])
        kinds[label] = NUMBER_TEXT
    data: Any = shown
    browser_formats = set(numbers) - set(missing)
    if shown.size <= STYLER_MAX_CELLS and colour:
        data, browser_formats = styled(shown, kinds, colours), set()
    widths = {label: label_width(shown[label], label) for label, kind in kinds.items() if kind == "text"}
    config = _config(columns, kinds, browser_formats, widths)
    return st.dataframe(data, hide_index=True, width="stretch", column_config=config, key=key, **kwargs)
