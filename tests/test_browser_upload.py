"""In a real headless Chromium: the analyst uploads a GBK export through the file chooser.

The dashboard is served over a warehouse of its own (empty, with the demo
users); the launch settings and server helpers are test_browser's.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from analytics import auth
from analytics.db import ensure_schema
from tests.conftest import DEMO_PASSWORD
from tests.test_browser import (  # noqa: F401  (fixtures used by name)
    ROOT,
    _free_port,
    _wait_healthy,
    browser_context_args,
    browser_type_launch_args,
    sign_in,
)
from tests.test_loader_helpers import FIXTURES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def upload_app(tmp_path_factory):
    """`streamlit run app.py` over an empty warehouse with the demo users."""
    path = tmp_path_factory.mktemp("served_upload") / "warehouse.duckdb"
    url = f"duckdb:///{path}"
    engine = create_engine(url)
    ensure_schema(engine)
    auth.ensure_demo_users(engine, DEMO_PASSWORD)
    engine.dispose()
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "SJGK_DATABASE_URL": url}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)

    try:
        _wait_healthy(base, process)
        yield {"base": base, "url": url, "stop": stop}
    finally:
        stop()


def test_analyst_uploads_a_gbk_file_and_sees_the_report(page: Page, upload_app):
    sign_in(page, upload_app["base"], "analyst")
    expect(page.get_by_text("退出登录")).to_be_visible(timeout=60_000)
    more = page.get_by_text("more", exact=False).filter(has_text="View")  # a long navigation is folded
    if more.count():
        more.first.click()
    page.get_by_role("link", name="数据上传").click()
    chooser = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    chooser.set_input_files(str(FIXTURES / "opportunities_gbk.csv"))
    expect(page.get_by_text("opportunities_gbk.csv — 商机清单 · gbk · 5 / 0")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("快照日期：2024-03-08（5 行）", exact=False)).to_be_visible()
    page.get_by_role("button", name="导入这批文件").click()
    expect(page.get_by_text("导入完成", exact=False)).to_be_visible(timeout=60_000)
    loaded = page.locator('[data-testid="stMetric"]').filter(has_text="导入行数")
    expect(loaded.locator('[data-testid="stMetricValue"]')).to_have_text("5")
    expect(page.get_by_role("button", name="下载报告（Excel）")).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    upload_app["stop"]()  # the served process owns the DuckDB file until it stops
    engine = create_engine(upload_app["url"])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM opportunity_snapshot")).scalar() == 5
        assert conn.execute(text("SELECT loaded_by, kind FROM load_history")).one() == (
            "analyst",
            "opportunities",
        )
    engine.dispose()
