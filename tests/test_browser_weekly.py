"""周例会 in a real Chromium: clicking a bar of the waterfall lists the deals behind it.

Reuses the served dashboard and sign-in of tests/test_browser.py (its demo
warehouse holds weekly snapshots, so the default pair exists).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser import (  # noqa: F401  (fixtures used by name)
    ARTIFACTS,
    browser_context_args,
    browser_type_launch_args,
    served_app,
    sign_in,
)

pytestmark = pytest.mark.browser
TIMEOUT = 60_000


def test_clicking_a_waterfall_bar_lists_its_deals(page: Page, served_app: str):  # noqa: F811
    sign_in(page, served_app, "director")
    expect(page.locator('[data-testid="stMetric"]').first).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("link", name="周例会").click()
    expect(page.get_by_text("在途商机瀑布图").first).to_be_visible(timeout=TIMEOUT)
    # the movement's waterfall is the page's first (the forecast bridge below is one too)
    waterfall = page.locator(".js-plotly-plot").filter(has=page.locator(".waterfalllayer")).first
    bars = waterfall.locator(".waterfalllayer .point path")
    expect(bars.first).to_be_visible(timeout=TIMEOUT)
    assert bars.count() == 10  # start, 8 parts, end
    listed = page.get_by_text(re.compile(r"^共 [\d,]+ 个商机，显示第"))
    expect(listed).to_have_count(2, timeout=TIMEOUT)  # the movement table and the key deals
    bars.nth(0).click(force=True)  # 期初在途: every deal open at A
    expect(page.get_by_role("combobox", name="查看柱子背后的商机")).to_have_value("期初在途", timeout=TIMEOUT)
    expect(listed).to_have_count(3, timeout=TIMEOUT)  # and now the bar's deals, listed first
    total = int(listed.first.inner_text().replace(",", "").split()[1])
    assert total > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "weekly_bar.png"), full_page=True)
