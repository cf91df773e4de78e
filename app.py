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
pages[t("section_analysis")] += [
    st.Page("pages/funnel.py", title=t("page_funnel")),
    st.Page("pages/durations.py", title=t("page_durations")),
    st.Page("pages/explorer.py", title=t("page_explorer")),
    st.Page("pages/problems.py", title=t("page_problems")),
    st.Page("pages/process.py", title=t("page_process")),
    st.Page("pages/attainment.py", title=t("page_attainment")),
    st.Page("pages/forecast.py", title=t("page_forecast")),
    st.Page("pages/calibration.py", title=t("page_calibration")),
]
pages[t("wl_section")] = [
    st.Page("pages/workload.py", title=t("page_workload")),
    st.Page("pages/team.py", title=t("page_team")),
    st.Page("pages/my_pipeline.py", title=t("page_my_pipeline")),
]
if auth.can_admin(viewer.role):
    pages[t("section_admin")] = [
        st.Page("pages/users.py", title=t("page_users")),
        st.Page("pages/audit.py", title=t("page_audit")),
    ]
if auth.can_upload(viewer.role):
    pages[t("section_data")] = [
        st.Page("pages/upload.py", title=t("page_upload")),
        st.Page("pages/load_history.py", title=t("page_load_history")),
    ]
st.navigation(pages).run()
