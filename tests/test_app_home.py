"""The home page in AppTest: sign-in gate, and the figures it shows equal analytics'."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.context import Context
from analytics.metrics.overview import overview
from analytics.scope import Filters
from analytics.settings import load_settings
from ui.format import count, pct, points, wan

APP = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "app.py")


def signed_in(env, username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_token"] = auth.create_session(env["engine"], username, load_settings())
    return at.run()


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_without_session_only_the_sign_in_form_shows(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert len(at.text_input) == 2 and not at.metric


def test_sign_in_with_wrong_password_is_refused(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="sign_in_username").input("director")
    at.text_input(key="sign_in_password").input("wrong-password")
    at.button[0].click().run()
    assert at.error and "错误" in at.error[0].value
    assert not at.metric


def test_sign_in_with_right_password_shows_home(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="sign_in_username").input("director")
    at.text_input(key="sign_in_password").input(app_env["password"])
    at.button[0].click().run()
    assert not at.exception
    assert "在途商机数" in metric_values(at)


@pytest.mark.parametrize("username", ["director", "branch_head", "account_manager"])
def test_home_figures_equal_analytics_for_each_scope(app_env, username):
    at = signed_in(app_env, username)
    assert not at.exception, at.exception
    settings = load_settings()
    scope = auth.scope_for_user(app_env["engine"], username, settings)
    expected = overview(Context(app_env["engine"], scope, settings, app_env["as_of"], Filters()))
    shown = metric_values(at)
    assert shown["在途商机数"] == count(expected["open_count"])
    assert shown["在途商机金额（万元）"] == wan(expected["open_value"])
    assert shown["赢单率"] == pct(expected["win_rate"])
    assert shown["问题商机"] == count(expected["problem_count"])
    # Issue 17 item 7: the share of open deals flagged, beside the count.
    assert f"问题商机占在途商机: {pct(expected['problem_share'])}" in [c.value for c in at.caption]
    assert shown["累计收入（万元）"] == wan(expected["attainment"]["actual_ytd"])
    assert expected["open_count"] > 0


def test_branch_filter_from_url_narrows_the_figures(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_token"] = auth.create_session(app_env["engine"], "director", load_settings())
    at.query_params["branch"] = "浦东"
    at.run()
    assert not at.exception
    settings = load_settings()
    ctx = Context(
        app_env["engine"],
        auth.scope_for_user(app_env["engine"], "director", settings),
        settings,
        app_env["as_of"],
        Filters(branches=("浦东",)),
    )
    assert metric_values(at)["在途商机数"] == count(overview(ctx)["open_count"])
    assert at.multiselect(key="filter_branch").value == ["浦东"]


def test_metrics_carry_their_definitions(app_env):
    at = signed_in(app_env, "director")
    helps = [m.proto.help for m in at.metric]
    assert all(helps) and any("时序进度" in text for text in helps)
    assert any("数据新鲜度" in c.value for c in at.caption)


def test_url_filter_cannot_widen_an_account_managers_scope(app_env):
    """?branch=<another branch> leaves an account manager with nothing, not with that branch."""
    users = {u["username"]: u for u in auth.list_users(app_env["engine"])}
    other = "徐汇" if users["account_manager"]["branch"] != "徐汇" else "浦东"
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_token"] = auth.create_session(
        app_env["engine"], "account_manager", load_settings()
    )
    at.query_params["branch"] = other
    at.run()
    assert not at.exception
    # The branch is not among the account manager's options, so it is dropped:
    assert at.multiselect(key="filter_branch").value == []
    assert other not in at.multiselect(key="filter_branch").options
    settings = load_settings()
    scope = auth.scope_for_user(app_env["engine"], "account_manager", settings)
    own = overview(Context(app_env["engine"], scope, settings, app_env["as_of"], Filters()))
    assert metric_values(at)["在途商机数"] == count(own["open_count"])


def test_expired_session_shows_the_sign_in_form(app_env):
    from datetime import datetime, timedelta

    settings = load_settings()
    token = auth.create_session(
        app_env["engine"],
        "director",
        settings,
        now=datetime.now() - timedelta(hours=settings.session_hours + 1),
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_token"] = token
    at.run()
    assert not at.metric and len(at.text_input) == 2


def test_oidc_configured_offers_single_sign_on_instead_of_passwords(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x",
        "client_id": "sjgk",
        "client_secret": "y",
        "server_metadata_url": "https://idp.invalid/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception
    assert not at.text_input and not at.metric
    assert at.button(key="oidc_login").label == "使用单点登录"


def test_english_is_selectable(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_token"] = auth.create_session(app_env["engine"], "director", load_settings())
    at.session_state["language"] = "en"  # what the sidebar switch stores
    at.run()
    assert not at.exception
    assert at.radio(key="language_choice").value == "en"
    labels = set(metric_values(at))
    assert "Open opportunities" in labels and "在途商机数" not in labels


def test_headline_compares_like_with_like_and_says_so(app_env):
    """The attainment delta is against time progress to the last loaded period, and one line says so."""
    at = signed_in(app_env, "director")
    assert not at.exception
    settings = load_settings()
    scope = auth.scope_for_user(app_env["engine"], "director", settings)
    row = overview(Context(app_env["engine"], scope, settings, app_env["as_of"], Filters()))["attainment"]
    shown = metric_values(at)
    assert shown["同口径时序进度"] == pct(row["period_progress"])
    attainment = next(m for m in at.metric if m.label == "预算完成率")
    assert attainment.proto.delta == points(row["period_gap"])
    lines = [c.value for c in at.caption if "同口径" in c.value]
    assert len(lines) == 1
    assert str(int(row["data_through"])) in lines[0]
    assert pct(row["period_progress"]) in lines[0] and pct(row["time_progress"]) in lines[0]


def test_filters_follow_to_a_page_opened_without_them(app_env):
    """A page change drops the query string; the tab's last filters come back into the URL."""
    at = signed_in(app_env, "director")
    at.multiselect(key="filter_branch").select("浦东").run()
    at.query_params.clear()  # what a click in the navigation does to the URL
    at.switch_page("pages/problems.py").run()
    assert not at.exception
    assert at.multiselect(key="filter_branch").value == ["浦东"]
    assert at.query_params["branch"] in ("浦东", ["浦东"])
    # A link that names a filter is taken as it is: the remembered branch does not join it.
    at.query_params.clear()
    product = at.multiselect(key="filter_product").options[0]
    at.query_params["product"] = product
    at.switch_page("pages/home.py").run()
    assert at.multiselect(key="filter_branch").value == []
    assert at.multiselect(key="filter_product").value == [product]
