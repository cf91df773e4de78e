"""导入记录 — who loaded what and when, what each load quarantined, and undo.

Undo names the later loads that depend on the chosen one (they are undone
first) and asks for confirmation; ``loader.undo`` does the work in one
transaction (the frozen weekly forecasts of the snapshots it loaded go with
them, and those they replaced come back) and records the undo in the history
and the audit log.  It is also the way back from a correction: loading the
older file again changes nothing (the upload report says so and names the
later load to undo).
"""

from __future__ import annotations

import streamlit as st

from analytics import auth, loader
from ui import data
from ui.admin_tables import history_table, kind_word
from ui.i18n import t
from ui.session import page_viewer
from ui.tables import show_table

viewer = page_viewer()
if not auth.can_upload(viewer.role):
    st.error(t("upload_no_right"))
    st.stop()

st.title(t("page_load_history"))
if message := st.session_state.pop("history_undone", None):
    st.success(f"{t('history_undone')} {message}")
history = loader.loads(data.engine())
if history.empty:
    st.info(t("history_empty"))
    st.stop()

show_table(history_table(history), key="history_table")


def describe(load_id: int) -> str:
    row = history[history["load_id"] == load_id].iloc[0]
    outcome = t(f"history_outcome_{row['outcome']}")
    return (
        f"#{load_id} {row['file_name']}（{kind_word(row['kind'])}，{outcome}，{str(row['loaded_at'])[:16]}）"
    )


st.subheader(t("history_detail"))
picked = st.selectbox(t("history_detail"), list(history["load_id"]), format_func=describe, key="history_pick")
for note in loader.notes(data.engine(), picked):
    st.warning(note)
quarantined = loader.quarantine_rows(data.engine(), picked)
if quarantined.empty:
    st.caption(t("history_no_quarantine"))
else:
    show_table(loader.quarantine_for_people(quarantined), key="history_quarantine")

st.subheader(t("history_undo"))
undoable = list(history.loc[history["outcome"] == "loaded", "load_id"])
if not undoable:
    st.caption(t("history_undo_none"))
    st.stop()
target = st.selectbox(t("history_undo_pick"), undoable, format_func=describe, key="history_undo_pick")
try:
    later = loader.undo_plan(data.engine(), target)
except loader.UndoRefused as refusal:
    st.error(str(refusal))
    st.stop()
if later:
    listed = [
        f"- #{d['load_id']} {d['file_name']}"
        f"（{kind_word(d['kind'])}，{d['loaded_by']}，{str(d['loaded_at'])[:16]}）"
        for d in later
    ]
    st.warning(t("history_undo_dependents") + "\n\n" + "\n".join(listed))
confirmed = st.checkbox(t("history_undo_confirm"), key=f"history_confirm_{target}")
if st.button(t("history_undo_button"), disabled=not confirmed, type="primary", key="history_undo_button"):
    try:
        undone = loader.undo(data.engine(), target, viewer.username, cascade=True)
        st.session_state["history_undone"] = "、".join(f"#{i}" for i in undone)
        st.rerun()
    except loader.UndoRefused as refusal:
        st.error(str(refusal))
