"""The meeting pack's test world: the small demo with formula-like customer names, demo users
(one per role), and helpers to build a pack and run ``report`` for the same user and date."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from analytics import auth
from analytics.cli import main
from analytics.demo.generate import generate
from analytics.pack.build import build, user_context
from analytics.scope import Filters
from analytics.settings import load_settings
from analytics.warehouse import replace_all
from tests.conftest import drop_engine, new_engine
from ui.catalogue.pack import pack_texts

AS_OF = date(2026, 11, 20)
PASSWORD = "pack-pass-2026"
INJECTIONS = ['=HYPERLINK("http://evil.example/","点我")', "+1+1", "-2", "@SUM(A1)"]


def pack_frames() -> dict[str, pd.DataFrame]:
    """The small demo, with the four biggest open deals' customers named like formulas
    (they are key deals, so the pack lists them)."""
    frames = generate(7, AS_OF, scale=0.05)
    snap = frames["opportunity_snapshot"]
    newest = snap[(snap["snapshot_date"] == snap["snapshot_date"].max()) & (snap["status"] == "open")]
    biggest = newest.nlargest(len(INJECTIONS), "annual_value")["opportunity_id"].tolist()
    names = dict(zip(biggest, INJECTIONS, strict=True))
    snap["customer_name"] = snap["opportunity_id"].map(names).fillna(snap["customer_name"])
    return frames


@pytest.fixture(scope="module", name="pack_world")
def pack_world_fixture(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, pack_frames(), loaded_by="test", label="fixture")
    users = {u["role"]: u["username"] for u in auth.ensure_demo_users(engine, PASSWORD)}
    yield {"engine": engine, "url": engine.url.render_as_string(hide_password=False), "users": users}
    drop_engine(backend, engine)


def make(world, user: str, fmt: str = "xlsx", filters: Filters | None = None):
    settings = load_settings()
    ctx = user_context(world["engine"], user, settings, AS_OF, filters or Filters())
    return build(ctx, pack_texts("zh", settings), user, fmt)


def report(capsys, world, name: str, user: str) -> list[dict]:
    code = main(
        ["report", name, "--db", world["url"], "--as-user", user, "--as-of", str(AS_OF), "--format", "json"]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)
