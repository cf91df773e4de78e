"""From the funnel to the opportunities behind a stage, to one opportunity's story, in a real Chromium.

Reuses the served dashboard and sign-in of tests/test_browser.py.  A Plotly
click is not reliable to drive headlessly, so the test uses the stage selector
that sits beside the chart (the same callback fills it when a bar is clicked).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.test_browser import (  # noqa: F401  (fixtures used by name)
    ARTIFACTS,
    browser_context_args,
    browser_type_launch_args,
    served_app,
    sign_in,
)

pytestmark = pytest.mark.browser
TIMEOUT = 60_000


def _open_funnel(page: Page, base: str, username: str) -> None:
    sign_in(page, base, username)
    expect(page.locator('[data-testid="stMetric"]').first).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("link", name="漏斗分析").click()
    expect(page.get_by_text("阶段背后的商机")).to_be_visible(timeout=TIMEOUT)


def _choose(page: Page, label: str, option: str) -> None:
    """Open the select and pick; a rerun still in flight can close the list, so retry."""
    box = page.get_by_role("combobox", name=label)
    target = page.get_by_role("option", name=option, exact=True)
    for _ in range(6):
        box.click()
        try:
            target.click(timeout=5_000)
            return
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
    box.click()
    target.click(timeout=TIMEOUT)


def test_funnel_stage_to_opportunity_list_to_story(page: Page, served_app: str):  # noqa: F811
    _open_funnel(page, served_app, "director")
    cohort = page.locator('[data-testid="stMetric"]').filter(has_text="队列商机数")
    expect(cohort).to_be_visible(timeout=TIMEOUT)
    _choose(page, "到达阶段", "3 确认方案")
    listed = page.get_by_text(re.compile(r"^共 [\d,]+ 个商机$"))
    expect(listed).to_be_visible(timeout=TIMEOUT)
    n = int(listed.inner_text().replace(",", "").split()[1])
    assert n > 0
    expect(page.locator('[data-testid="stDataFrame"]').last).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "funnel_drill.png"))
    page.get_by_role("link", name="在商机明细中打开").click()
    expect(page.get_by_text("商机故事", exact=False).first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("阶段变化")).to_be_visible()
    expect(page.get_by_text("未找到该商机")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "explorer_story.png"))


def test_story_of_an_id_outside_the_scope_is_not_shown(page: Page, served_app: str):  # noqa: F811
    sign_in(page, served_app, "account_manager")
    expect(page.locator('[data-testid="stMetric"]').first).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("link", name="商机明细").click()
    page.get_by_label("按商机编号打开").fill("NO-SUCH-OPPORTUNITY")
    page.get_by_role("button", name="打开", exact=True).click()
    expect(page.get_by_text("未找到该商机，或不在您的查看范围内。")).to_be_visible(timeout=TIMEOUT)
    assert "opportunity=NO-SUCH-OPPORTUNITY" in page.url
    expect(page.get_by_text("阶段变化")).to_have_count(0)
