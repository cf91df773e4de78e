"""The funnel page's breakdown (table + heatmap) and its drill-down to the opportunities.

Clicking a funnel bar or a heatmap cell fills the two selectors (stage,
segment) through callbacks; the selectors also work on their own, which is
what tests and keyboard users use.  The list behind a choice comes from
``analytics.metrics.funnel.funnel_opportunities``; one click more opens an
opportunity's story on the explorer page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.blocks.stages import FUNNEL_STAGES
from analytics.context import Context
from analytics.metrics.funnel import WON, funnel_opportunities
from ui import data
from ui.charts_funnel import conversion_heatmap
from ui.funnel_widgets import bound, code_names, segment_names, stage_name
from ui.i18n import t
from ui.tables import Column, Verbatim, show_table

DRILL_STAGES = (*FUNNEL_STAGES, WON)
ALL = "__all__"
LIST_COLUMNS: list[Column] = [
    ("opportunity_id", "opportunity_id", None, "text"),
    ("name", "name", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("owner_name", "owner_name", None, "text"),
    ("status_name", "col_status", None, "text"),
    ("max_stage", "col_max_stage", "max_stage", "int"),
    ("annual_value", "annual_value", None, "wan"),
    ("created_date", "col_created_date", None, "date"),
]


def step_name(stage) -> str:
    """A funnel step: from stage k to k+1 (the last: to won)."""
    following = t("stage_won") if stage == FUNNEL_STAGES[-1] else stage_name(stage + 1)
    return f"{stage}→{following.split(' ')[0]}"


def breakdown_cells(breakdown: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One dimension's rows, with segment names for display."""
    cells = breakdown[breakdown["dimension"] == dimension].copy()
    cells["segment_name"] = segment_names(dimension, cells["segment"])
    return cells


def breakdown_table(cells: pd.DataFrame, key: str) -> None:
    """One row per segment: cohort, won, win rates and the conversion of every step."""
    wide = cells.pivot(index="segment_name", columns="stage", values="conversion")
    wide.columns = [f"step_{stage}" for stage in wide.columns]
    totals = cells.drop_duplicates("segment_name").set_index("segment_name")
    table = totals[["cohort", "won", "win_rate_cohort", "win_rate_closed"]].join(wide).reset_index()
    columns: list[Column] = [
        ("segment_name", "col_segment", None, "text"),
        ("cohort", "col_cohort", "cohort", "int"),
        ("won", "col_won", "won", "int"),
        ("win_rate_cohort", "col_win_rate_cohort", "win_rate_cohort", "pct"),
        ("win_rate_closed", "col_win_rate_closed", "win_rate_closed", "pct"),
    ]
    columns += [
        (f"step_{stage}", Verbatim(f"{t('col_conversion')} {step_name(stage)}"), "conversion", "pct")
        for stage in FUNNEL_STAGES
    ]
    show_table(table.sort_values("cohort", ascending=False), columns, key=key)


def heatmap(cells: pd.DataFrame, dimension: str) -> None:
    """The heatmap of one dimension; a click fills the drill-down selectors."""
    segments = cells.drop_duplicates("segment_name").sort_values("cohort", ascending=False)
    names = segments["segment_name"].tolist()
    raw = dict(zip(names, segments["segment"], strict=True))
    steps = [step_name(stage) for stage in FUNNEL_STAGES]

    def on_click() -> None:
        points = st.session_state["funnel_heatmap"].selection.get("points", [])
        if points and points[0].get("y") in raw and points[0].get("x") in steps:
            st.session_state["drill_stage"] = FUNNEL_STAGES[steps.index(points[0]["x"])]
            st.session_state[f"drill_segment_{dimension}"] = raw[points[0]["y"]]

    st.plotly_chart(
        conversion_heatmap(cells, names, steps, t("funnel_heatmap")),
        key="funnel_heatmap",
        on_select=on_click,
        selection_mode="points",
    )


def drill_down(ctx: Context, dimension: str, segments: list) -> None:
    """Selectors (stage, segment) and the opportunities behind the choice."""
    st.subheader(t("funnel_drill"))
    st.caption(t("funnel_drill_hint"))
    left, right = st.columns(2)
    stage = left.selectbox(
        t("funnel_drill_stage"),
        [None, *DRILL_STAGES],
        format_func=lambda s: t("choose") if s is None else stage_name(s),
        key="drill_stage",
    )
    segment = right.selectbox(
        t("funnel_drill_segment") + f" · {t('dim_' + dimension)}",
        [ALL, *segments],
        format_func=lambda s: t("all") if s == ALL else segment_names(dimension, pd.Series([s])).iloc[0],
        key=f"drill_segment_{dimension}",
    )
    if stage is None:
        return
    params = (
        {"stage": stage} if segment == ALL else {"stage": stage, "dimension": dimension, "segment": segment}
    )
    rows = data.compute(bound(funnel_opportunities, **params), ctx)
    st.caption(t("funnel_drill_count").format(n=f"{len(rows):,}"))
    if rows.empty:
        return
    rows["status_name"] = code_names(rows["status"], "status")
    show_table(rows, LIST_COLUMNS, key="drill_list")
    chosen = st.selectbox(t("funnel_open_story"), rows["opportunity_id"].tolist(), key="drill_open")
    st.page_link("pages/explorer.py", label=t("funnel_open_link"), query_params={"opportunity": chosen})
