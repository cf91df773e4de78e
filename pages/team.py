"""团队 — a line manager's team: members side by side, key and problem deals, support waiting.

The members' figures are the 客户经理 scorecard of the team picked (the team as
an extra filter: the picker needs the teams, not every manager's row, which
for a director at 1 M are 15,000); the deal lists follow the viewer's scope
with the team as an extra filter too, so a team manager sees exactly their
team and a director picks one (by branch/team: team names repeat across
branches).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analytics.pages import PAGE_CALLS
from ui import data
from ui.filters import sidebar_filters
from ui.i18n import h, t
from ui.session import page_viewer
from ui.tables import show_table
from ui.team_view import (
    members_of,
    show_key_deals,
    show_problem_deals,
    show_support,
    show_support_on_closed,
    team_choices,
)
from ui.workload_view import page_header, transposed

calls = PAGE_CALLS["team"]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)
page_header("page_team", viewer.scope.label, ctx, data.compute(calls.data_freshness, ctx))

teams = team_choices(data.compute(calls.workload_teams, ctx))
if not teams:
    st.info(t("wl_empty"))
    st.stop()
team = st.selectbox(t("wl_choose_team"), teams, key="wl_team_choice")
team_ctx = data.make_context(viewer.scope, replace(filters, teams=(team,)), as_of)

st.subheader(t("wl_members"))
members = transposed(members_of(data.compute(calls.workload, team_ctx), team))
show_table(members, key="wl_members", height=36 * (len(members) + 1) + 4)

st.subheader(t("wl_key_deals"))
show_key_deals(data.compute(calls.team_key_deals, team_ctx))

st.subheader(t("wl_problem_deals"))
show_problem_deals(data.compute(calls.top_problem_opportunities, team_ctx))

st.subheader(t("wl_support_waiting"))
show_support(data.compute(calls.support_waiting, team_ctx))

st.subheader(t("support_on_closed"), help=h("support_on_closed"))
show_support_on_closed(data.compute(calls.support_on_closed_deals, team_ctx))
