"""The tour (issue 17): every page, for every role, in a real Chromium, in Chinese.

One served dashboard (test_browser's ``served_app``, a small demo warehouse),
one browser; each role signs in once and clicks through the sidebar navigation.
A page fails the tour on a Streamlit exception, a console error, a visible
ASCII word that is not in ``ALLOWED`` (an untranslated label or a raw code),
or a settle time over the budget.  The budget is a setting of the test, the
environment variable ``TOUR_SETTLE_SECONDS`` (default 5 s on the demo data; not
an ``SJGK_*`` name, which the dashboard itself would refuse as unknown).

Each page's screenshot lands in test-artifacts/tour/ (git-ignored), with
``timings.json``: per page and role the seconds from the click to a settled
page, which the issue's note reports as the slowest per page.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page

from analytics.auth.demo_users import DEMO_USERNAMES
from tests.conftest import DEMO_PASSWORD
from tests.test_browser import (  # noqa: F401  (fixtures used by name)
    ARTIFACTS,
    browser_context_args,
    browser_type_launch_args,
    served_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.tour]
TOUR = ARTIFACTS / "tour"
BUDGET = float(os.environ.get("TOUR_SETTLE_SECONDS", "5"))

# ASCII words a Chinese page may show: product and system names, units, file
# formats, statistics' names, the language switch, and data (demo usernames).
ALLOWED = {
    *DEMO_USERNAMES,
    *"ICT IPTV VPN IDC CRM ODS SD WAN IoT IT AI Excel CSV XLSX XLS TXT ZIP GBK UTF".split(),
    *"Brier Tab pp s MB KB GB P DDN".split(),
    *"yyyy mm dd".split(),  # Streamlit's placeholder of an empty date field (no locale option)
    *"HH MM PDF".split(),  # a time field's format hint, the meeting pack's file format
    "II",  # the Roman numeral of II类普通商机, the business's own class name (domain.md)
    "English",
    "Language",
}
# A token with a digit is an id, a period or a quantile (S00025, 202611, P90).
WORD = re.compile(r"[A-Za-z0-9_.\-@/]+")

VISIBLE_TEXT = """() => {
  const out = [];
  const root = document.querySelector('[data-testid="stApp"]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const skip = '[data-testid="stIconMaterial"], [data-testid="stExpanderIcon"], style, script, noscript, '
    + '[data-testid="stSkipToContent"], pre, code';
  // icons are ligature words; the skip link shows on keyboard focus; code is a command, not prose
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement, text = node.textContent.trim();
    if (!text || !el || el.closest(skip)) continue;
    if (el.closest('table[role="grid"]')) {  // the canvas table's mirror; a checkbox cell reads true/false
      if (text !== 'true' && text !== 'false') out.push(text);
      continue;
    }
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 1 || box.height < 1 || box.right < 0 || box.bottom < 0) continue;
    out.push(text);
  }
  return out;
}"""

SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-stale="true"]');
}"""


def untranslated(texts: list[str]) -> set[str]:
    """The ASCII words in ``texts`` that are neither allowed nor ids (no digit)."""
    found = set()
    for text in texts:
        for token in WORD.findall(text):
            if any(c.isdigit() for c in token) or not any(c.isalpha() for c in token):
                continue
            for word in re.split(r"[.\-/@]", token):
                notation = len(word) == 1 and word.isupper()  # 快照 A/B, 前 N 个, 窗口 W and T
                if word and word.strip("_") and word not in ALLOWED and not notation:
                    found.add(word)
    return found


def settle(page: Page, started: float) -> float:
    """Seconds from ``started`` until the run the click set off has finished.

    The click's rerun may start a moment after the click, so a quiet app only
    counts once a run has been seen or a second has passed; then it has to stay
    quiet for two polls.
    """
    seen_running, quiet, deadline = False, 0, started + max(60.0, BUDGET * 4)
    while time.monotonic() < deadline:
        state = page.get_attribute('[data-testid="stApp"]', "data-test-script-state")
        if state != "notRunning":
            seen_running, quiet = True, 0
        elif (seen_running or time.monotonic() - started > 1.0) and page.evaluate(SETTLED):
            quiet += 1
            if quiet == 2:
                return time.monotonic() - started - 0.1
        page.wait_for_timeout(100)
    return time.monotonic() - started


def screenshot(page: Page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so the window grows to fit it."""
    size = page.viewport_size or {"width": 1400, "height": 1800}
    tall = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 0")
    page.set_viewport_size({"width": size["width"], "height": min(max(tall, size["height"]), 8000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def visit_all(page: Page, role: str, problems: list[str]) -> dict[str, float]:
    """Click every sidebar page in turn; the settle time of each, problems appended."""
    view_more = page.locator('[data-testid="stSidebarNavViewButton"]')
    if view_more.count():
        view_more.click()
    links = page.locator('[data-testid="stSidebarNavLink"]')
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert len(hrefs) >= 10, f"{role}: only {len(hrefs)} pages in the navigation"
    timings = {}
    for href in hrefs:
        name = urlparse(href).path.strip("/") or "home"
        errors: list[str] = []
        listener = lambda m, errors=errors: m.type == "error" and errors.append(m.text)  # noqa: E731
        page.on("console", listener)
        started = time.monotonic()
        page.locator(f'[data-testid="stSidebarNavLink"][href="{href}"]').click()
        seconds = settle(page, started)
        page.remove_listener("console", listener)
        timings[name] = round(seconds, 2)
        screenshot(page, TOUR / f"{role}_{name}.png")
        where = f"{role} {name}"
        if page.locator('[data-testid="stException"]').count():
            text = page.locator('[data-testid="stException"]').first.inner_text()
            problems.append(f"{where}: exception {text[:300]}")
        problems.extend(f"{where}: console error {e[:200]}" for e in errors)
        if words := untranslated(page.evaluate(VISIBLE_TEXT)):
            problems.append(f"{where}: untranslated {sorted(words)}")
        if seconds > BUDGET:
            problems.append(f"{where}: {seconds:.1f} s to settle (budget {BUDGET:g} s)")
    return timings


# Streamlit's client, loading a page's own URL, first asks /<page>/_stcore/health and
# /host-config whether the app is served under /<page>, then under /: two 404s it
# logs itself (streamlit/streamlit#7074), not a missing resource of the dashboard.
BASE_PROBE = re.compile(r"/[^/?]+/_stcore/(health|host-config)$")


def reload_last(page: Page, role: str, problems: list[str]) -> None:
    """F5 on the last page: still signed in, and no console error but Streamlit's base-path probes."""
    errors: list[tuple[str, str]] = []
    page.on("console", lambda m: m.type == "error" and errors.append((m.text, m.location.get("url", ""))))
    page.reload()
    page.locator('[data-testid="stSidebarNavLink"]').first.wait_for(timeout=60_000)
    settle(page, time.monotonic())
    problems.extend(
        f"{role} reload: console error {text[:200]} ({url})"
        for text, url in errors
        if not BASE_PROBE.search(url)
    )


def record(role: str, timings: dict[str, float]) -> None:
    """Merge this role's timings into test-artifacts/tour/timings.json."""
    path = TOUR / "timings.json"
    table = json.loads(path.read_text()) if path.exists() else {}
    for name, seconds in timings.items():
        table.setdefault(name, {})[role] = seconds
    path.write_text(json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True))


@pytest.mark.parametrize("role", DEMO_USERNAMES)
def test_tour(browser: Browser, browser_context_args, served_app: str, role: str):  # noqa: F811
    TOUR.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"{role}: page error {error}"))
    try:
        page.goto(served_app)
        page.get_by_label("用户名").fill(role)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.locator('[data-testid="stSidebarNavLink"]').first.wait_for(timeout=60_000)
        settle(page, time.monotonic())
        timings = visit_all(page, role, problems)
        reload_last(page, role, problems)
    finally:
        context.close()
    record(role, timings)
    assert not problems, "\n".join(problems)


def test_untranslated_catches_words_not_ids():
    """The word check itself: codes and English words are caught; ids, units and names pass."""
    assert untranslated(["Choose options", "role_override", "Sep 20"]) == {
        "Choose",
        "options",
        "role_override",
        "Sep",
    }
    assert untranslated(["S00025 · 202611 · P90 · 12.5 万元 · VPN · Excel · 3.2 pp", "director"]) == set()
