"""审计日志 — sign-ins, uploads, exports and user changes (directors only)."""

from __future__ import annotations

import streamlit as st

from analytics import audit, auth
from ui import data
from ui.admin_tables import action_word, audit_table
from ui.i18n import t
from ui.session import page_viewer
from ui.tables import show_table

viewer = page_viewer()
if not auth.can_admin(viewer.role):
    st.error(t("no_scope"))
    st.stop()

st.title(t("page_audit"))
actions = list(audit.ACTIONS)
chosen = st.selectbox(
    t("audit_action"),
    [None, *actions],
    format_func=lambda a: t("all") if a is None else action_word(a),
    key="audit_action",
)
rows = audit.recent(data.engine(), limit=1000, action=chosen)
if rows.empty:
    st.info(t("audit_empty"))
else:
    show_table(audit_table(rows), key="audit_table")
