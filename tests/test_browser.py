"""The main flow in a real headless Chromium (Debian's), driven by Playwright.

A served dashboard on a free loopback port, on its own small demo warehouse:
sign in through the form, see a KPI, save a screenshot.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine

from analytics import auth
from analytics.demo.generate import generate
from analytics.warehouse import replace_all
from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1800}, "locale": "zh-CN"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


@pytest.fixture(scope="session")
def served_app(tmp_path_factory):
    """`streamlit run serve.py` (app.py with the sign-in cookie routes, as `make run`) on a free port
    over its own demo warehouse file."""
    path = tmp_path_factory.mktemp("served") / "warehouse.duckdb"
    url = f"duckdb:///{path}"
    engine = create_engine(url)
    replace_all(engine, generate(11, DEMO_AS_OF, scale=0.05), loaded_by="demo", label="demo")
    auth.ensure_demo_users(engine, DEMO_PASSWORD)
    engine.dispose()  # the served app must own the DuckDB file
    port = _free_port()
    env = {**os.environ, "SJGK_DATABASE_URL": url}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_director_signs_in_and_sees_kpis(page: Page, served_app: str):
    sign_in(page, served_app, "director")
    kpi = page.locator('[data-testid="stMetric"]').filter(has_text="在途商机数")
    expect(kpi).to_be_visible(timeout=60_000)
    value = kpi.locator('[data-testid="stMetricValue"]').inner_text()
    assert value.replace(",", "").isdigit() and int(value.replace(",", "")) > 0
    expect(page.get_by_text("数据新鲜度", exact=False)).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home_director.png"))


def test_wrong_password_never_shows_data(page: Page, served_app: str):
    page.goto(served_app)
    page.get_by_label("用户名").fill("director")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("用户名或密码错误")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(0)
