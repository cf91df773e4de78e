"""The one Excel writer: frames + column specs → a workbook that holds data, never formulas.

Every workbook the project hands out (the explorer and workload exports, the
loader's validation report, ``report --format xlsx``, the meeting pack) is
written here, because cells come from uploaded data and typed text: a customer
called ``=HYPERLINK("http://x","y")`` must arrive in Excel as that text, not as
a live formula or link.  So:

* every text cell is written with ``write_string`` (a shared-string cell,
  which Excel never evaluates), in the text format ``@`` so an edit keeps it
  text, and text that Excel would read as a formula when re-entered (leading
  ``= + - @``, tab, CR/LF) also carries Excel's quote-prefix flag — the
  apostrophe without changing the text;
* the workbook never guesses: no string becomes a formula, URL or number;
* numbers are numbers with a number format chosen by the column's kind, money
  under a 万元 header is converted by ``analytics.money.to_wan`` here and only
  here, dates are dates;
* the header row is frozen, filtered, and columns are sized to their content.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xlsxwriter
from pandas.api import types as ptypes

from analytics.money import WAN_FORMAT, to_wan

KINDS = ("text", "int", "number", "money_wan", "percent", "date", "datetime", "bool")
"""What a column holds; it decides how cells are written and their default number format."""

DEFAULT_FORMATS = {
    "text": "@",
    "int": "#,##0",
    "number": "#,##0.0",
    "money_wan": WAN_FORMAT,
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm:ss",
    "bool": "General",
}

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
    "remove_timezone": True,
}
"""xlsxwriter never turns text into a formula, link or number, whichever write call is used."""

RISKY_START = tuple("=+-@\t\r\n＝＋－＠")
"""First characters that make Excel (or a CSV import) read a cell as a formula."""

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31  # Excel's limit on sheet names
_WIDTH_SAMPLE = 200  # rows looked at to size a column
_MIN_WIDTH, _MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class Column:
    """One column of a sheet: ``source`` column of the frame, its ``header`` as people read it,
    its ``kind`` (one of KINDS; ``money_wan`` expects yuan and writes 万元) and an optional
    Excel number ``format`` overriding the kind's default."""

    source: str
    header: str
    kind: str = "text"
    format: str | None = None
    width: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}; one of {KINDS}")


@dataclass(frozen=True)
class Series:
    """One series of a chart: a column of the chart's frame, its name, and how it is drawn:
    ``column`` (bars), ``line`` (over the bars), ``invisible`` (bars without fill: the
    floating base of a waterfall)."""

    source: str
    name: str
    style: str = "column"


@dataclass(frozen=True)
class Chart:
    """A native Excel chart of its own small frame (written, as data, in hidden columns to the
    right of the sheet's table): ``categories`` names the frame's category column, numbers
    are plotted as they are (convert money before, with ``analytics.money.to_wan``)."""

    title: str
    frame: pd.DataFrame
    categories: str
    series: Sequence[Series]
    stacked: bool = False
    number_format: str = "#,##0.0"
    y_title: str = ""


@dataclass(frozen=True)
class Sheet:
    """A frame to write as one worksheet; ``columns`` None writes every column, kind inferred.

    ``notes``: lines of text above the table (its header row follows them, frozen and
    filtered); ``charts``: native charts placed beside the table."""

    name: str
    frame: pd.DataFrame
    columns: Sequence[Column] | None = None
    notes: Sequence[str] = ()
    charts: Sequence[Chart] = ()

    def specs(self) -> list[Column]:
        return list(self.columns) if self.columns is not None else infer_columns(self.frame)


def is_risky(text: str) -> bool:
    """True when Excel would take ``text`` for a formula if it were typed into a cell."""
    return text.lstrip(" ").startswith(RISKY_START)


def infer_columns(frame: pd.DataFrame) -> list[Column]:
    """Specs for a frame without any: header = column name, kind from the values (text when unsure)."""
    return [Column(str(name), str(name), _infer_kind(frame[name])) for name in frame.columns]


def _infer_kind(values: pd.Series) -> str:
    if ptypes.is_bool_dtype(values):
        return "bool"
    if ptypes.is_datetime64_any_dtype(values):
        return "datetime" if _has_time(values) else "date"
    if ptypes.is_integer_dtype(values):
        return "int"
    if ptypes.is_float_dtype(values):
        return "number"
    present = values.dropna()
    if len(present) and all(isinstance(v, dt.date) for v in present):
        return "datetime" if any(isinstance(v, dt.datetime) for v in present) else "date"
    if len(present) and all(isinstance(v, (bool, np.bool_)) for v in present):
        return "bool"
    if len(present) and all(_is_number(v) for v in present):
        return "number"
    return "text"


def _has_time(values: pd.Series) -> bool:
    present = values.dropna()
    if isinstance(present.dtype, pd.DatetimeTZDtype):
        present = present.dt.tz_localize(None)
    return bool(len(present)) and bool((present != present.dt.normalize()).any())


def _is_number(value) -> bool:
    """A number of any kind, PostgreSQL's NUMERIC (Decimal) included; booleans are not numbers."""
    numeric = (int, float, decimal.Decimal, np.integer, np.floating)
    return isinstance(value, numeric) and not isinstance(value, (bool, np.bool_))


def _missing(value) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, (float, np.floating)) and not math.isfinite(value)


def _number_cells(values: pd.Series, kind: str) -> list:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    if kind == "money_wan":
        numbers = to_wan(numbers)
    return numbers.tolist()


def _date_cells(values: pd.Series) -> list:
    stamps = pd.to_datetime(values, errors="coerce")
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_localize(None)
    return [None if pd.isna(v) else v.to_pydatetime() for v in stamps]


def _text(value) -> str:
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()
    return str(value)


class _Writer:
    """Cell formats of one workbook, created once each (xlsxwriter's limit is 64,000)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.formats: dict[tuple[str, bool], object] = {}
        self.header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#f2f2f2"}
        )

    def format(self, number_format: str, quote: bool = False):
        key = (number_format, quote)
        if key not in self.formats:
            props: dict = {"num_format": number_format}
            if quote:
                props["quote_prefix"] = True
            self.formats[key] = self.book.add_format(props)
        return self.formats[key]

    def column(self, sheet, col: int, spec: Column, values: pd.Series, first: int = 1) -> int:
        """Write one column's cells from row ``first``; return the widest cell in characters (sampled)."""
        number_format = spec.format or DEFAULT_FORMATS[spec.kind]
        plain = self.format(number_format)
        if spec.kind in ("int", "number", "money_wan", "percent"):
            cells = _number_cells(values, spec.kind)
            for row, value in enumerate(cells, start=first):
                if _missing(value):
                    sheet.write_blank(row, col, None, plain)
                else:
                    sheet.write_number(row, col, value, plain)
            sample = [v for v in cells[:_WIDTH_SAMPLE] if not _missing(v)]
            return max((len(f"{v:,.1f}") for v in sample), default=0)
        if spec.kind in ("date", "datetime"):
            for row, value in enumerate(_date_cells(values), start=first):
                if value is None:
                    sheet.write_blank(row, col, None, plain)
                else:
                    sheet.write_datetime(row, col, value, plain)
            return len(number_format)
        if spec.kind == "bool":
            for row, value in enumerate(values.tolist(), start=first):
                if _missing(value):
                    sheet.write_blank(row, col, None, plain)
                else:
                    sheet.write_boolean(row, col, bool(value), plain)
            return 5
        risky = self.format(number_format, quote=True)
        widest = 0
        for row, value in enumerate(values.tolist(), start=first):
            if _missing(value):
                sheet.write_blank(row, col, None, plain)
                continue
            text = _text(value)
            sheet.write_string(row, col, text, risky if is_risky(text) else plain)
            if row < first + _WIDTH_SAMPLE:
                widest = max(widest, display_width(text))
        return widest

    def sheet(self, spec: Sheet, taken: set[str]) -> None:
        sheet = self.book.add_worksheet(sheet_name(spec.name, taken))
        columns = spec.specs()
        frame = spec.frame.reset_index(drop=True)
        top = self.notes(sheet, spec.notes)
        for col, column in enumerate(columns):
            sheet.write_string(top, col, column.header, self.header)
            widest = self.column(sheet, col, column, frame[column.source], first=top + 1)
            width = column.width or min(max(display_width(column.header), widest) + 2, _MAX_WIDTH)
            sheet.set_column(col, col, max(width, _MIN_WIDTH))
        sheet.freeze_panes(top + 1, 0)
        if columns:
            sheet.autofilter(top, 0, top + max(len(frame), 1), len(columns) - 1)
        for n, chart in enumerate(spec.charts):
            self.chart(
                sheet,
                chart,
                data_col=len(columns) + 1 + 4 * n,
                top=top,
                place=(top + 1 + 18 * n, len(columns) + 1),
            )

    def notes(self, sheet, notes: Sequence[str]) -> int:
        """Lines of text above the table, each a string cell (never a formula); the header's row."""
        if not notes:
            return 0
        plain, risky = self.format("@"), self.format("@", quote=True)
        for row, text in enumerate(notes):
            sheet.write_string(row, 0, str(text), risky if is_risky(str(text)) else plain)
        return len(notes) + 1

    def chart(self, sheet, spec: Chart, data_col: int, top: int, place: tuple[int, int]) -> None:
        """A native chart of ``spec``'s frame, written as data in hidden columns from ``data_col``."""
        frame = spec.frame.reset_index(drop=True)
        sources = [Column(spec.categories, spec.categories)] + [
            Column(s.source, s.name, "number", spec.number_format) for s in spec.series
        ]
        for offset, column in enumerate(sources):
            sheet.write_string(top, data_col + offset, column.header, self.header)
            self.column(sheet, data_col + offset, column, frame[column.source], first=top + 1)
        sheet.set_column(data_col, data_col + len(sources) - 1, None, None, {"hidden": True})
        name, first, last = sheet.get_name(), top + 1, top + max(len(frame), 1)
        bars = self.book.add_chart({"type": "column", **({"subtype": "stacked"} if spec.stacked else {})})
        line = None
        for offset, series in enumerate(spec.series, start=1):
            # ranges as [sheet, first row, first col, last row, last col]: no formula text
            props: dict[str, object] = {
                "name": series.name,
                "categories": [name, first, data_col, last, data_col],
                "values": [name, first, data_col + offset, last, data_col + offset],
            }
            if series.style == "line":
                line = line or self.book.add_chart({"type": "line"})
                line.add_series({**props, "marker": {"type": "none"}})
                continue
            if series.style == "invisible":
                props.update({"fill": {"none": True}, "border": {"none": True}})
            bars.add_series(props)
        if line is not None:
            bars.combine(line)
        bars.set_title({"name": spec.title})
        bars.set_y_axis({"num_format": spec.number_format, "name": spec.y_title or None})
        bars.set_legend({"position": "bottom"})
        bars.set_size({"width": 640, "height": 340})
        sheet.insert_chart(place[0], place[1], bars)


def display_width(text: str) -> int:
    """Characters as Excel's column width counts them: a CJK (wide) character takes two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (Excel forbids []:*?/\\ and more than 31 characters)."""
    base = _SHEET_BAD.sub("_", str(name)).strip("'")[:_SHEET_MAX] or "Sheet"
    candidate, n = base, 1
    while candidate.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f"~{n}"
        candidate = base[: _SHEET_MAX - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def as_sheets(sheets: Iterable[Sheet] | Mapping[str, pd.DataFrame]) -> list[Sheet]:
    """Sheets as given, or one inferred sheet per frame of a {name: frame} mapping."""
    if isinstance(sheets, Mapping):
        return [Sheet(name, frame) for name, frame in sheets.items()]
    return list(sheets)


def workbook(sheets: Iterable[Sheet] | Mapping[str, pd.DataFrame]) -> bytes:
    """The .xlsx bytes of ``sheets`` (in order), every cell written as its column's kind."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    writer, taken = _Writer(book), set[str]()
    for spec in as_sheets(sheets):
        writer.sheet(spec, taken)
    book.close()
    return buffer.getvalue()
