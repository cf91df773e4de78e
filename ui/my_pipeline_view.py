"""The 我的商机 page's blocks: the manager's figures, the mining plan, the book.

Every figure is a metric with its definition as tooltip; the plan says in
words when it cannot be computed (no target, no rate) or when new
opportunities would come too late for this year.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.format import count, pct, wan
from ui.funnel_widgets import code_names, flag_text
from ui.i18n import t
from ui.opportunity_story import REASON_KEYS
from ui.tables import show_table
from ui.widgets import metric

BOOK_COLUMNS = [
    ("customer_name", "wl_customer", None, "text"),
    ("industry", "industry", None, "text"),
    ("opportunities", "wl_opportunities", None, "int"),
    ("won_count", "wl_won_count", None, "int"),
    ("won_value", "wl_won_value", None, "wan"),
    ("last_won_date", "wl_last_won_date", None, "date"),
    ("last_closed_date", "wl_last_closed_date", None, "date"),
    ("last_activity_date", "wl_last_activity_date", None, "date"),
]


DEAL_COLUMNS = [
    ("opportunity_id", "opportunity_id", None, "text"),
    ("name", "name", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("status_name", "explorer_status", None, "text"),
    ("is_key", "is_key", "labels", "bool"),
    ("reasons", "col_reasons", "problem_reasons", "text"),
    ("stage", "stage", None, "int"),
    ("annual_value", "annual_value", None, "wan"),
    ("expected_close_date", "expected_close_date", None, "date"),
    ("stint_age_days", "col_stint_age", "open_stints", "int"),
    ("last_activity_date", "wl_last_activity_date", None, "date"),
]


def show_figures(person: dict) -> None:
    """Target, won to date, open pipeline and its expected value, coverage."""
    first = st.columns(4)
    metric(first[0], "wl_target", wan(person["target"]), "wl_target")
    metric(first[1], "wl_won_value_ytd", wan(person["won_value_ytd"]), "wl_won_value_ytd")
    metric(first[2], "wl_target_attainment", pct(person["target_attainment"]), "wl_target_attainment")
    metric(first[3], "wl_remaining_target", wan(person["remaining_target"]), "wl_remaining_target")
    second = st.columns(5)
    metric(second[0], "wl_open_count", count(person["open_count"]), "wl_open_count")
    metric(second[1], "wl_open_value", wan(person["open_value"]), "wl_open_value")
    metric(second[2], "wl_open_expected_value", wan(person["open_expected_value"]), "wl_open_expected_value")
    metric(second[3], "wl_pipeline_expected", wan(person["pipeline_expected"]), "wl_pipeline_expected")
    covered = person["coverage"]
    shown = t("wl_target_met") if person["remaining_target"] == 0 else pct(covered)
    metric(second[4], "wl_coverage", shown, "wl_coverage")


def show_plan(person: dict, plan: dict) -> None:
    """Coverage gap, new opportunities needed, and what they were computed from."""
    cols = st.columns(4)
    metric(cols[0], "wl_coverage_gap", wan(plan["coverage_gap"]), "wl_coverage_gap")
    metric(cols[1], "wl_new_needed", count(plan["new_opportunities_needed"]), "wl_new_needed")
    metric(cols[2], "wl_win_rate_adjusted", pct(person["win_rate_adjusted"]), "wl_win_rate_adjusted")
    metric(cols[3], "wl_deal_size", wan(plan["deal_size"]), "wl_deal_size")
    st.caption(
        f"{t('wl_win_rate_low')} {pct(person['win_rate_low'])} · {t('wl_win_rate_high')} "
        f"{pct(person['win_rate_high'])} · {t('wl_closed_count')} {count(person['closed_count'])}"
    )
    if plan["coverage_gap"] is None:
        st.info(t("wl_plan_no_target"))
    elif plan["new_opportunities_needed"] is None:
        st.info(t("wl_plan_no_rate"))
    if plan["deal_size_source"] == "team":
        st.caption(t("wl_deal_size_team"))
    if plan["closes_this_year"] is False and plan["new_opportunities_needed"]:
        st.warning(t("wl_plan_late").format(cycle=plan["cycle_days"], days=plan["days_left"]))


def show_book(book: pd.DataFrame) -> None:
    if book.empty:
        st.info(t("wl_book_empty"))
    else:
        show_table(book, BOOK_COLUMNS, key="wl_book_table")


def show_deals(deals: pd.DataFrame) -> None:
    """The manager's deals, key first then by value, each with its problem reasons."""
    if deals.empty:
        st.info(t("my_deals_none"))
        return
    shown = deals.assign(
        status_name=code_names(deals["status"], "status"), reasons=flag_text(deals, REASON_KEYS)
    )
    show_table(shown, DEAL_COLUMNS, key="my_deals_table")
