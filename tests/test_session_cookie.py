"""The sign-in cookie routes (ui/session_cookie.py): one-time codes, cookie flags, same-origin only."""

from __future__ import annotations

import asyncio
import concurrent.futures

from starlette.requests import Request

from ui import session_cookie as sc


def call(route, body: bytes = b"", origin: str | None = "http://dash.local", cookie: str | None = None):
    headers = [(b"host", b"dash.local")]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if cookie is not None:
        headers.append((b"cookie", f"{sc.COOKIE_NAME}={cookie}".encode()))
    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers, "query_string": b""}

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    # In a thread of its own: another test (Playwright's sync API) may have left a loop running here.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, route(Request(scope, receive))).result()


def test_a_code_sets_the_http_only_cookie_once():
    code = sc.issue_handoff("the-token", 8 * 3600)
    assert sc.handoff_pending(code)
    response = call(sc.session_route, code.encode())
    assert response.status_code == 204
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{sc.COOKIE_NAME}=the-token;")
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie
    assert "Max-Age=28800" in cookie and "Path=/" in cookie
    assert not sc.handoff_pending(code)
    assert call(sc.session_route, code.encode()).status_code == 403  # used


def test_unknown_expired_or_cross_site_codes_are_refused():
    assert call(sc.session_route, b"guessed").status_code == 403
    code = sc.issue_handoff("t", 60, now=0.0)
    assert sc.redeem_handoff(code, now=sc.HANDOFF_SECONDS + 1) is None
    code = sc.issue_handoff("t", 60)
    assert call(sc.session_route, code.encode(), origin="http://evil.example").status_code == 403
    assert "set-cookie" not in call(sc.session_route, code.encode(), origin="http://evil.example").headers


def test_sign_out_clears_the_cookie_and_only_from_the_same_site(monkeypatch):
    revoked = []
    monkeypatch.setattr(sc, "_revoke", revoked.append)
    assert call(sc.signout_route, cookie="tok", origin="http://evil.example").status_code == 403
    assert revoked == []
    response = call(sc.signout_route, cookie="tok")
    assert response.status_code == 204 and revoked == ["tok"]
    assert "Max-Age=0" in response.headers["set-cookie"]


def test_the_page_script_never_puts_the_code_in_a_url():
    script = sc.post_script(sc.SESSION_PATH, "abc")
    assert "'/sjgk/session'" in script and "body: 'abc'" in script and "?" not in script
