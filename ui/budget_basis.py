"""What a budget figure is measured against, said in words next to it.

The budget is kept by branch x product only; when the viewer selected a team or
an account manager the figures are measured against their personal targets, or
against nothing (analytics.metrics.attainment.budget_basis).  A page shows the
basis beside the figure so nobody reads a team's revenue against the company
budget, and labels a target as a target.
"""

from __future__ import annotations

import math

import streamlit as st

from analytics.metrics.attainment import period_end
from ui.format import pct
from ui.i18n import t


def basis_of(row: dict) -> str:
    """The basis of an attainment or forecast row ('budget' when the row predates it)."""
    return row.get("budget_basis") or "budget"


def budget_label(row: dict) -> str:
    """The label key for the denominator: the annual budget, or the annual target."""
    return "att_target_annual" if basis_of(row) == "target" else "budget_annual"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def budget_basis_note(row: dict) -> None:
    """Say what the budget figures beside it are measured against, or why there is none."""
    basis, budget = basis_of(row), row.get("budget_annual")
    if basis == "none":
        st.warning(t("att_basis_none"))
    elif basis == "target" and (_missing(budget) or not budget):
        st.warning(t("att_no_targets"))
    elif basis == "target":
        st.caption(t("att_basis_target"))
    elif _missing(budget) or not budget:
        st.caption(t("no_budget"))


def headline_basis(row: dict, as_of) -> None:
    """One line under a budget headline: what attainment is compared with, and why not as_of.

    Revenue is loaded a month or more late, so the headline's time progress is
    counted to the end of the last loaded period (``period_progress``); the
    line names that period and the as_of figure beside it, so the two never
    read as a contradiction.
    """
    through, progress = row.get("data_through"), row.get("period_progress")
    if _missing(through) or _missing(progress):
        st.caption(t("att_no_revenue"))
        return
    end = period_end(int(through))
    st.caption(
        t("att_headline_basis").format(
            period=int(through),
            end=end.isoformat(),
            progress=pct(progress),
            as_of=as_of,
            as_of_progress=pct(row.get("time_progress")),
        )
    )
