"""问题商机 — open deals overdue, stale, idle or abnormal: by owner, by team, key first.

The reasons exist for open deals only (a closed deal cannot be overdue, stale
or idle), so every list here is of open deals; the share flagged says whether
the list is short enough to act on.
"""

from __future__ import annotations

import streamlit as st

from analytics.pages import PAGE_CALLS
from ui import data
from ui.filters import sidebar_filters
from ui.format import count, pct, wan
from ui.funnel_widgets import code_names, flag_text
from ui.i18n import t
from ui.opportunity_story import REASON_KEYS
from ui.session import page_viewer
from ui.tables import show_table
from ui.widgets import freshness_caption, metric

calls = PAGE_CALLS["problems"]

GROUP_COLUMNS = [
    ("problem_count", "col_problem_count", "problem_reasons", "int"),
    ("problem_share", "problem_share", "problem_share", "pct"),
    ("key_problem_count", "col_key_problem_count", "labels", "int"),
    ("value_at_risk", "col_value_at_risk", "value_at_risk", "wan"),
    ("overdue", "overdue", "problem_reasons", "int"),
    ("stale", "stale", "stale", "int"),
    ("idle", "idle", "problem_reasons", "int"),
    ("abnormal", "abnormal", "problem_reasons", "int"),
    ("slipped_before", "col_slipped_before", "slip_count", "int"),
]
LIST_COLUMNS = [
    ("opportunity_id", "opportunity_id", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("owner_name", "owner_name", None, "text"),
    ("team", "team", None, "text"),
    ("branch", "branch", None, "text"),
    ("class_name", "col_class", "opportunity_class", "text"),
    ("is_key", "is_key", "labels", "bool"),
    ("stage", "stage", None, "int"),
    ("annual_value", "annual_value", "value_at_risk", "wan"),
    ("expected_close_date", "expected_close_date", None, "date"),
    ("reasons", "col_reasons", "problem_reasons", "text"),
    ("stint_age_days", "col_stint_age", "open_stints", "int"),
    ("stale_threshold_days", "col_stale_days", "stale_days", "days"),
    ("slip_count", "slip_count", "slip_count", "int"),
]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)

st.title(t("page_problems"))
st.caption(f"{t('scope_caption')}: {viewer.scope.label} · {t('as_of')}: {as_of}")
freshness_caption(data.compute(calls.data_freshness, ctx))

st.caption(t("problems_open_only"))

problems = data.compute(calls.top_problem_opportunities, ctx)
if problems.empty:
    st.info(t("problems_none"))
    st.stop()

groups = data.compute(calls.problem_groups, ctx)
teams = groups[groups["level"] == "team"]
total = groups[groups["level"] == "total"].iloc[0]
cols = st.columns(4)
metric(cols[0], "problem_count", count(total["problem_count"]), "problem_count")
metric(cols[1], "problem_share", pct(total["problem_share"]), "problem_share")
metric(cols[2], "key_problem_count", count(total["key_problem_count"]), "labels")
metric(cols[3], "value_at_risk", wan(total["value_at_risk"]) + " " + t("wan_yuan"), "value_at_risk")
st.caption(
    t("problem_share_of").format(problems=count(total["problem_count"]), open=count(total["open_count"]))
)

by_owner, by_team, listing = st.tabs([t("problems_by_owner"), t("problems_by_team"), t("problems_list")])
with by_owner:
    owner_columns = [
        ("owner_name", "owner_name", None, "text"),
        ("team", "team", None, "text"),
        ("branch", "branch", None, "text"),
    ]
    show_table(groups[groups["level"] == "owner"], owner_columns + GROUP_COLUMNS, key="problems_owner")
with by_team:
    team_columns = [("team", "team", None, "text"), ("branch", "branch", None, "text")]
    show_table(teams, team_columns + GROUP_COLUMNS, key="problems_team")
with listing:
    st.caption(t("problems_list"))
    if int(total["problem_count"]) > len(problems):
        st.caption(t("problems_list_top").format(shown=len(problems), total=int(total["problem_count"])))
    problems["class_name"] = code_names(problems["opportunity_class"], "class")
    problems["reasons"] = flag_text(problems, REASON_KEYS)
    show_table(problems, LIST_COLUMNS, key="problems_list")
