"""Sign-in before any page, and the signed-in viewer's scope.

The session token lives in Streamlit's per-browser session state; the
warehouse stores only its hash and expiry (analytics/auth.py).  The scope is
recomputed from the org data on every run, so a manager who moved team sees
the new team at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from analytics import auth
from analytics.scope import Scope
from ui import data
from ui.i18n import t

TOKEN_KEY = "auth_token"


@dataclass(frozen=True)
class Viewer:
    username: str
    role: str
    scope: Scope


def _sign_in_form() -> None:
    st.title(t("app_title"))
    with st.form("sign_in"):
        username = st.text_input(t("username"), key="sign_in_username")
        password = st.text_input(t("password"), type="password", key="sign_in_password")
        submitted = st.form_submit_button(t("sign_in"))
    if submitted:
        result = auth.authenticate(data.engine(), username.strip(), password, data.settings())
        if result.ok:
            st.session_state[TOKEN_KEY] = auth.create_session(
                data.engine(), username.strip(), data.settings()
            )
            st.rerun()
        st.error(t({"locked": "locked", "disabled": "disabled"}.get(result.reason, "bad_credentials")))


def oidc_configured() -> bool:
    """True when an OpenID Connect provider is set in secrets ([auth] section)."""
    try:
        return "auth" in st.secrets and bool(
            st.secrets["auth"].get("client_id")
            or any(isinstance(v, dict) for v in st.secrets["auth"].values())
        )
    except (FileNotFoundError, KeyError, AttributeError):
        return False


def _oidc_viewer() -> Viewer | None:
    """With OIDC, the provider proves who it is; the scope still comes from our org data."""
    if not st.user.get("is_logged_in", False):
        st.title(t("app_title"))
        st.button(t("sign_in_oidc"), on_click=st.login, key="oidc_login")
        st.stop()
    username = auth.normalise_username(str(st.user.get("email") or st.user.get("sub") or ""))
    if not auth.role_of(data.engine(), username):
        st.error(t("oidc_unknown_user"))
        st.button(t("sign_out"), on_click=st.logout, key="oidc_logout")
        st.stop()
    return Viewer(
        username,
        auth.role_of(data.engine(), username),
        auth.scope_for_user(data.engine(), username, data.settings()),
    )


def current_viewer() -> Viewer | None:
    """The signed-in viewer, or None when the session is missing or expired."""
    if oidc_configured():
        return _oidc_viewer()
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        return None
    username = auth.resolve_session(data.engine(), token)
    if username is None:
        st.session_state.pop(TOKEN_KEY, None)
        return None
    return Viewer(
        username,
        auth.role_of(data.engine(), username),
        auth.scope_for_user(data.engine(), username, data.settings()),
    )


def require_viewer() -> Viewer:
    """The viewer, or a sign-in form and a stop: no page renders without one."""
    if not auth.users_exist(data.engine()):
        st.error(t("no_users"))
        st.stop()
    viewer = current_viewer()
    if viewer is None:
        _sign_in_form()
        st.stop()
    return viewer


def sign_out_button(viewer: Viewer) -> None:
    """Sidebar: who is signed in, their scope, and a sign-out button."""
    st.sidebar.caption(f"{t('signed_in_as')}: **{viewer.username}** · {viewer.scope.label}")
    if oidc_configured():
        st.sidebar.button(t("sign_out"), on_click=st.logout, key="sign_out")
    elif st.sidebar.button(t("sign_out"), key="sign_out"):
        auth.revoke_session(data.engine(), st.session_state.pop(TOKEN_KEY, ""))
        st.rerun()
