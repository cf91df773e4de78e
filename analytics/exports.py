"""Excel exports: the workbooks people take away, and the audit row that says who took it.

A page's export button and ``python -m analytics report NAME --format xlsx``
build the same ``Book`` here, from the same metric functions, columns and
labels, and write it with the one writer (``analytics.xlsx``: text is text,
never a formula or link; money under a 万元 header is yuan / 10,000).  Labels
come from the UI's catalogue through a ``label`` function the caller passes
(the viewer's language on a page), so this module stays free of the UI.
Every export a person takes is recorded in the audit log with what it held.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from analytics import audit, xlsx
from analytics.context import Context
from analytics.metrics.explorer import ListSearch, opportunity_list
from analytics.metrics.workload import FIELDS, MEDIAN_SUFFIX, workload
from analytics.reports import run_report
from analytics.xlsx import Column, Sheet

Label = Callable[[str], str]
"""A catalogue look-up in the reader's language: key → text."""

PageColumn = tuple[str, str, str | None, str]
"""(source column, label key, help key or None, kind: text|int|dec|wan|pct|days|date|bool), as pages use."""

PAGE_KINDS = {
    "text": "text",
    "int": "int",
    "dec": "number",
    "days": "number",
    "wan": "money_wan",
    "pct": "percent",
    "date": "date",
    "bool": "bool",
}
"""A page column's kind → the Excel writer's kind (wan: yuan shown in 万元)."""

# ----------------------------------------------------------------------------- explorer (商机明细)

LABEL_KEYS = {f"is_{name}": f"label_is_{name}" for name in ("key", "competitive", "terminated", "abnormal")}
"""The explorer's label columns → their catalogue keys."""
REASON_KEYS = {name: name for name in ("overdue", "stale", "idle", "abnormal")}
"""The problem-reason columns → their catalogue keys."""

EXPLORER_COLUMNS: list[PageColumn] = [
    ("opportunity_id", "opportunity_id", None, "text"),
    ("name", "name", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("class_name", "col_class", "opportunity_class", "text"),
    ("labels", "col_labels", "labels", "text"),
    ("reasons", "col_reasons", "problem_reasons", "text"),
    ("owner_name", "owner_name", None, "text"),
    ("branch", "branch", None, "text"),
    ("team", "team", None, "text"),
    ("status_name", "col_status", None, "text"),
    ("stage", "stage", None, "int"),
    ("max_stage", "col_max_stage", "max_stage", "int"),
    ("annual_value", "annual_value", None, "wan"),
    ("created_date", "col_created_date", None, "date"),
    ("expected_close_date", "expected_close_date", None, "date"),
    ("slip_count", "slip_count", "slip_count", "int"),
]
"""The explorer's table and its export, column by column."""


@dataclass(frozen=True)
class Book:
    """A workbook to hand out: its sheets, what the audit log says it held, a file name stem."""

    sheets: list[Sheet]
    detail: str
    stem: str

    @property
    def rows(self) -> int:
        return sum(len(sheet.frame) for sheet in self.sheets)


def page_sheet(name: str, frame: pd.DataFrame, columns: Iterable[PageColumn], label: Label) -> Sheet:
    """A sheet of the columns a page table shows, headed by their labels, in their kinds."""
    specs = [Column(source, label(key), PAGE_KINDS[kind]) for source, key, _help, kind in columns]
    return Sheet(name, frame, specs)


def code_words(values: pd.Series, prefix: str, label: Label) -> pd.Series:
    """Codes (status, class) → their labels; blanks named as such."""
    return values.map(lambda code: label(f"{prefix}_{code}") if pd.notna(code) else label("segment_none"))


def flag_words(frame: pd.DataFrame, columns: Mapping[str, str], label: Label) -> pd.Series:
    """'重点、竞争' from boolean columns (column → label key), column by column."""
    text = pd.Series("", index=frame.index, dtype=object)
    for column, key in columns.items():
        text = text + np.where(frame[column].astype("boolean").fillna(False), label(key) + "、", "")
    return text.str.rstrip("、")


def explorer_words(frame: pd.DataFrame, label: Label) -> pd.DataFrame:
    """The list with its codes and flags as words, for the table and the export."""
    frame = frame.copy()
    frame["class_name"] = code_words(frame["opportunity_class"], "class", label)
    frame["status_name"] = code_words(frame["status"], "status", label)
    frame["labels"] = flag_words(frame, LABEL_KEYS, label)
    frame["reasons"] = flag_words(frame, REASON_KEYS, label)
    return frame


def explorer_book(ctx: Context, search: ListSearch, label: Label) -> Book:
    """The matched opportunities (at most ``explorer_export_rows``, in the search's order)."""
    limited = replace(search, limit=ctx.settings.explorer_export_rows)
    rows = explorer_words(opportunity_list(ctx, limited), label)
    detail = (
        f"explorer as_of={ctx.as_of} scope={ctx.scope.label} filters={ctx.filters.active()} "
        f"search={search.text!r} rows={len(rows)}"
    )
    sheet = page_sheet(label("page_explorer"), rows, EXPLORER_COLUMNS, label)
    return Book([sheet], detail, f"opportunities_{ctx.as_of}")


# ----------------------------------------------------------------------------- workload (客户经理)

WORKLOAD_KINDS = {
    "open_count": "int",
    "open_value": "wan",
    "key_open": "int",
    "new_mined": "int",
    "new_dispatched": "int",
    "activities": "int",
    "activities_per_week": "dec",
    "won_count": "int",
    "won_value": "wan",
    "lost_count": "int",
    "win_rate": "pct",
    "win_rate_adjusted": "pct",
    "median_cycle_days": "dec",
    "stale": "int",
    "overdue": "int",
    "support_open": "int",
    "target": "wan",
    "won_value_ytd": "wan",
    "target_attainment": "pct",
    "coverage": "pct",
    "late_registered_share": "pct",
    "closed_count": "int",
    "team_rate": "pct",
    "win_rate_low": "pct",
    "win_rate_high": "pct",
    "capability_rank": "int",
    "pipeline_expected": "wan",
    "open_expected_value": "wan",
    "remaining_target": "wan",
}
"""How each scorecard figure is shown: count, 万元 (held in yuan), percentage, one decimal."""

WORKLOAD_EXTRAS = (
    "closed_count",
    "team_rate",
    "win_rate_low",
    "win_rate_high",
    "capability_rank",
    "pipeline_expected",
)
"""Scorecard columns beyond metrics.md's fields (no team median)."""


def workload_label(field: str, label: Label) -> str:
    return label(f"wl_{field}")


def workload_figures(table: pd.DataFrame, with_medians: bool) -> list[tuple[str, str, bool]]:
    """(source column, field, is the team median) of each figure, medians beside their field."""
    out = []
    for field in (*FIELDS, *WORKLOAD_EXTRAS):
        out.append((field, field, False))
        if with_medians and field + MEDIAN_SUFFIX in table:
            out.append((field + MEDIAN_SUFFIX, field, True))
    return out


def figure_kind(field: str, median: bool) -> str:
    """A figure's page kind; the median of a count has decimals."""
    kind = WORKLOAD_KINDS[field]
    return "dec" if median and kind == "int" else kind


def workload_sheet(name: str, table: pd.DataFrame, label: Label) -> Sheet:
    """The scorecard as the 客户经理 page exports it: every figure with its team median beside it."""
    frame = table.assign(
        _owner=table["owner_name"].fillna(table["owner_id"]),
        _sample=table["too_few_deals"].map({True: label("wl_too_few"), False: ""}),
        _vs_team=table["vs_team"].map(lambda v: label(f"wl_vs_{v}") if isinstance(v, str) else ""),
    )
    specs = [
        Column("_owner", workload_label("owner", label)),
        Column("branch", label("branch")),
        Column("team", workload_label("team", label)),
    ]
    for source, field, median in workload_figures(table, with_medians=True):
        header = workload_label(field, label) + (label("wl_median_suffix") if median else "")
        specs.append(Column(source, header, PAGE_KINDS[figure_kind(field, median)]))
    specs += [
        Column("_sample", workload_label("sample", label)),
        Column("_vs_team", workload_label("vs_team", label)),
        Column("late_registered_flag", workload_label("late_registered_flag", label), "bool"),
    ]
    return Sheet(name, frame, specs)


def workload_book(ctx: Context, label: Label, table: pd.DataFrame | None = None) -> Book:
    """The 客户经理 scorecard export (``table``: the page's already computed ``workload(ctx)``)."""
    table = workload(ctx) if table is None else table
    detail = f"workload as_of={ctx.as_of} scope={ctx.scope.label} filters={ctx.filters.active()}"
    return Book([workload_sheet(label("page_workload"), table, label)], detail, f"workload_{ctx.as_of}")


# ----------------------------------------------------------------------------- any report, and writing

PAGE_BOOKS: dict[str, Callable[[Context, Label], Book]] = {
    "opportunities": lambda ctx, label: explorer_book(ctx, ListSearch(), label),
    "workload": workload_book,
}
"""Reports whose page has an export button: the command line writes that page's workbook."""


def report_book(name: str, ctx: Context, label: Label, frame: pd.DataFrame | None = None) -> Book:
    """The workbook of report ``name``: its page's export, or the report frame as it is
    (column names as headers, amounts in yuan as the report prints them)."""
    if name in PAGE_BOOKS:
        return PAGE_BOOKS[name](ctx, label)
    if frame is None:
        frame = run_report(name, ctx)
    detail = f"report {name} as_of={ctx.as_of} scope={ctx.scope.label} filters={ctx.filters.active()}"
    return Book([Sheet(name, frame)], detail, f"{name}_{ctx.as_of}")


def to_excel(sheets: Iterable[Sheet] | Mapping[str, pd.DataFrame]) -> bytes:
    """Sheets (or {name: frame}, kinds inferred) as .xlsx bytes, through the one writer."""
    return xlsx.workbook(sheets)


def export_workbook(
    engine: Engine, username: str, sheets: Iterable[Sheet] | Mapping[str, pd.DataFrame], detail: str
) -> bytes:
    """The workbook of ``sheets``, recorded in the audit log as an export by ``username``."""
    sheets = xlsx.as_sheets(sheets)
    content = xlsx.workbook(sheets)
    rows = sum(len(sheet.frame) for sheet in sheets)
    audit.record(engine, username, "export", f"{detail} ({rows} rows)")
    return content


def export_book(engine: Engine, username: str, book: Book, via: str = "") -> bytes:
    """``book`` as .xlsx bytes, audited as an export by ``username`` (``via``: e.g. 'command line')."""
    detail = f"{book.detail} via={via}" if via else book.detail
    return export_workbook(engine, username, book.sheets, detail)
