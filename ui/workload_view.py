"""Rendering the account-manager scorecard: labelled columns, team medians, highlights, export.

The scorecard frame comes from ``analytics.metrics.workload.workload``; this
module only turns it into what a leader reads: Chinese (or English) headers,
money in 万元, every column's definition as its tooltip, the team median
beside each figure, and the hidden-order signal highlighted where it is far
above the team's.  The three account-manager pages share it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

import pandas as pd
import streamlit as st

from analytics.context import Context, months_before
from analytics.exports import WORKLOAD_EXTRAS, WORKLOAD_KINDS, export_book, figure_kind, workload_book
from analytics.metrics.workload import FIELDS, MEDIAN_SUFFIX
from analytics.scope import Scope, team_key, team_keys
from ui.format import pct, wan
from ui.i18n import h, t
from ui.tables import Column, Verbatim, show_table
from ui.widgets import freshness_caption

KINDS = WORKLOAD_KINDS
"""How each figure is shown: count, 万元, percentage or a number with one decimal (shared with the export)."""
EXTRAS = WORKLOAD_EXTRAS


def label(field: str) -> str:
    return t(f"wl_{field}")


def help_for(field: str) -> str | None:
    """The field's definition, or the nearest one (the interval bounds share the adjusted rate's)."""
    key = {"win_rate_low": "win_rate_adjusted", "win_rate_high": "win_rate_adjusted"}.get(field, field)
    try:
        return h(f"wl_{key}")
    except KeyError:
        return None


DEFAULT_FIELDS = ("win_rate_adjusted", "activities_per_week", "coverage", "key_open", "stale", "overdue")
"""The scorecard's figures shown unless more are chosen: the ranking measures, key and problem counts."""

MORE_COLUMNS = (
    *(f for f in (*FIELDS, *EXTRAS) if f not in DEFAULT_FIELDS),
    "late_registered_flag",
    "vs_team",
)
"""What the column chooser offers, in the scorecard's order."""


def choose_columns() -> list[str]:
    """The figures beyond the default set the viewer adds (labels from the catalogue)."""
    return st.multiselect(
        t("wl_more_columns"),
        MORE_COLUMNS,
        format_func=label,
        placeholder=t("wl_more_columns_placeholder"),
        key="wl_more_columns",
    )


def _figure_columns(field: str, with_median: bool) -> list[Column]:
    """A figure's column, and its team median's right after it when asked for."""
    help_text = help_for(field)
    return [
        Column(
            field + (MEDIAN_SUFFIX if median else ""),
            Verbatim(label(field) + (t("wl_median_suffix") if median else "")),
            help_text and Verbatim(help_text),
            figure_kind(field, median),
        )
        for median in ((False, True) if with_median else (False,))
    ]


def scorecard_columns(
    table: pd.DataFrame, with_medians: bool, more: Collection[str] = ()
) -> tuple[pd.DataFrame, list[Column]]:
    """The scorecard's columns: owner, team and branch, the default figures and those in ``more``
    (each with its team median beside), the small-sample mark, the flags chosen.

    The hidden-order flag is a checkbox column right after the 藏单 share: it marks the
    managers far above their team without styling cells, which Streamlit refuses past
    262,144 cells (about 4,800 managers) and which cost seconds well before that.
    """
    frame = table.assign(
        _owner=table["owner_name"].fillna(table["owner_id"]),
        _sample=table["too_few_deals"].map({True: t("wl_too_few"), False: ""}),
        _vs_team=table["vs_team"].map(lambda v: t(f"wl_vs_{v}") if isinstance(v, str) else ""),
    )
    # names repeat across branches: the team is both
    columns = [Column("_owner", "wl_owner"), Column("team", "wl_team", "wl_team"), Column("branch", "branch")]
    wanted = {*DEFAULT_FIELDS, *more}
    for field in (*FIELDS, *EXTRAS):
        if field in wanted:
            columns += _figure_columns(field, with_medians and field + MEDIAN_SUFFIX in table)
        if field == "late_registered_share" and "late_registered_flag" in wanted:
            columns.append(
                Column("late_registered_flag", "wl_late_registered_flag", "wl_late_registered_flag", "bool")
            )
    columns.append(Column("_sample", "wl_sample", "wl_capability_rank"))
    if "vs_team" in wanted:
        columns.append(Column("_vs_team", "wl_vs_team", "wl_vs_team"))
    return frame, columns


def scorecard_page(table: pd.DataFrame, page_rows: int, key: str) -> pd.DataFrame:
    """The managers of the page chosen, in the order chosen over all of them.

    Up to ``page_rows`` managers the table is shown whole (and sorts in the
    browser).  Beyond, the browser gets one page: the order is chosen here and
    applied to every manager before the cut, since sorting a page in the
    browser would only rank the rows it holds.
    """
    if len(table) <= page_rows:
        return table
    order, direction, number = st.columns([2, 1, 1], vertical_alignment="bottom")
    field = order.selectbox(
        t("wl_sort_by"),
        [None, *FIELDS],
        format_func=lambda f: t("wl_sort_default") if f is None else label(f),
        key=f"{key}_sort",
    )
    descending = direction.toggle(t("wl_descending"), value=True, key=f"{key}_descending")
    pages = -(-len(table) // page_rows)
    page = number.number_input(
        t("wl_page").format(pages=pages), min_value=1, max_value=pages, value=1, step=1, key=f"{key}_page"
    )
    if field is not None:
        table = table.sort_values(field, ascending=not descending, na_position="last", kind="stable")
    start = (int(page) - 1) * page_rows
    rows = table.iloc[start : start + page_rows]
    st.caption(t("wl_rows_shown").format(first=start + 1, last=start + len(rows), total=len(table)))
    return rows


def show_scorecard(
    table: pd.DataFrame, with_medians: bool, key: str, page_rows: int, more: Collection[str] = ()
) -> pd.DataFrame:
    """The scorecard, a page of ``page_rows`` managers at a time: the default figures and ``more``."""
    frame, columns = scorecard_columns(scorecard_page(table, page_rows, key), with_medians, more)
    show_table(frame, columns, key=key)
    return frame


def default_team(sizes: pd.Series, scope: Scope) -> str:
    """The viewer's own team when it is in the table, else the team with the most rows (first by name)."""
    own = team_key(scope.branch, scope.team) if scope.team else None
    if own in sizes.index:
        return own
    return str(sizes.sort_index().idxmax())


def chart_team(table: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """The scorecard rows of the one team the viewer picks for the effort/results chart.

    One team at a time keeps the chart readable (a legend of a few names, not
    30 teams in 300 bubbles); it starts at the viewer's own team, or the
    largest for a director or branch head.
    """
    keys = pd.Series(team_keys(table["branch"], table["team"].fillna("")), index=table.index)
    sizes = keys.value_counts()
    options = sorted(sizes.index)
    chosen = default_team(sizes, scope)
    if len(options) > 1:
        chosen = st.selectbox(
            t("wl_scatter_team"), options, index=options.index(chosen), key="wl_scatter_team"
        )
    rows = table[keys == chosen]
    st.caption(
        t("wl_scatter_shown" if len(options) > 1 else "wl_scatter_one").format(
            team=chosen, n=len(rows), teams=len(options)
        )
    )
    return rows


def export_button(ctx: Context, username: str, table: pd.DataFrame) -> None:
    """Excel download of the whole scorecard, built on click and recorded in the audit log.

    The workbook is ``analytics.exports.workload_book``, the one ``report workload --format
    xlsx`` writes: money in 万元 as its headers say, names as text.
    """
    book = workload_book(ctx, t, table)
    st.download_button(
        t("wl_export"),
        data=lambda: export_book(ctx.engine, username, book),
        file_name=f"{book.stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="workload_export",
    )


def formatted(field: str, values: pd.Series) -> pd.Series:
    """A figure as text in its kind's format (for tables whose rows mix kinds)."""
    kind = KINDS.get(field, "dec")
    if kind == "pct":
        return values.map(pct)
    if kind == "wan":
        return values.map(wan)
    return values.map(lambda v: "—" if pd.isna(v) else (f"{v:,.0f}" if kind == "int" else f"{v:,.1f}"))


def transposed(table: pd.DataFrame) -> pd.DataFrame:
    """Members side by side: a column per member (and the team median), a row per figure."""
    names = table["owner_name"].fillna(table["owner_id"])
    names = names.where(~names.duplicated(keep=False), names + "·" + table["owner_id"]).tolist()
    cells = {field: formatted(field, table[field]).tolist() for field in FIELDS}
    frame = pd.DataFrame(cells, index=names).T
    frame.insert(0, t("wl_metric"), [label(f) for f in FIELDS])
    if len(table):
        frame[t("wl_team_median")] = [formatted(f, table[f + MEDIAN_SUFFIX].head(1)).iloc[0] for f in FIELDS]
    return frame.reset_index(drop=True)


def page_header(title_key: str, scope_label: str, ctx: Context, freshness: dict) -> None:
    """Title, scope and as_of, the windows W and T as dates, and data freshness."""
    st.title(t(title_key))
    st.caption(f"{t('scope_caption')}: {scope_label} · {t('as_of')}: {ctx.as_of}")
    weeks = ctx.settings.workload_window_weeks
    st.caption(
        t("wl_windows").format(
            w_from=ctx.as_of - timedelta(weeks=weeks) + timedelta(days=1),
            t_from=months_before(ctx.as_of, ctx.settings.trailing_months) + timedelta(days=1),
            as_of=ctx.as_of,
            weeks=weeks,
        )
    )
    freshness_caption(freshness)
