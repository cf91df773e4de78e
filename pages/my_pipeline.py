"""我的商机 — one account manager: target, won to date, pipeline, and what is left to mine.

An account manager sees their own; anyone else picks a manager in their
scope (the choice only narrows the viewer's scope, it never widens it).
"""

from __future__ import annotations

import streamlit as st

from analytics.metrics.my_pipeline import for_manager
from analytics.pages import PAGE_CALLS
from ui import data
from ui.filters import sidebar_filters
from ui.i18n import h, t
from ui.my_pipeline_view import show_book, show_deals, show_figures, show_plan
from ui.session import page_viewer
from ui.workload_view import page_header

calls = PAGE_CALLS["my_pipeline"]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)
page_header("page_my_pipeline", viewer.scope.label, ctx, data.compute(calls.data_freshness, ctx))

if viewer.role == "account_manager" and viewer.scope.staff_id:
    staff_id = viewer.scope.staff_id
else:
    people = data.compute(calls.workload_people, ctx)
    if people.empty:
        st.info(t("wl_no_manager"))
        st.stop()
    names = dict(zip(people["owner_id"], people["owner_name"].fillna(people["owner_id"]), strict=True))
    staff_id = st.selectbox(
        t("wl_choose_manager"),
        list(names),
        format_func=lambda s: f"{names[s]} ({s})",
        key="wl_manager_choice",
    )

result = data.compute(calls.my_pipeline, for_manager(ctx, staff_id))
person = result["person"]
if person is None:
    st.info(t("wl_no_person_data"))
    st.stop()

st.subheader(f"{person['owner_name'] or staff_id} · {person['current_team'] or ''}")
show_figures(person)
st.subheader(t("my_deals"), help=h("my_deals"))
include_closed = st.toggle(t("include_closed"), value=False, key="my_deals_closed")
show_deals(data.compute(calls.my_deals, for_manager(ctx, staff_id), include_closed))
st.subheader(t("wl_plan"))
show_plan(person, result["plan"])
st.subheader(t("wl_book"))
show_book(result["book"])
