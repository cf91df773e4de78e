"""One opportunity's story (商机故事): its head, stage changes, activities, support, contract, revenue.

The analytics function returns None for an id outside the viewer's scope (or
unknown): the story then says so plainly and shows nothing else.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.context import Context
from analytics.exports import LABEL_KEYS, REASON_KEYS
from analytics.metrics.explorer import opportunity_story
from analytics.scope import team_key
from ui import data
from ui.charts_funnel import story_stage_figure
from ui.format import count, wan
from ui.funnel_widgets import bound, code_names, flag_text, stage_name
from ui.i18n import h, t
from ui.tables import Column, show_table

STORY_STAGES = range(6)  # 0 … 5: a won deal may move on to implementation

PARTS: dict[str, list[Column]] = {
    "snapshots": [
        ("snapshot_date", "col_snapshot", None, "date"),
        ("stage", "col_stage", None, "int"),
        ("status_name", "col_status", None, "text"),
        ("annual_value", "annual_value", None, "wan"),
        ("expected_close_date", "expected_close_date", "slip_count", "date"),
    ],
    "activities": [
        ("activity_date", "col_date", None, "date"),
        ("type_name", "col_type", None, "text"),
        ("staff_name", "col_staff", None, "text"),
    ],
    "support": [
        ("request_id", "col_request", None, "text"),
        ("type_name", "col_type", None, "text"),
        ("requested_date", "col_requested", None, "date"),
        ("resolved_date", "col_resolved", None, "date"),
        ("still_open", "col_still_open", None, "bool"),
    ],
    "contracts": [
        ("contract_id", "col_contract", None, "text"),
        ("signed_date", "col_signed", None, "date"),
        ("product", "product", None, "text"),
        ("amount", "col_amount", None, "wan"),
        ("term_months", "col_term", None, "int"),
    ],
    "revenue": [
        ("period", "col_period", None, "text"),
        ("fee_item", "col_fee_item", None, "text"),
        ("amount", "col_amount", None, "wan"),
    ],
}


def render_story(ctx: Context, opportunity_id: str) -> bool:
    """Draw the story; False (after a plain message) when not found or not in scope."""
    story = data.compute(bound(opportunity_story, opportunity_id=opportunity_id), ctx)
    if story is None:
        st.warning(t("story_not_found"))
        return False
    head = story["opportunity"]
    st.subheader(f"{t('story_title')} · {head['opportunity_id']} {head['name'] or ''}")
    _head(head)
    _stages(story["stages"])
    story["snapshots"]["status_name"] = code_names(story["snapshots"]["status"], "status")
    for part, prefix in (("activities", "activity"), ("support", "support")):
        story[part]["type_name"] = code_names(story[part]["type"], prefix)  # visit → 拜访
    for part, columns in PARTS.items():
        st.markdown(f"**{t('story_' + part)}**")
        if story[part].empty:
            st.caption(t("story_nothing"))
        else:
            show_table(story[part], columns, key=f"story_{part}")
    return True


def _head(head: dict) -> None:
    frame = pd.DataFrame([head])
    st.caption(
        f"{t('customer_name')}: {head['customer_name']} · {t('owner_name')}: {head['owner_name']}"
        f" · {t('team')}: {team_key(head.get('branch'), head['team']) if head['team'] else '—'}"
        f" · {t('product')}: {head['product']}"
        f" · {t('col_created_date')}: {head['created_date']}"
    )
    cols = st.columns(3)
    cols[0].metric(t("annual_value"), wan(head["annual_value"]))
    cols[1].metric(t("col_status"), t(f"status_{head['status']}"))
    cols[2].metric(t("col_max_stage"), stage_name(head["max_stage"]), help=h("max_stage"))
    cols = st.columns(3)
    cols[0].metric(t("col_class"), t(f"class_{head['opportunity_class']}"), help=h("opportunity_class"))
    cols[1].metric(t("col_labels"), flag_text(frame, LABEL_KEYS).iloc[0] or "—", help=h("labels"))
    cols[2].metric(t("col_reasons"), flag_text(frame, REASON_KEYS).iloc[0] or "—", help=h("problem_reasons"))
    st.caption(
        f"{t('stage')}: {stage_name(head['stage'])}"
        f" · {t('expected_close_date')}: {head['expected_close_date']}"
        f" · {t('slip_count')}: {count(head['slip_count'])}"
    )


def _stages(stages: pd.DataFrame) -> None:
    st.markdown(f"**{t('story_stages')}**")
    if stages.empty:
        st.caption(t("story_nothing"))
        return
    names = {k: stage_name(k) for k in STORY_STAGES}
    st.plotly_chart(story_stage_figure(stages, names, t("story_stage_chart")), key="story_stage_chart")
    before = stages["from_stage"].astype("Int64").astype("string").fillna("—")
    after = (
        stages["to_stage"].astype("Int64").astype("string").fillna(code_names(stages["to_status"], "status"))
    )
    shown = stages.assign(change=before + " → " + after)
    show_table(
        shown,
        [("changed_date", "col_date", None, "date"), ("change", "col_change", None, "text")],
        "story_changes",
    )
