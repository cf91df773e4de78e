"""Sign-in before any page, and the signed-in viewer's scope.

The session token lives in Streamlit's per-browser-tab session state and, so
that a reload or a new tab stays signed in, in a secure HTTP-only cookie
(ui/session_cookie.py: set by a small route after sign-in, read back from the
WebSocket handshake); the warehouse stores only its hash and expiry
(analytics/auth/), and every run resolves it again, so a sign-out in one tab
signs the others out on their next action.  The scope is recomputed from the
org data on every run, so a manager who moved team sees the new team at once.

``st.navigation`` is called on every run, signed in or not: a run that stopped
before it would make Streamlit fall back to running ``pages/*.py`` directly
from the URL, without the sign-in.  A page asked for by URL before signing in
(e.g. ``/explorer?opportunity=…``) is remembered and opened after sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

import streamlit as st

from analytics import auth
from analytics.scope import Scope
from ui import data, session_cookie
from ui.i18n import t

TOKEN_KEY = "auth_token"
HANDOFF_KEY = "auth_cookie_handoff"
CLEAR_COOKIE_KEY = "auth_cookie_clear"
WANTED_KEY = "wanted_page"
SIGN_IN_PATH = "signin"


@dataclass(frozen=True)
class Viewer:
    username: str
    role: str
    scope: Scope


def oidc_configured() -> bool:
    """True when an OpenID Connect provider is set in secrets ([auth] section)."""
    try:
        return "auth" in st.secrets and bool(
            st.secrets["auth"].get("client_id")
            or any(isinstance(v, dict) for v in st.secrets["auth"].values())
        )
    except (FileNotFoundError, KeyError, AttributeError):
        return False


def _viewer_for(username: str) -> Viewer | None:
    role = auth.role_of(data.engine(), username)
    if not role:
        return None
    return Viewer(username, role, auth.scope_for_user(data.engine(), username, data.settings()))


def _oidc_username() -> str | None:
    if not st.user.get("is_logged_in", False):
        return None
    return auth.normalise_username(str(st.user.get("email") or st.user.get("sub") or ""))


def current_viewer() -> Viewer | None:
    """The signed-in viewer, or None (no users, no session, expired, or unknown)."""
    if not auth.users_exist(data.engine()):
        return None
    if oidc_configured():
        username = _oidc_username()
        return _viewer_for(username) if username else None
    token = st.session_state.get(TOKEN_KEY) or _cookie_token()
    username = auth.resolve_session(data.engine(), token) if token else None
    if username is None:
        st.session_state.pop(TOKEN_KEY, None)
        return None
    st.session_state[TOKEN_KEY] = token
    return _viewer_for(username)


def _cookie_token() -> str | None:
    """The session cookie this tab's connection brought, unless this tab signed out since.

    ``st.context.cookies`` is what the browser sent when the tab connected; after
    a sign-out here it still holds the old (now revoked) token, which is refused
    anyway, but it is not even tried.
    """
    if st.session_state.get(CLEAR_COOKIE_KEY):
        return None
    return st.context.cookies.get(session_cookie.COOKIE_NAME) or None


def _password_form() -> None:
    with st.form("sign_in"):
        username = st.text_input(t("username"), key="sign_in_username")
        password = st.text_input(t("password"), type="password", key="sign_in_password")
        submitted = st.form_submit_button(t("sign_in"))
    if submitted:
        result = auth.authenticate(data.engine(), username.strip(), password, data.settings())
        if result.ok:
            token = auth.create_session(data.engine(), username.strip(), data.settings())
            st.session_state[TOKEN_KEY] = token
            st.session_state.pop(CLEAR_COOKIE_KEY, None)
            max_age = int(float(data.settings().session_hours) * 3600)
            st.session_state[HANDOFF_KEY] = session_cookie.issue_handoff(token, max_age)
            st.rerun()
        st.error(t({"locked": "locked", "disabled": "disabled"}.get(result.reason, "bad_credentials")))


def sync_cookie() -> None:
    """Send the browser what its cookie should become: the new session's, or none after sign-out.

    The script that posts the one-time code stays on the page until the route
    has taken it (or it expired), so a rerun in between does not lose it.
    """
    code = st.session_state.get(HANDOFF_KEY)
    if session_cookie.handoff_pending(code):
        st.sidebar.html(
            session_cookie.post_script(session_cookie.SESSION_PATH, code), unsafe_allow_javascript=True
        )
    elif code:
        st.session_state.pop(HANDOFF_KEY, None)
    if st.session_state.get(CLEAR_COOKIE_KEY) and TOKEN_KEY not in st.session_state:
        st.sidebar.html(session_cookie.post_script(session_cookie.SIGNOUT_PATH), unsafe_allow_javascript=True)


def sign_in_page() -> None:
    """The only page a visitor without a valid session can reach."""
    sync_cookie()
    st.title(t("app_title"))
    if not auth.users_exist(data.engine()):
        st.error(t("no_users"))
    elif oidc_configured():
        if _oidc_username():
            st.error(t("oidc_unknown_user"))
            st.button(t("sign_out"), on_click=st.logout, key="oidc_logout")
        else:
            st.button(t("sign_in_oidc"), on_click=st.login, key="oidc_login")
    else:
        _password_form()


def remember_wanted_page() -> None:
    """Keep the page and query asked for by URL, to open it after sign-in."""
    path = urlparse(st.context.url or "").path.strip("/").split("/")[-1]
    if path and path != SIGN_IN_PATH and WANTED_KEY not in st.session_state:
        st.session_state[WANTED_KEY] = {"path": path, "query": st.query_params.to_dict()}


def show_sign_in(page_paths: list[str]) -> None:
    """Run the sign-in under every page's address (so a deep link finds a page), then stop."""
    remember_wanted_page()
    pages = [st.Page(sign_in_page, title=t("page_sign_in"), url_path=SIGN_IN_PATH, default=True)]
    pages += [st.Page(sign_in_page, title=t("page_sign_in"), url_path=path) for path in page_paths]
    st.navigation(pages, position="hidden").run()
    st.stop()


def open_wanted_page(pages: list) -> None:
    """After sign-in, go to the page first asked for (if it is one this viewer has)."""
    wanted = st.session_state.pop(WANTED_KEY, None)
    if not wanted:
        return
    for page in pages:
        if page.url_path == wanted["path"]:
            st.switch_page(page, query_params=wanted["query"])


def sign_out_button(viewer: Viewer) -> None:
    """Sidebar: who is signed in, their scope, and a sign-out button."""
    st.sidebar.caption(f"{t('signed_in_as')}: **{viewer.username}** · {viewer.scope.label}")
    if oidc_configured():
        st.sidebar.button(t("sign_out"), on_click=st.logout, key="sign_out")
    elif st.sidebar.button(t("sign_out"), key="sign_out"):
        auth.revoke_session(data.engine(), st.session_state.pop(TOKEN_KEY, ""))
        st.session_state.pop(HANDOFF_KEY, None)
        st.session_state[CLEAR_COOKIE_KEY] = True  # the sign-in page clears the browser's cookie
        st.rerun()
    sync_cookie()


def page_viewer() -> Viewer:
    """The viewer, for a page; a page reached without the app's gate goes through it.

    Streamlit runs ``pages/*.py`` directly when a fresh server's first visitor
    asks for one by URL, before ``app.py`` has declared its navigation; such a
    run is sent to the entry point, which signs the visitor in first.
    """
    viewer = st.session_state.get("viewer")
    if viewer is None:
        remember_wanted_page()
        st.switch_page("app.py")
    return viewer
