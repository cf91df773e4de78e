"""商机管控 dashboard entry point: sign-in, shared chrome, and navigation.

Run with ``make run`` (or ``streamlit run app.py``).  Pages are thin: they read
their widgets, call ``ui.data.compute`` with an ``analytics`` function, and
render.
"""

from __future__ import annotations

import streamlit as st

from analytics import auth
from ui.i18n import language_selector, t
from ui.session import require_viewer, sign_out_button

st.set_page_config(page_title="商机管控", page_icon="📈", layout="wide")
language_selector()
viewer = require_viewer()
st.session_state["viewer"] = viewer
sign_out_button(viewer)

pages = {t("section_analysis"): [st.Page("pages/home.py", title=t("page_home"), default=True)]}
if auth.can_admin(viewer.role):
    pages[t("section_admin")] = [
        st.Page("pages/users.py", title=t("page_users")),
        st.Page("pages/audit.py", title=t("page_audit")),
    ]
st.navigation(pages).run()
