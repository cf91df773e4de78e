"""下载会议材料 in AppTest (issue 18 e), on both backends: the home and weekly pages build the
viewer's own pack behind a progress indicator, offer it for download, and audit it."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analytics import audit, auth
from analytics.settings import load_settings
from ui.catalogue import label

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def signed_in(env, username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["auth_token"] = auth.create_session(env["engine"], username, load_settings())
    return at.run()


@pytest.mark.parametrize("page", [None, "pages/weekly.py"])
def test_button_builds_the_viewers_pack(app_env, page):
    user = "account_manager"
    at = signed_in(app_env, user)
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    before = len(audit.recent(app_env["engine"], action="pack", username=user))
    at.button(key="pack_build").click().run()
    assert not at.exception, at.exception
    assert len(at.get("status")) == 1  # the progress indicator
    stored = at.session_state["pack_built"][1]
    assert stored.fmt == "xlsx" and stored.pack.recipient == user
    assert len(at.get("download_button")) == 1
    rows = audit.recent(app_env["engine"], action="pack", username=user)
    assert len(rows) == before + 1 and "via=page" in rows["detail"].iloc[0]
    book = openpyxl.load_workbook(io.BytesIO(stored.content))
    ws = book[label("pk_section_workload")]
    assert ws.max_row - int(ws.freeze_panes[1:]) + 1 == 1  # one manager: the viewer alone


def open_page(env, username: str, page: str) -> AppTest:
    at = signed_in(env, username)
    return at.switch_page(page).run()


def test_director_adds_a_subscription_and_sends_it_now(app_env, tmp_path, monkeypatch):
    from analytics.pack import subscriptions

    monkeypatch.setenv("SJGK_PACK_OUTBOX_DIR", str(tmp_path))
    engine = app_env["engine"]
    at = open_page(app_env, "director", "pages/subscriptions.py")
    assert not at.exception, at.exception
    at.selectbox(key="pk_recipient").set_value("account_manager")
    at.button(key="FormSubmitter:pk_add-" + label("pk_sub_add")).click().run()
    assert not at.exception, at.exception
    mine = [s for s in subscriptions.all_subscriptions(engine) if s.recipient == "account_manager"]
    assert mine and mine[-1].created_by == "director" and mine[-1].channel == "outbox"
    at.run()  # the list above the form now holds it
    at.selectbox(key="pk_choose").set_value(mine[-1].id)
    at.button(key="pk_send_now").click().run()
    assert not at.exception, at.exception
    assert at.success and any(p.suffix == ".pdf" for p in tmp_path.iterdir())
    subscriptions.remove(engine, mine[-1].id)


def test_only_directors_manage_subscriptions(app_env):
    at = signed_in(app_env, "account_manager")
    with pytest.raises(ValueError, match="subscriptions"):  # not in their navigation at all
        at.switch_page("pages/subscriptions.py")
