"""流程质量 — skipped stages and backward moves per team and owner: is the stage data true?"""

from __future__ import annotations

import streamlit as st

from analytics.metrics.funnel import cohort_window
from analytics.pages import PAGE_CALLS
from ui import data
from ui.charts_funnel import process_figure
from ui.filters import sidebar_filters
from ui.format import count, pct
from ui.i18n import t
from ui.session import page_viewer
from ui.tables import show_table
from ui.widgets import freshness_caption, metric

calls = PAGE_CALLS["process"]

COLUMNS = [
    ("opportunities", "col_opportunities", None, "int"),
    ("changes", "col_changes", "changes", "int"),
    ("skipped_stages", "col_skipped_stages", "skipped_stages", "int"),
    ("skipped_share", "col_skipped_share", "skipped_stages", "pct"),
    ("backward_moves", "col_backward_moves", "backward_moves", "int"),
    ("backward_share", "col_backward_share", "backward_moves", "pct"),
]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)

st.title(t("page_process"))
st.caption(f"{t('scope_caption')}: {viewer.scope.label} · {t('as_of')}: {as_of}")
freshness_caption(data.compute(calls.data_freshness, ctx))
start, end = cohort_window(ctx)
st.caption(t("process_period").format(start=start, end=end))

quality = data.compute(calls.process_quality, ctx)
total = quality[quality["level"] == "total"]
if total.empty or int(total["changes"].iloc[0]) == 0:
    st.info(t("empty_filter"))
    st.stop()

row = total.iloc[0]
cols = st.columns(3)
metric(cols[0], "changes", count(row["changes"]), "changes")
metric(
    cols[1],
    "skipped_stages",
    f"{count(row['skipped_stages'])} · {pct(row['skipped_share'])}",
    "skipped_stages",
)
metric(
    cols[2],
    "backward_moves",
    f"{count(row['backward_moves'])} · {pct(row['backward_share'])}",
    "backward_moves",
)

teams = quality[quality["level"] == "team"]
labels = {"skipped": t("skipped_stages"), "backward": t("backward_moves")}
st.plotly_chart(process_figure(teams, labels, t("process_chart")), key="process_chart")
st.subheader(t("process_by_team"))
show_table(
    teams, [("team", "team", None, "text"), ("branch", "branch", None, "text"), *COLUMNS], key="process_team"
)
st.subheader(t("process_by_owner"))
owner_columns = [
    ("owner_name", "owner_name", None, "text"),
    ("team", "team", None, "text"),
    ("branch", "branch", None, "text"),
]
show_table(quality[quality["level"] == "owner"], owner_columns + COLUMNS, key="process_owner")
