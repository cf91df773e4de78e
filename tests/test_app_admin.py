"""User administration and audit pages: directors only, and changes are audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import audit, auth
from analytics.settings import load_settings
from tests.test_app_home import APP
from ui.session import Viewer

ROOT = Path(APP).parent


def open_page(env, username: str, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_token"] = auth.create_session(env["engine"], username, load_settings())
    at.run()
    return at.switch_page(page).run()


def test_director_adds_a_user_and_it_is_audited(app_env):
    at = open_page(app_env, "director", "pages/users.py")
    assert not at.exception
    name = f"new_{app_env['backend']}"
    at.text_input(key="new_username").input(name)
    at.text_input(key="new_staff_id").input(auth.list_users(app_env["engine"])[0]["staff_id"] or "")
    at.text_input(key="new_password").input("a-long-password")
    at.button[0].click().run()
    assert not at.exception
    assert any(name in s.value for s in at.success)
    assert name in {u["username"] for u in auth.list_users(app_env["engine"])}
    rows = audit.recent(app_env["engine"], action="user_add")
    assert (rows["detail"].str.contains(name)).any() and "a-long-password" not in rows.to_string()


@pytest.mark.parametrize("username", ["account_manager", "branch_head", "analyst"])
def test_non_directors_cannot_open_admin_pages(app_env, username):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_token"] = auth.create_session(app_env["engine"], username, load_settings())
    at.run()
    for page in ("pages/users.py", "pages/audit.py"):
        # Not in their navigation at all...
        with pytest.raises(ValueError, match="Could not find"):
            at.switch_page(page)
        # ...and the page itself refuses if run directly with their identity.
        direct = AppTest.from_file(str(ROOT / page), default_timeout=60)
        settings = load_settings()
        direct.session_state["viewer"] = Viewer(
            username,
            auth.role_of(app_env["engine"], username),
            auth.scope_for_user(app_env["engine"], username, settings),
        )
        direct.run()
        assert not direct.exception
        assert direct.error and not direct.dataframe


def test_audit_page_lists_sign_ins_for_a_director(app_env):
    auth.authenticate(app_env["engine"], "branch_head", "wrong-password", load_settings())
    at = open_page(app_env, "director", "pages/audit.py")
    assert not at.exception
    frame = at.dataframe[0].value
    # Headers, actions and the product's own log lines in Chinese (issue 17 item 9).
    assert list(frame.columns) == ["时间", "用户", "操作", "详情", "成功"]
    assert "登录失败" in set(frame["操作"]) and "sign_in_failed" not in set(frame["操作"])
    assert "密码错误（连续 1 次）" in set(frame["详情"])


def test_users_table_reads_in_chinese(app_env):
    """用户管理: Chinese headers, roles and staff status in words, no 'None' cells."""
    at = open_page(app_env, "director", "pages/users.py")
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame.columns)[:4] == ["用户名", "工号", "姓名", "角色"]
    assert "role_override" not in frame.columns and "locked_until" not in frame.columns
    assert "营销总监" in set(frame["角色"]) and "director" not in set(frame["角色"])
    assert set(frame["在职状态"]) <= {"在职", "已离职", "组织数据中无此工号", ""}
    assert not frame.isna().any().any()


@pytest.mark.parametrize("page", ["pages/home.py", "pages/funnel.py", "pages/explorer.py"])
def test_a_viewer_without_data_rights_is_told_so_not_to_widen_filters(app_env, page):
    """Issue 17 item 9: the analyst (read_roles_for_analyst = none) has no scope, not a narrow filter."""
    at = open_page(app_env, "analyst", page)
    assert not at.exception
    shown = [i.value for i in at.info] + [w.value for w in at.warning]
    assert any("没有可查看的业务数据范围" in s for s in shown), shown
    assert not any("放宽筛选" in s for s in shown) and not at.metric and not at.dataframe
