"""漏斗分析 — where do our opportunities stop? Reached per stage, conversion, by segment."""

from __future__ import annotations

import streamlit as st

from analytics.blocks.stages import FUNNEL_STAGES
from analytics.metrics.funnel import (
    DIMENSIONS,
    WON,
    cohort_window,
    funnel_totals,
)
from analytics.pages import PAGE_CALLS
from ui import data
from ui.charts_funnel import funnel_figure
from ui.filters import sidebar_filters
from ui.format import count, pct, wan
from ui.funnel_drill import breakdown_cells, breakdown_table, drill_down, heatmap
from ui.funnel_widgets import stage_name
from ui.i18n import t
from ui.session import page_viewer
from ui.tables import show_table
from ui.widgets import freshness_caption, metric

calls = PAGE_CALLS["funnel"]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)

st.title(t("page_funnel"))
st.caption(f"{t('scope_caption')}: {viewer.scope.label} · {t('as_of')}: {as_of}")
freshness_caption(data.compute(calls.data_freshness, ctx))
start, end = cohort_window(ctx)
st.caption(t("funnel_period").format(start=start, end=end))

stages = data.compute(calls.funnel, ctx)
totals = funnel_totals(stages)
if totals["cohort"] == 0:
    st.info(t("empty_filter"))
    st.stop()

cols = st.columns(6)
metric(cols[0], "cohort", count(totals["cohort"]), "cohort")
metric(cols[1], "won", count(totals["won"]), "won")
metric(cols[2], "won_value", wan(totals["won_value"]), "won")
metric(cols[3], "closed", count(totals["closed"]), "closed")
metric(cols[4], "win_rate_cohort", pct(totals["win_rate_cohort"]), "win_rate_cohort")
metric(cols[5], "win_rate_closed", pct(totals["win_rate_closed"]), "win_rate_closed")

names = [stage_name(k) for k in FUNNEL_STAGES] + [t("stage_won")]


def _on_funnel_click() -> None:
    points = st.session_state["funnel_chart"].selection.get("points", [])
    if points and points[0].get("y") in names:
        st.session_state["drill_stage"] = (*FUNNEL_STAGES, WON)[names.index(points[0]["y"])]


left, right = st.columns([3, 2])
with left:
    st.plotly_chart(
        funnel_figure(stages, names, totals["won"], totals["won_value"], t("funnel_chart")),
        key="funnel_chart",
        on_select=_on_funnel_click,
        selection_mode="points",
    )
with right:
    st.markdown(f"**{t('funnel_stage_table')}**")
    stages["stage_name"] = stages["stage"].map(stage_name)
    show_table(
        stages,
        [
            ("stage_name", "col_stage", None, "text"),
            ("reached", "col_reached", "reached", "int"),
            ("reached_value", "col_reached_value", "reached", "wan"),
            ("conversion", "col_conversion", "conversion", "pct"),
        ],
        key="funnel_stages",
    )

st.subheader(t("funnel_breakdown"))
dimension = st.segmented_control(
    t("funnel_dimension"),
    DIMENSIONS,
    default=DIMENSIONS[0],
    required=True,
    format_func=lambda d: t(f"dim_{d}"),
    key="funnel_dimension",
)
cells = breakdown_cells(data.compute(calls.funnel_breakdown, ctx), dimension)
heatmap(cells, dimension)
breakdown_table(cells, key="funnel_breakdown_table")
drill_down(ctx, dimension, cells.drop_duplicates("segment")["segment"].tolist())
