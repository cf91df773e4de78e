"""会议材料订阅 — directors manage who gets the meeting pack when (issue 18)."""

from __future__ import annotations

import streamlit as st

from analytics import auth
from ui import data
from ui.i18n import t
from ui.session import page_viewer
from ui.subscriptions_view import add_form, cron_hint, manage, show_list

viewer = page_viewer()
if not auth.can_admin(viewer.role):
    st.error(t("admin_only"))
    st.stop()

st.title(t("page_subscriptions"))
engine = data.engine()
frame = show_list(engine)
manage(engine, viewer, frame)
add_form(engine, viewer)
cron_hint()
