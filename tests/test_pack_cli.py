"""``python -m analytics pack`` (issue 18 d), on DuckDB and PostgreSQL: the same pack as the
function the button calls, for --as-user's own scope (a team manager's shows only their
team), filters narrowing it, audited."""

from __future__ import annotations

import io

import openpyxl
from pypdf import PdfReader

from analytics import audit
from analytics.cli import main
from analytics.scope import parse_filters
from tests.pack_world import AS_OF, make, pack_world_fixture  # noqa: F401 (fixture)
from ui.catalogue import label


def _cell(value):
    """Floats to 9 significant digits: PostgreSQL may sum floats in another order from run to run."""
    return float(f"{value:.9g}") if isinstance(value, float) else value


def values(content: bytes) -> dict[str, list[tuple]]:
    """Every sheet's cells (rows as a sorted list: ties may come in any order), the cover's
    build time left out (it is the only thing that differs between two builds)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    out = {
        ws.title: sorted((tuple(_cell(v) for v in row) for row in ws.iter_rows(values_only=True)), key=repr)
        for ws in book.worksheets
    }
    cover = out[label("pk_cover")]
    out[label("pk_cover")] = [row for row in cover if not str(row[0]).startswith(label("pk_built_at"))]
    return out


def run_pack(world, user: str, out, *extra: str) -> int:
    argv = ["pack", "--db", world["url"], "--as-user", user, "--as-of", str(AS_OF), "--out", str(out), *extra]
    return main(argv)


def test_command_writes_the_same_pack_audited(pack_world, tmp_path, capsys):
    user = pack_world["users"]["team_manager"]
    path = tmp_path / "pack.xlsx"
    assert run_pack(pack_world, user, path, "--format", "xlsx") == 0
    assert "written to" in capsys.readouterr().out
    assert values(path.read_bytes()) == values(make(pack_world, user).content)
    rows = audit.recent(pack_world["engine"], action="pack", username=user)
    assert (
        len(rows) and f"for={user}" in rows["detail"].iloc[0] and "via=command line" in rows["detail"].iloc[0]
    )


def test_team_manager_sees_only_their_team(pack_world, tmp_path):
    user = pack_world["users"]["team_manager"]
    path = tmp_path / "team.xlsx"
    assert run_pack(pack_world, user, path, "--format", "xlsx") == 0
    book = openpyxl.load_workbook(path)
    ws = book[label("pk_section_workload")]
    header_row = int(ws.freeze_panes[1:]) - 1
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    team_column = rows[0].index(label("wl_team"))
    teams = {r[team_column] for r in rows[1:]}
    assert len(teams) == 1, teams
    director = openpyxl.load_workbook(io.BytesIO(make(pack_world, pack_world["users"]["director"]).content))
    assert director[label("pk_section_workload")].max_row > ws.max_row


def test_filter_narrows_and_pdf(pack_world, tmp_path):
    user = pack_world["users"]["director"]
    path = tmp_path / "pack.pdf"
    assert run_pack(pack_world, user, path, "--format", "pdf", "--filter", "product=综合VPN") == 0
    cover = PdfReader(path).pages[0].extract_text()
    assert "综合VPN" in cover  # the filters in force, on the cover
    whole = make(pack_world, user).pack.cover
    narrowed = make(pack_world, user, filters=parse_filters(["product=综合VPN"], None, None)).pack.cover
    count = {item.key: item.value for item in whole}["open_count"]
    assert 0 < {item.key: item.value for item in narrowed}["open_count"] < count


def test_unknown_user_is_refused(pack_world, tmp_path, capsys):
    assert run_pack(pack_world, "nobody", tmp_path / "x.xlsx", "--format", "xlsx") == 2
    assert "nobody" in capsys.readouterr().err
