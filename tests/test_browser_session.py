"""The sign-in survives a reload and a new tab; filters survive a page change; sign-out reaches every tab.

Served as `make run` serves it (serve.py: app.py plus the sign-in cookie
routes), in Debian's headless Chromium through Playwright.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import DEMO_PASSWORD
from tests.test_browser import (  # noqa: F401  (fixtures used by name)
    ARTIFACTS,
    browser_context_args,
    browser_type_launch_args,
    served_app,
    sign_in,
)
from ui.session_cookie import COOKIE_NAME

pytestmark = pytest.mark.browser
TIMEOUT = 60_000


def signed_in_as(page: Page, username: str):
    return page.get_by_test_id("stSidebar").get_by_text(f"当前用户: {username}", exact=False)


def sign_in_form(page: Page):
    return page.get_by_label("用户名")


def wait_for_cookie(context: BrowserContext, seconds: float = 20) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        cookies = [c for c in context.cookies() if c["name"] == COOKIE_NAME]
        if cookies:
            return cookies[0]
        time.sleep(0.2)
    raise AssertionError("the session cookie was never set")


def test_sign_in_survives_reload_and_a_new_tab(page: Page, context: BrowserContext, served_app: str):  # noqa: F811
    sign_in(page, served_app, "director")
    expect(signed_in_as(page, "director")).to_be_visible(timeout=TIMEOUT)
    cookie = wait_for_cookie(context)
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert cookie["value"] not in page.url and DEMO_PASSWORD not in cookie["value"]
    assert page.evaluate("document.cookie").find(COOKIE_NAME) < 0  # no script can read it
    page.reload()
    expect(signed_in_as(page, "director")).to_be_visible(timeout=TIMEOUT)
    expect(sign_in_form(page)).to_have_count(0)
    other = context.new_page()
    other.goto(served_app)
    expect(signed_in_as(other, "director")).to_be_visible(timeout=TIMEOUT)
    assert cookie["value"] not in other.url


def test_branch_filter_survives_a_page_change(page: Page, served_app: str):  # noqa: F811
    sign_in(page, served_app, "director")
    expect(signed_in_as(page, "director")).to_be_visible(timeout=TIMEOUT)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stMultiSelect").filter(has_text="分局").click()
    page.get_by_role("option", name="浦东").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**branch=*", timeout=TIMEOUT)
    sidebar.get_by_role("link", name="问题商机").click()
    page.wait_for_url("**/problems*", timeout=TIMEOUT)
    branch = sidebar.get_by_test_id("stMultiSelect").filter(has_text="分局")
    expect(branch).to_contain_text("浦东", timeout=TIMEOUT)
    page.wait_for_url("**branch=*", timeout=TIMEOUT)  # back in the URL: the view can be shared
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "problems_filtered_after_page_change.png"))


def test_sign_out_in_one_tab_signs_out_the_other(page: Page, context: BrowserContext, served_app: str):  # noqa: F811
    sign_in(page, served_app, "branch_head")
    expect(signed_in_as(page, "branch_head")).to_be_visible(timeout=TIMEOUT)
    wait_for_cookie(context)
    other = context.new_page()
    other.goto(served_app)
    expect(signed_in_as(other, "branch_head")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("stSidebar").get_by_role("button", name="退出登录").click()
    expect(sign_in_form(page)).to_be_visible(timeout=TIMEOUT)
    # The other tab's next action finds its session revoked.
    other.get_by_test_id("stSidebar").get_by_role("link", name="问题商机").click()
    expect(sign_in_form(other)).to_be_visible(timeout=TIMEOUT)
    expect(other.locator('[data-testid="stMetric"]')).to_have_count(0)
    # The cookie is gone too: a reload stays signed out.
    deadline = time.monotonic() + 20
    while any(c["name"] == COOKIE_NAME for c in context.cookies()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(c["name"] == COOKIE_NAME for c in context.cookies())
    page.reload()
    expect(sign_in_form(page)).to_be_visible(timeout=TIMEOUT)


@pytest.mark.parametrize(
    "username", ["director", "branch_head", "team_manager", "account_manager", "analyst"]
)
def test_every_role_stays_signed_in_on_reload(page: Page, context: BrowserContext, served_app: str, username):  # noqa: F811
    sign_in(page, served_app, username)
    expect(signed_in_as(page, username)).to_be_visible(timeout=TIMEOUT)
    wait_for_cookie(context)
    page.reload()
    expect(signed_in_as(page, username)).to_be_visible(timeout=TIMEOUT)
    expect(sign_in_form(page)).to_have_count(0)
