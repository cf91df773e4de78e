"""阶段时长 — how long each stage takes, is it getting faster, and who sits longest."""

from __future__ import annotations

import streamlit as st

from analytics.blocks.stages import FUNNEL_STAGES
from analytics.metrics.durations import (
    durations_window,
)
from analytics.pages import PAGE_CALLS
from ui import data
from ui.charts_funnel import durations_figure, trend_figure
from ui.filters import sidebar_filters
from ui.funnel_widgets import stage_name
from ui.i18n import t
from ui.session import page_viewer
from ui.tables import show_table
from ui.widgets import freshness_caption

calls = PAGE_CALLS["durations"]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)

st.title(t("page_durations"))
st.caption(f"{t('scope_caption')}: {viewer.scope.label} · {t('as_of')}: {as_of}")
freshness_caption(data.compute(calls.data_freshness, ctx))
start, end = durations_window(ctx)
st.caption(t("durations_period").format(start=start, end=end))

durations = data.compute(calls.stage_durations, ctx)
if durations["ended_stints"].sum() == 0 and durations["open_stints"].sum() == 0:
    st.info(t("empty_filter"))
    st.stop()

names = [stage_name(k) for k in FUNNEL_STAGES]
labels = {"median": t("col_median_days"), "p90": t("col_p90_days"), "threshold": t("col_stale_days")}
st.plotly_chart(durations_figure(durations, names, labels, t("durations_chart")), key="durations_chart")
durations["stage_name"] = durations["stage"].map(stage_name)
show_table(
    durations,
    [
        ("stage_name", "col_stage", None, "text"),
        ("ended_stints", "col_ended_stints", "median_days", "int"),
        ("median_days", "col_median_days", "median_days", "days"),
        ("p90_days", "col_p90_days", "p90_days", "days"),
        ("stale_days", "col_stale_days", "stale_days", "days"),
        ("open_stints", "col_open_stints", "open_stints", "int"),
        ("open_median_age_days", "col_open_median_age", "open_stints", "days"),
        ("open_max_age_days", "col_open_max_age", "open_stints", "int"),
        ("stale_count", "col_stale_count", "stale", "int"),
    ],
    key="durations_table",
)

st.subheader(t("durations_trend"))
trend = data.compute(calls.stage_durations_trend, ctx)
measure = st.radio(
    t("durations_trend_measure"),
    ["median_days", "p90_days"],
    format_func=lambda m: t(f"col_{m}"),
    horizontal=True,
    key="durations_measure",
)
if trend.empty:
    st.info(t("empty_filter"))
else:
    stage_names = {k: stage_name(k) for k in FUNNEL_STAGES}
    st.plotly_chart(trend_figure(trend, measure, stage_names, t("durations_trend")), key="durations_trend")

st.subheader(t("durations_longest"))
longest = data.compute(calls.longest_open_stints, ctx)
tabs = st.tabs(names)
for tab, stage in zip(tabs, FUNNEL_STAGES, strict=True):
    rows = longest[longest["stage"] == stage]
    with tab:
        if rows.empty:
            st.caption(t("durations_no_open"))
            continue
        show_table(
            rows,
            [
                ("opportunity_id", "opportunity_id", None, "text"),
                ("customer_name", "customer_name", None, "text"),
                ("owner_name", "owner_name", None, "text"),
                ("annual_value", "annual_value", None, "wan"),
                ("stint_entered_date", "col_stint_entered", None, "date"),
                ("stint_age_days", "col_stint_age", "open_stints", "int"),
                ("stale_threshold_days", "col_stale_days", "stale_days", "days"),
                ("stale", "stale", "stale", "bool"),
                ("is_key", "is_key", "labels", "bool"),
            ],
            key=f"longest_{stage}",
        )
