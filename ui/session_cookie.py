"""The sign-in cookie: a secure, HTTP-only session cookie, set by two small routes beside Streamlit.

A Streamlit script cannot set a cookie, and no script on the page should ever
read the session token (that is what HttpOnly is for).  So after a sign-in the
script hands the token to this module under a one-time code, kept in this
process's memory for ``HANDOFF_SECONDS`` (never in the database, never in a
URL); the page posts the code to ``SESSION_PATH``, whose answer sets the
cookie.  On a reload or in a new tab Streamlit reads the cookie back from the
WebSocket handshake (``st.context.cookies``) and resolves it like any session
token.  The warehouse keeps only the token's hash (analytics.auth.sessions),
so a sign-out revokes it for every tab at once; ``SIGNOUT_PATH`` also revokes
the token the browser's cookie holds and clears the cookie.

The routes are served by ``serve.py`` (``st.App`` with extra routes); under a
plain ``streamlit run app.py`` they are absent and the sign-in simply lasts as
long as the browser tab, as before.  This module has no Streamlit import at its
top: the server imports it before any script runs.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from urllib.parse import urlparse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

COOKIE_NAME = "sjgk_session"
SESSION_PATH = "/sjgk/session"
SIGNOUT_PATH = "/sjgk/signout"
HANDOFF_SECONDS = 60.0
_CODE_MAX = 128

_pending: dict[str, tuple[str, int, float]] = {}  # sha256(code) -> (token, max_age, deadline)
_lock = threading.Lock()


def _key(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def issue_handoff(token: str, max_age: int, now: float | None = None) -> str:
    """A one-time code the page exchanges for the cookie holding ``token`` (``max_age`` seconds)."""
    now = time.monotonic() if now is None else now
    code = secrets.token_urlsafe(24)
    with _lock:
        for key in [k for k, (_, _, deadline) in _pending.items() if deadline <= now]:
            del _pending[key]
        _pending[_key(code)] = (token, int(max_age), now + HANDOFF_SECONDS)
    return code


def handoff_pending(code: str | None, now: float | None = None) -> bool:
    """True while ``code`` can still be exchanged (so the page keeps the script that posts it)."""
    if not code:
        return False
    now = time.monotonic() if now is None else now
    with _lock:
        entry = _pending.get(_key(code))
    return entry is not None and entry[2] > now


def redeem_handoff(code: str, now: float | None = None) -> tuple[str, int] | None:
    """The token and cookie lifetime behind ``code``, once; None when unknown, used or expired."""
    if not code or len(code) > _CODE_MAX:
        return None
    now = time.monotonic() if now is None else now
    with _lock:
        entry = _pending.pop(_key(code), None)
    if entry is None or entry[2] <= now:
        return None
    return entry[0], entry[1]


def _same_origin(request: Request) -> bool:
    """A cookie-changing request must come from the dashboard's own pages (no cross-site forms)."""
    origin = request.headers.get("origin")
    if origin is None:
        return request.headers.get("sec-fetch-site", "same-origin") == "same-origin"
    return urlparse(origin).netloc == request.headers.get("host", "")


def _secure() -> bool:
    from analytics.settings import load_settings

    return bool(load_settings().session_cookie_secure)


async def session_route(request: Request) -> Response:
    """POST the one-time code: answer with the HTTP-only session cookie (204), else 403."""
    if not _same_origin(request):
        return Response(status_code=403)
    body = (await request.body())[: _CODE_MAX + 1].decode("utf-8", "replace").strip()
    redeemed = redeem_handoff(body)
    if redeemed is None:
        return Response(status_code=403)
    token, max_age = redeemed
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        COOKIE_NAME, token, max_age=max_age, path="/", secure=_secure(), httponly=True, samesite="strict"
    )
    return response


def _revoke(token: str) -> None:
    from analytics import auth
    from analytics.settings import load_settings
    from ui.data import engine_for

    auth.revoke_session(engine_for(load_settings().database_url), token)


async def signout_route(request: Request) -> Response:
    """POST: revoke the session the cookie holds (any tab's) and clear the cookie."""
    if not _same_origin(request):
        return Response(status_code=403)
    token = request.cookies.get(COOKIE_NAME)
    if token:
        await run_in_threadpool(_revoke, token)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE_NAME, path="/", secure=_secure(), httponly=True, samesite="strict")
    return response


def routes() -> list[Route]:
    """The two routes ``serve.py`` adds to Streamlit's server."""
    return [
        Route(SESSION_PATH, session_route, methods=["POST"]),
        Route(SIGNOUT_PATH, signout_route, methods=["POST"]),
    ]


def post_script(path: str, body: str = "") -> str:
    """The page's side: one same-origin POST (the code travels in the body, never in a URL)."""
    return (
        "<script>fetch(" + repr(path) + ", {method: 'POST', credentials: 'same-origin', "
        "headers: {'Content-Type': 'text/plain'}, body: " + repr(body) + "});</script>"
    )
