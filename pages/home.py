"""总览 — the director's one screen: budget vs time progress, pipeline, problems."""

from __future__ import annotations

import streamlit as st

from analytics.pages import PAGE_CALLS
from ui import data
from ui.budget_basis import budget_basis_note, headline_basis
from ui.charts import attainment_bars
from ui.filters import sidebar_filters
from ui.format import count, pct, points, wan
from ui.i18n import h, t
from ui.pack_button import pack_button
from ui.session import page_viewer
from ui.tables import Column, show_table
from ui.widgets import freshness_caption, metric

calls = PAGE_CALLS["home"]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)
summary = data.compute(calls.overview, ctx)

st.title(t("home_title"))
st.caption(f"{t('scope_caption')}: {viewer.scope.label} · {t('as_of')}: {as_of}")
freshness_caption(summary["freshness"])

if summary["freshness"]["latest_snapshot"] is None:
    st.info(t("empty_warehouse"))
    st.stop()
pack_button(viewer, ctx)

attainment = summary["attainment"]
st.subheader(t("revenue_block"))
cols = st.columns(4)
metric(cols[0], "actual_ytd", wan(attainment.get("actual_ytd")), "actual_ytd")
metric(
    cols[1],
    "attainment",
    pct(attainment.get("attainment")),
    "attainment",
    delta=points(attainment.get("period_gap")),
)
metric(cols[2], "att_period_progress", pct(attainment.get("period_progress")), "period_progress")
metric(cols[3], "ytd_attainment", pct(attainment.get("ytd_attainment")), "ytd_attainment")
headline_basis(attainment, as_of)
budget_basis_note(attainment)

st.subheader(t("pipeline_block"))
cols = st.columns(5)
metric(cols[0], "open_count", count(summary["open_count"]), "open_count")
metric(cols[1], "open_value", wan(summary["open_value"]), "open_value")
metric(cols[2], "win_rate", pct(summary["win_rate"]), "win_rate")
metric(cols[3], "key_open_count", count(summary["key_open_count"]), "key_open_count")
metric(cols[4], "problem_count", count(summary["problem_count"]), "problem_count")
if summary["problem_share"] is not None:
    st.caption(f"{t('problem_share')}: {pct(summary['problem_share'])}", help=h("problem_share"))
if summary["open_count"] == 0 and summary["closed_count"] == 0:
    st.warning(t("empty_filter"))

by_level = summary["attainment_levels"]
left, right = st.columns(2)
for column, level, key in (
    (left, "branch", "attainment_by_branch"),
    (right, "product", "attainment_by_product"),
):
    rows = by_level[(by_level["level"] == level) & (by_level["budget_annual"] > 0)]
    if len(rows):
        column.plotly_chart(
            attainment_bars(rows, level, attainment["period_progress"], t(key)),
            use_container_width=True,
            key=f"chart_{level}",
        )

st.subheader(t("top_problems"))
problems = data.compute(calls.top_problem_opportunities, ctx)
if problems.empty:
    st.info(t("no_problems"))
else:
    top = problems.head(20).copy()
    reasons = ("overdue", "stale", "idle", "abnormal")
    top["reasons"] = top[list(reasons)].apply(lambda row: "、".join(t(r) for r in reasons if row[r]), axis=1)
    shown = [
        Column("opportunity_id", "opportunity_id"),
        Column("customer_name", "customer_name"),
        Column("owner_name", "owner_name"),
        Column("stage", "stage", None, "int"),
        Column("annual_value", "annual_value", None, "wan"),
        Column("expected_close_date", "expected_close_date", None, "date"),
        Column("reasons", "reasons"),
        Column("slip_count", "slip_count", None, "int"),
        Column("is_key", "is_key", None, "bool"),
    ]
    show_table(top, shown, key="home_top_problems")
