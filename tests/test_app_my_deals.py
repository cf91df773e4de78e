"""我的商机's deal list in AppTest (issue 17 item 7): the signed-in manager's own open deals with
their problem reasons; closed ones only when the toggle asks for them.

Runs against the small demo warehouse (both backends), signed in as the demo account manager.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.context import Context
from analytics.metrics.my_pipeline import for_manager, my_deals
from analytics.scope import Filters
from analytics.settings import load_settings

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_my_pipeline(env) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["auth_token"] = auth.create_session(env["engine"], "account_manager", load_settings())
    at.run()
    at.switch_page("pages/my_pipeline.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def deals_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if {"商机编号", "问题原因", "状态"} <= set(d.value.columns))


def test_my_deals_are_my_open_deals_then_closed_on_request(app_env):
    at = open_my_pipeline(app_env)
    settings = load_settings()
    scope = auth.scope_for_user(app_env["engine"], "account_manager", settings)
    ctx = for_manager(
        Context(app_env["engine"], scope, settings, app_env["as_of"], Filters()), scope.staff_id
    )
    expected = my_deals(ctx)
    everything = my_deals(ctx, include_closed=True)
    assert len(expected) and (expected["status"] == "open").all()
    assert len(everything) > len(expected)
    assert (everything["owner_id"] == scope.staff_id).all()
    shown = deals_table(at)
    assert shown["商机编号"].tolist() == expected["opportunity_id"].tolist()
    assert set(shown["状态"]) == {"跟进中"}
    # Problem deals show their reasons; the others none.
    flagged = expected["is_problem"].astype(bool).tolist()
    assert [bool(r) and r != "—" for r in shown["问题原因"].fillna("")] == flagged
    at.toggle(key="my_deals_closed").set_value(True).run()
    assert deals_table(at)["商机编号"].tolist() == everything["opportunity_id"].tolist()
