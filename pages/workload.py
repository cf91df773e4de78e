"""客户经理 — each account manager's workload and capability, fairly compared.

First a ranking (who is at the top and the bottom by capability, effort or
target coverage), then the scorecard (a short set of columns, the rest behind a
chooser, the team median beside each figure on request), effort against
results for one team at a time, the hidden-order signal, and targets against
wins.  All numbers come from ``analytics.metrics.workload``.
"""

from __future__ import annotations

import streamlit as st

from analytics.pages import PAGE_CALLS
from ui import data
from ui.charts_workload import effort_result_scatter, lowest_coverage, target_bars
from ui.filters import sidebar_filters
from ui.format import pct
from ui.i18n import h, t
from ui.session import page_viewer
from ui.tables import Column, show_table
from ui.workload_ranking import choose_measure, show_ranking
from ui.workload_view import chart_team, choose_columns, export_button, label, page_header, show_scorecard

calls = PAGE_CALLS["workload"]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)
page_header("page_workload", viewer.scope.label, ctx, data.compute(calls.data_freshness, ctx))

table = data.compute(calls.workload, ctx)
if table.empty:
    st.info(t("wl_empty"))
    st.stop()

if len(table) > 1:  # a scope of one manager (an account manager's own) has nothing to rank
    measure = choose_measure()
    show_ranking(
        data.compute(calls.workload_ranking, ctx, measure), measure, ctx.settings.workload_ranking_size
    )

st.subheader(t("wl_scorecard"), help=h("wl_capability_rank"))
more = choose_columns()
with_medians = st.toggle(t("wl_show_medians"), value=False, key="wl_show_medians")
show_scorecard(table, with_medians, key="wl_scorecard", page_rows=ctx.settings.workload_table_rows, more=more)
export_button(ctx, viewer.username, table)

st.subheader(t("wl_scatter"), help=h("wl_scatter"))
team_rows = chart_team(table, viewer.scope)
st.caption(t("wl_scatter_caption"))
axes = {"x": label("activities_per_week"), "y": label("win_rate_adjusted"), "size": label("open_value")}
st.plotly_chart(
    effort_result_scatter(team_rows, {**axes, "team": t("team")}), width="stretch", key="wl_scatter_chart"
)

st.subheader(t("wl_hidden_orders"), help=h("wl_hidden_orders"))
flagged = table[table["late_registered_flag"]]
if flagged.empty:
    st.success(t("wl_hidden_none"))
else:
    hidden = flagged[
        ["owner_name", "team", "branch", "won_count", "late_registered_share", "team_late_registered_share"]
    ]
    kinds = {"won_count": "int", "late_registered_share": "pct", "team_late_registered_share": "pct"}
    labels = {c: "branch" if c == "branch" else f"wl_{c.removesuffix('_name')}" for c in hidden.columns}
    helps = {
        "team": "wl_team",
        "won_count": "wl_won_count",
        "late_registered_share": "wl_late_registered_share",
    }
    helps["team_late_registered_share"] = "wl_late_registered_flag"
    show_table(
        hidden,
        [Column(c, labels[c], helps.get(c), kinds.get(c, "text")) for c in hidden.columns],
        key="wl_hidden_table",
    )

st.subheader(t("wl_targets"), help=h("wl_targets"))
if table["target"].isna().all():
    st.info(t("wl_no_targets"))
else:
    shown = lowest_coverage(table, ctx.settings.workload_chart_rows)
    st.caption(t("wl_targets_shown").format(n=len(shown), total=int(table["target"].notna().sum())))
    st.plotly_chart(
        target_bars(
            shown,
            {
                "won": label("won_value_ytd"),
                "expected": label("pipeline_expected"),
                "target": label("target"),
                "unit": t("wan_yuan"),
                "coverage_text": lambda v: f"{label('expected_attainment')} {pct(v)}",
            },
        ),
        width="stretch",
        key="wl_target_chart",
    )
