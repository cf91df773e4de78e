"""商机管控 dashboard entry point: sign-in, shared chrome, and navigation.

Run with ``make run`` (or ``streamlit run app.py``).  Pages are thin: they read
their widgets, call ``ui.data.compute`` with an ``analytics`` function, and
render.  Navigation is declared on every run, signed in or not (ui/session.py
says why).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analytics import auth
from ui.i18n import language_selector, t
from ui.session import current_viewer, open_wanted_page, show_sign_in, sign_out_button

# (section label, who may see it, [(page file, title label)]); None = every signed-in viewer.
SECTIONS = [
    (
        "section_analysis",
        None,
        [
            ("pages/home.py", "page_home"),
            ("pages/weekly.py", "page_weekly"),
            ("pages/funnel.py", "page_funnel"),
            ("pages/durations.py", "page_durations"),
            ("pages/explorer.py", "page_explorer"),
            ("pages/problems.py", "page_problems"),
            ("pages/process.py", "page_process"),
            ("pages/attainment.py", "page_attainment"),
            ("pages/forecast.py", "page_forecast"),
            ("pages/calibration.py", "page_calibration"),
        ],
    ),
    (
        "wl_section",
        None,
        [
            ("pages/workload.py", "page_workload"),
            ("pages/team.py", "page_team"),
            ("pages/my_pipeline.py", "page_my_pipeline"),
        ],
    ),
    (
        "section_admin",
        auth.can_admin,
        [
            ("pages/users.py", "page_users"),
            ("pages/audit.py", "page_audit"),
            ("pages/subscriptions.py", "page_subscriptions"),
        ],
    ),
    (
        "section_data",
        auth.can_upload,
        [
            ("pages/upload.py", "page_upload"),
            ("pages/load_history.py", "page_load_history"),
        ],
    ),
]
PAGE_PATHS = [Path(file).stem for _, _, pages in SECTIONS for file, _ in pages]

st.set_page_config(page_title="商机管控", page_icon="📈", layout="wide")
language_selector()
viewer = current_viewer()
if viewer is None:
    st.session_state.pop("viewer", None)
    show_sign_in(PAGE_PATHS)
st.session_state["viewer"] = viewer
sign_out_button(viewer)

navigation_pages = {
    t(section): [st.Page(file, title=t(title), default=(file == "pages/home.py")) for file, title in pages]
    for section, allowed, pages in SECTIONS
    if allowed is None or allowed(viewer.role)
}
navigation = st.navigation(navigation_pages, expanded=True)  # every page listed: no "View more"
open_wanted_page([page for section in navigation_pages.values() for page in section])
navigation.run()
