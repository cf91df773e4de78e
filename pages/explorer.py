"""商机明细 — every opportunity in scope; search, filter, sort, export; one opportunity's story.

``?opportunity=ID`` in the URL opens that opportunity's story, but only inside
the viewer's scope: anything else gets a plain "not found or not in your scope".
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analytics.exports import EXPLORER_COLUMNS, explorer_book, explorer_words, export_book
from analytics.metrics.explorer import (
    DEFAULT_STATUSES,
    FILTER_LABELS,
    SORTS,
    STATUSES,
    ListSearch,
)
from analytics.pages import PAGE_CALLS
from ui import data
from ui.filters import sidebar_filters
from ui.i18n import t
from ui.opportunity_story import LABEL_KEYS, REASON_KEYS, render_story
from ui.session import page_viewer
from ui.tables import show_table
from ui.widgets import freshness_caption

calls = PAGE_CALLS["explorer"]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)

st.title(t("page_explorer"))
st.caption(f"{t('scope_caption')}: {viewer.scope.label} · {t('as_of')}: {as_of}")
freshness_caption(data.compute(calls.data_freshness, ctx))

story_id = st.query_params.get("opportunity", "").strip()
if story_id:
    if st.button(t("story_back"), key="story_back"):
        del st.query_params["opportunity"]
        st.rerun()
    render_story(ctx, story_id)
    st.divider()

left, middle, right, last = st.columns([3, 2, 3, 2])
text = left.text_input(t("explorer_search"), key="explorer_search")
statuses = middle.multiselect(
    t("explorer_status"), STATUSES, default=list(DEFAULT_STATUSES), format_func=lambda s: t(f"status_{s}"),
    key="explorer_status", placeholder=t("all"), select_all=False,
)  # fmt: skip
labels = right.multiselect(
    t("explorer_labels"),
    FILTER_LABELS,
    format_func=lambda c: t(LABEL_KEYS.get(c) or REASON_KEYS.get(c) or "label_is_problem"),
    key="explorer_labels",
    placeholder=t("all"),
    select_all=False,
)
sort = last.selectbox(
    t("explorer_sort"), ["", *SORTS], format_func=lambda s: t(f"sort_{s or 'default'}"), key="explorer_sort"
)
search = ListSearch(text, tuple(statuses), tuple(labels))
counts = data.compute(calls.opportunity_list_counts, ctx, search)
if counts["in_scope"] == 0:
    st.info(t("empty_filter"))
    st.stop()
if counts["matched"] == 0:
    st.info(t("explorer_no_match"))
    st.stop()
settings = data.settings()
shown = data.compute(
    calls.opportunity_list, ctx, replace(search, sort=sort, limit=settings.explorer_list_rows)
)

shown = explorer_words(shown, t)
st.caption(t("explorer_count").format(n=f"{counts['matched']:,}", total=f"{counts['in_scope']:,}"))
if counts["matched"] > len(shown):
    st.caption(t("explorer_list_top").format(shown=len(shown)))
st.caption(t("explorer_select_hint"))
event = show_table(
    shown, EXPLORER_COLUMNS, key="explorer_table", on_select="rerun", selection_mode="single-row"
)
picked = shown.iloc[event.selection.rows[0]]["opportunity_id"] if event.selection.rows else None
if picked and picked != st.session_state.get("explorer_picked"):
    st.session_state["explorer_picked"] = picked  # a selection opens the story once, not on every rerun
    st.query_params["opportunity"] = picked
    st.rerun()

with st.form("explorer_open_form", border=False):
    typed = st.text_input(t("explorer_open_id"), key="explorer_open_id")
    if st.form_submit_button(t("explorer_open")) and typed.strip():
        st.query_params["opportunity"] = typed.strip()
        st.rerun()

export_search = replace(search, sort=sort)


def _export_book() -> bytes:
    """The matched opportunities (at most explorer_export_rows) as an audited workbook."""
    return export_book(ctx.engine, viewer.username, explorer_book(ctx, export_search, t))


if counts["matched"] > settings.explorer_export_rows:
    st.caption(t("explorer_export_top").format(rows=settings.explorer_export_rows))
st.download_button(
    t("explorer_export"),
    data=_export_book,
    file_name=f"opportunities_{as_of}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="explorer_export",
)
