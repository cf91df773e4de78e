"""The served dashboard: ``app.py`` on Streamlit's own server, plus the sign-in cookie routes.

``streamlit run serve.py`` (what ``make run`` does) finds ``app`` below and
serves ``app.py`` exactly as ``streamlit run app.py`` would, with the two
routes of :mod:`ui.session_cookie` that turn a sign-in into a secure,
HTTP-only cookie, so a reload or a new tab stays signed in.
"""

from __future__ import annotations

import streamlit as st

from ui.session_cookie import routes

app = st.App("app.py", routes=routes())
