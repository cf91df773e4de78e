"""商机明细 — every opportunity in scope; search, filter, sort, export; one opportunity's story.

``?opportunity=ID`` in the URL opens that opportunity's story, but only inside
the viewer's scope: anything else gets a plain "not found or not in your scope".
"""

from __future__ import annotations

import streamlit as st

from analytics.exports import export_workbook
from analytics.metrics.explorer import (
    LABEL_COLUMNS,
    REASON_COLUMNS,
    SORTS,
    opportunity_list,
    search_opportunities,
)
from analytics.metrics.freshness import data_freshness
from ui import data
from ui.filters import sidebar_filters
from ui.funnel_widgets import code_names, flag_text, show_table
from ui.i18n import t
from ui.opportunity_story import LABEL_KEYS, REASON_KEYS, render_story
from ui.session import page_viewer
from ui.widgets import freshness_caption

COLUMNS = [
    ("opportunity_id", "opportunity_id", None, "text"),
    ("name", "name", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("class_name", "col_class", "opportunity_class", "text"),
    ("labels", "col_labels", "labels", "text"),
    ("reasons", "col_reasons", "problem_reasons", "text"),
    ("owner_name", "owner_name", None, "text"),
    ("team", "team", None, "text"),
    ("status_name", "col_status", None, "text"),
    ("stage", "stage", None, "int"),
    ("max_stage", "col_max_stage", "max_stage", "int"),
    ("annual_value", "annual_value", None, "wan"),
    ("created_date", "col_created_date", None, "date"),
    ("expected_close_date", "expected_close_date", None, "date"),
    ("slip_count", "slip_count", "slip_count", "int"),
]
STATUSES = ("open", "won", "lost", "terminated")

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)

st.title(t("page_explorer"))
st.caption(f"{t('scope_caption')}: {viewer.scope.label} · {t('as_of')}: {as_of}")
freshness_caption(data.compute(data_freshness, ctx))

story_id = st.query_params.get("opportunity", "").strip()
if story_id:
    if st.button(t("story_back"), key="story_back"):
        del st.query_params["opportunity"]
        st.rerun()
    render_story(ctx, story_id)
    st.divider()

listing = data.compute(opportunity_list, ctx)
if listing.empty:
    st.info(t("empty_filter"))
    st.stop()

left, middle, right, last = st.columns([3, 2, 3, 2])
text = left.text_input(t("explorer_search"), key="explorer_search")
statuses = middle.multiselect(
    t("explorer_status"), STATUSES, format_func=lambda s: t(f"status_{s}"), key="explorer_status"
)
labels = right.multiselect(
    t("explorer_labels"),
    [*LABEL_COLUMNS, *REASON_COLUMNS, "is_problem"],
    format_func=lambda c: t(LABEL_KEYS.get(c) or REASON_KEYS.get(c) or "label_is_problem"),
    key="explorer_labels",
)
sort = last.selectbox(
    t("explorer_sort"), ["", *SORTS], format_func=lambda s: t(f"sort_{s or 'default'}"), key="explorer_sort"
)
shown = search_opportunities(listing, text, tuple(statuses), tuple(labels), sort)
if shown.empty:
    st.info(t("explorer_no_match"))
    st.stop()

shown["class_name"] = code_names(shown["opportunity_class"], "class")
shown["status_name"] = code_names(shown["status"], "status")
shown["labels"] = flag_text(shown, LABEL_KEYS)
shown["reasons"] = flag_text(shown, REASON_KEYS)
st.caption(t("explorer_count").format(n=f"{len(shown):,}", total=f"{len(listing):,}"))
st.caption(t("explorer_select_hint"))
event = show_table(shown, COLUMNS, key="explorer_table", on_select="rerun", selection_mode="single-row")
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

export = shown[[column for column, *_ in COLUMNS]].rename(columns={c: t(k) for c, k, *_ in COLUMNS})
st.download_button(
    t("explorer_export"),
    data=lambda: export_workbook(
        ctx.engine,
        viewer.username,
        {t("page_explorer"): export},
        f"explorer as_of={as_of} filters={ctx.filters.active()} search={text!r}",
    ),
    file_name=f"opportunities_{as_of}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="explorer_export",
)
