"""In a real browser, an account manager cannot reach another manager's deal by URL."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from analytics import auth
from analytics.demo.generate import generate
from analytics.warehouse import replace_all
from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.test_browser import browser_context_args, browser_type_launch_args, served_app  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def deal_ids() -> dict:
    """The served warehouse rebuilt in memory (same seed): own and foreign deal ids."""
    engine = create_engine("duckdb:///:memory:")
    replace_all(engine, generate(11, DEMO_AS_OF, scale=0.05), loaded_by="demo", label="demo")
    staff_id = next(
        u for u in auth.ensure_demo_users(engine, DEMO_PASSWORD) if u["username"] == "account_manager"
    )["staff_id"]
    sql = text(
        "SELECT opportunity_id, owner_id = :me AS own FROM opportunity_snapshot "
        "WHERE snapshot_date = (SELECT MAX(snapshot_date) FROM snapshots) ORDER BY opportunity_id"
    )
    with engine.connect() as conn:
        rows = conn.execute(sql, {"me": staff_id}).fetchall()
    engine.dispose()
    return {"own": next(r[0] for r in rows if r[1]), "foreign": next(r[0] for r in rows if not r[1])}


def open_as_account_manager(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_label("用户名").fill("account_manager")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_foreign_deal_by_url_is_refused(page: Page, served_app: str, deal_ids: dict):  # noqa: F811
    open_as_account_manager(page, f"{served_app}/explorer?opportunity={deal_ids['foreign']}")
    expect(page.get_by_text("未找到该商机，或不在您的查看范围内。")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("商机故事")).to_have_count(0)
    expect(page.get_by_text(deal_ids["foreign"], exact=True)).to_have_count(0)


def test_own_deal_by_url_opens_its_story(page: Page, served_app: str, deal_ids: dict):  # noqa: F811
    open_as_account_manager(page, f"{served_app}/explorer?opportunity={deal_ids['own']}")
    heading = page.get_by_role("heading").filter(has_text=deal_ids["own"])
    expect(heading.first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("未找到该商机，或不在您的查看范围内。")).to_have_count(0)
