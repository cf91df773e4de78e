"""The team page's deal lists: key deals, problem deals, support requests waiting.

Support requests still open on deals already closed are not in the waiting
queue: they are shown apart as a data question (已关闭商机仍有未完成支撑).

Each list is a labelled table (``ui.funnel_widgets.show_table``: every column
with its definition as tooltip), or a sentence when it is empty.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.scope import split_team_key, team_key
from ui.funnel_widgets import code_names, flag_text
from ui.i18n import t
from ui.tables import show_table

REASONS = {"overdue": "overdue", "stale": "stale", "idle": "idle", "abnormal": "abnormal"}

KEY_COLUMNS = [
    ("opportunity_id", "opportunity_id", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("owner_name", "owner_name", None, "text"),
    ("stage", "stage", None, "int"),
    ("annual_value", "annual_value", None, "wan"),
    ("expected_close_date", "expected_close_date", None, "date"),
    ("p_win", "wl_p_win", "wl_p_win", "pct"),
    ("expected_value", "wl_expected_value", "wl_open_expected_value", "wan"),
    ("reasons", "wl_problem", "problem_reasons", "text"),
    ("support_open", "wl_support_open", "wl_support_open", "int"),
]
PROBLEM_COLUMNS = [
    ("opportunity_id", "opportunity_id", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("owner_name", "owner_name", None, "text"),
    ("is_key", "is_key", "labels", "bool"),
    ("stage", "stage", None, "int"),
    ("annual_value", "annual_value", None, "wan"),
    ("expected_close_date", "expected_close_date", None, "date"),
    ("reasons", "wl_problem", "problem_reasons", "text"),
    ("slip_count", "slip_count", "slip_count", "int"),
]
SUPPORT_COLUMNS = [
    ("request_id", "wl_request", None, "text"),
    ("type_name", "wl_request_type", None, "text"),
    ("requested_date", "wl_requested_date", None, "date"),
    ("waited_days", "wl_waited_days", "wl_waited_days", "int"),
    ("opportunity_id", "opportunity_id", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("owner_name", "owner_name", None, "text"),
    ("status_name", "wl_opportunity_status", None, "text"),
    ("is_key", "is_key", "labels", "bool"),
]


def team_choices(table: pd.DataFrame) -> list[str]:
    """The teams of the scorecard as ``branch/team`` keys: a name alone may be several teams."""
    pairs = table[["branch", "team"]].dropna(subset=["team"]).drop_duplicates()
    return sorted(team_key(branch, team) for branch, team in pairs.itertuples(index=False, name=None))


def members_of(table: pd.DataFrame, key: str) -> pd.DataFrame:
    """The scorecard rows of one team, matched on branch and name together."""
    branch, team = split_team_key(key)
    same_branch = table["branch"].isna() if branch is None else table["branch"] == branch
    return table[same_branch & (table["team"] == team)]


def _with_reasons(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(reasons=flag_text(frame, REASONS))


def show_key_deals(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info(t("wl_no_key_deals"))
    else:
        show_table(_with_reasons(frame), KEY_COLUMNS, key="wl_key_table")


def show_problem_deals(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info(t("wl_no_problem_deals"))
    else:
        show_table(_with_reasons(frame), PROBLEM_COLUMNS, key="wl_problem_table")


CLOSED_SUPPORT_COLUMNS = [
    ("request_id", "wl_request", None, "text"),
    ("type_name", "wl_request_type", None, "text"),
    ("requested_date", "wl_requested_date", None, "date"),
    ("waited_days", "wl_waited_days", "wl_waited_days", "int"),
    ("opportunity_id", "opportunity_id", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("owner_name", "owner_name", None, "text"),
    ("status_name", "wl_opportunity_status", None, "text"),
    ("closed_date", "col_closed_date", None, "date"),
    ("closed_days", "col_closed_days", "col_closed_days", "int"),
]


def show_support(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info(t("wl_no_support_waiting"))
    else:
        shown = frame.assign(
            type_name=code_names(frame["type"], "wl_support"),
            status_name=code_names(frame["status"], "status"),
        )
        show_table(shown, SUPPORT_COLUMNS, key="wl_support_table")


def show_support_on_closed(frame: pd.DataFrame) -> None:
    """Requests still open on closed deals: a data question, apart from the waiting queue."""
    if frame.empty:
        st.caption(t("support_on_closed_none"))
        return
    st.warning(t("support_on_closed_note"))
    shown = frame.assign(
        type_name=code_names(frame["type"], "wl_support"),
        status_name=code_names(frame["status"], "status"),
    )
    show_table(shown, CLOSED_SUPPORT_COLUMNS, key="support_on_closed_table")
