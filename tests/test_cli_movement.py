"""`report movement` prints the numbers of analytics.metrics.movement, for --as-user's scope:
by hand on tests/movement_world.py, and against the function on the demo warehouse."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from analytics import auth
from analytics.cli import main
from analytics.context import Context
from analytics.metrics import movement as mv
from analytics.settings import load_settings
from analytics.warehouse import replace_all
from tests import movement_world as world
from tests.conftest import drop_engine, new_engine


@pytest.fixture(scope="module")
def movement_cli(backend, tmp_path_factory, pg_available):
    engine = new_engine(backend, tmp_path_factory, pg_available)
    replace_all(engine, world.build_frames(), loaded_by="test", label="fixture")
    auth.add_user(engine, "boss", "movement-pass-1", "D1")
    auth.add_user(engine, "zhang", "movement-pass-1", "A1")
    yield {"engine": engine, "url": engine.url.render_as_string(hide_password=False)}
    drop_engine(backend, engine)


def run(capsys, url: str, user: str, fmt: str, *extra: str) -> str:
    code = main(["report", "movement", "--db", url, "--as-user", user, *extra, "--format", fmt])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_json_by_hand(movement_cli, capsys):
    doc = json.loads(run(capsys, movement_cli["url"], "boss", "json", "--as-of", str(world.B)))
    assert set(doc) == {
        "snapshot_a", "snapshot_b", "labels", "counts", "waterfall", "by_team", "by_owner", "by_product",
    }  # fmt: skip
    assert (doc["snapshot_a"], doc["snapshot_b"]) == ("2026-06-23", "2026-06-30")
    assert doc["labels"]["M1"] == ["advanced", "slipped", "value_changed"]
    assert doc["labels"]["M9"] == ["new"] and "M11" not in doc["labels"]
    assert doc["counts"]["value_changed"] == 2 and doc["counts"]["removed"] == 1
    assert doc["waterfall"]["start"] == {"count": 9, "value": "336000.48", "value_fen": 33600048}
    assert doc["waterfall"]["end"]["value"] == "245000.11"
    assert doc["waterfall"]["decrease"]["value"] == "10000.05"
    teams = {(t["branch"], t["team"]): t for t in doc["by_team"]}
    assert teams[("徐汇", "一组")]["removed_fen"] == 7000033
    assert {o["owner_id"] for o in doc["by_owner"]} == {"A1", "A2", "A3"}


def test_compare_to_picks_snapshot_a(movement_cli, capsys):
    doc = json.loads(run(capsys, movement_cli["url"], "boss", "json", "--compare-to", "2026-06-16"))
    assert (doc["snapshot_a"], doc["snapshot_b"]) == ("2026-06-16", "2026-06-30")
    assert doc["waterfall"]["start"]["count"] == 2


def test_account_manager_sees_only_their_movements(movement_cli, capsys):
    doc = json.loads(run(capsys, movement_cli["url"], "zhang", "json"))
    assert set(doc["labels"]) == {"M1", "M2", "M7", "M9"}
    assert doc["waterfall"]["end"]["value"] == "226000.10"
    assert [o["owner_id"] for o in doc["by_owner"]] == ["A1"]


def test_csv_and_table_print_the_same_waterfall(movement_cli, capsys):
    frame = pd.read_csv(io.StringIO(run(capsys, movement_cli["url"], "boss", "csv")), dtype={"value": str})
    waterfall = frame[frame["section"] == "waterfall"].set_index("part")
    assert list(waterfall.index) == list(mv.WATERFALL_PARTS)
    assert waterfall.loc["removed", "value"] == "70000.33" and waterfall.loc["end", "count"] == 7
    assert set(frame["section"]) == {"waterfall", "labels", "by_team", "by_owner", "by_product"}
    table = run(capsys, movement_cli["url"], "boss", "table")
    assert "245000.11" in table and "336000.48" in table


def test_json_matches_the_function_on_the_demo(demo_warehouse, capsys):
    doc = json.loads(run(capsys, demo_warehouse["url"], "team_manager", "json"))
    settings = load_settings()
    scope = auth.scope_for_user(demo_warehouse["engine"], "team_manager", settings)
    ctx = Context(demo_warehouse["engine"], scope, settings, demo_warehouse["as_of"])
    moved = mv.movement(ctx, mv.snapshot_pair(ctx))
    assert doc["waterfall"] == json.loads(json.dumps(moved.waterfall.as_dict()))
    assert doc["counts"] == moved.counts and len(doc["labels"]) == moved.labelled > 0
    assert {(t["branch"], t["team"]) for t in doc["by_team"]} == {(scope.branch, scope.team)}
