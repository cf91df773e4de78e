"""预算完成 — attainment against time progress, by product and branch, and by month."""

from __future__ import annotations

import streamlit as st

from analytics.pages import PAGE_CALLS
from analytics.scope import FILTER_COLUMNS
from ui import data
from ui.budget_basis import basis_of, budget_basis_note, budget_label, headline_basis
from ui.charts_forecast import attainment_bullets, attainment_gauge, cumulative_vs_budget
from ui.filters import sidebar_filters
from ui.format import pct, points, wan
from ui.i18n import t
from ui.session import page_viewer
from ui.tables import show_table
from ui.widgets import freshness_caption, metric

calls = PAGE_CALLS["attainment"]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)

st.title(t("page_attainment"))
st.caption(f"{t('scope_caption')}: {viewer.scope.label} · {t('as_of')}: {as_of}")
freshness_caption(data.compute(calls.data_freshness, ctx))

levels = data.compute(calls.budget_attainment, ctx)
overall = levels[levels["level"] == "overall"].iloc[0].to_dict()
through = overall["data_through"]
headline_basis(overall, as_of)
ignored = data.compute(calls.revenue_ignored_filters, ctx)
if ignored:
    st.caption(t("att_revenue_filters") + "、".join(t(FILTER_COLUMNS[name]) for name in ignored))
if not overall["budget_annual"] and not overall["actual_ytd"]:
    st.info(t("empty_filter"))
    st.stop()

cols = st.columns(6)
metric(cols[0], "actual_ytd", wan(overall["actual_ytd"]), "actual_ytd")
metric(cols[1], budget_label(overall), wan(overall["budget_annual"]), "budget_annual")
metric(cols[2], "attainment", pct(overall["attainment"]), "attainment", delta=points(overall["period_gap"]))
metric(cols[3], "att_period_progress", pct(overall["period_progress"]), "period_progress")
metric(cols[4], "ytd_attainment", pct(overall["ytd_attainment"]), "ytd_attainment")
metric(
    cols[5],
    "att_data_through",
    "—" if through != through or through is None else str(int(through)),
    "data_through",
)
budget_basis_note(overall)

left, right = st.columns([1, 2])
if overall["attainment"] == overall["attainment"] and overall["attainment"] is not None:
    left.plotly_chart(
        attainment_gauge(overall["attainment"], overall["period_progress"], t("att_gauge")), key="att_gauge"
    )
level = right.radio(
    t("att_level"),
    ["product", "branch", "branch_product"],
    format_func=lambda code: t(f"att_level_{code}"),
    horizontal=True,
    key="att_level",
)
rows = levels[(levels["level"] == level) & (levels["budget_annual"] > 0)]
if level != "branch_product" and len(rows):
    right.plotly_chart(
        attainment_bullets(rows, level, overall["period_progress"], t("att_bullets")), key="att_bullets"
    )

st.subheader(t("att_table"))
detail = levels[levels["level"] == level].sort_values("period_gap", na_position="last")
if detail.empty:
    st.info(t("empty_filter"))
else:
    show_table(
        detail,
        [
            *[(k, k, None, "text") for k in ("branch", "product") if k in level],
            ("actual_ytd", "actual_ytd", "actual_ytd", "wan"),
            ("budget_annual", budget_label(overall), "budget_annual", "wan"),
            ("budget_ytd", "budget_ytd", "budget_ytd", "wan"),
            ("attainment", "attainment", "attainment", "pct"),
            ("ytd_attainment", "ytd_attainment", "ytd_attainment", "pct"),
            ("period_gap", "att_period_gap", "period_gap", "pp"),
        ],
        key="att_detail",
        colour_by="period_gap",
    )

st.subheader(t("att_monthly"))
monthly = data.compute(calls.revenue_monthly, ctx)
labels = {
    key: t(f"att_{key}")
    for key in ("actual_cumulative", "budget_cumulative", "actual_month", "budget_month", "month")
}
if basis_of(overall) == "target":
    labels.update(budget_cumulative=t("att_target_cumulative"), budget_month=t("att_target_month"))
st.plotly_chart(cumulative_vs_budget(monthly, labels, t("att_monthly")), key="att_monthly_chart")
