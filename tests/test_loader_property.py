"""Property: corrupt random cells of a valid file; every row ends in exactly one place.

Whatever the corruption (text, commas, quotes, line breaks inside cells), the
loader must account for every row (in = loaded + quarantined, in the report
and in the warehouse), quarantine only corrupted rows, and store every
untouched row exactly as a clean load would.  Both backends.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_loader_helpers import fresh, load, reset, rows, scalar


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


HEADER = ["商机编号", "客户名称", "产品", "客户经理工号", "阶段", "状态", "预计年综合收益", "创建日期",
          "预计签约日期", "用户数", "重点商机", "导出日期"]  # fmt: skip
N = 8


def base_rows() -> list[list[str]]:
    return [
        [f"OPP{i}", f"客户{i}", "IPTV", f"S{i % 3}", str(i % 5), "跟进中", f"{1000 + i}.50",
         f"2024-01-{i + 1:02d}", f"2024/3/{i + 1}", str(i), "是" if i % 2 else "否", "2024-03-08"]
        for i in range(N)
    ]  # fmt: skip


def expected(i: int) -> tuple:
    return (f"OPP{i}", f"客户{i}", f"S{i % 3}", i % 5, "open", D(f"{1000 + i}.50"), date(2024, 1, i + 1),
            date(2024, 3, i + 1), i, bool(i % 2), date(2024, 3, 8))  # fmt: skip


SQL = """SELECT opportunity_id, customer_name, owner_id, stage, status, annual_value, created_date,
    expected_close_date, user_count, key_flag, snapshot_date FROM opportunity_snapshot WHERE opportunity_id = :id"""

junk = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters='\n\t,"'), max_size=12
)
corruptions = st.dictionaries(
    st.tuples(st.integers(0, N - 1), st.integers(1, len(HEADER) - 1)), junk, max_size=10
)


def write(table: list[list[str]]) -> tuple[bytes, list[int]]:
    """The CSV bytes and the line each data row starts on."""
    buffer, starts, line = io.StringIO(), [], 2
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for row in table:
        starts.append(line)
        before = buffer.tell()
        writer.writerow(row)
        line += buffer.getvalue()[before:].count("\n")
    return buffer.getvalue().encode("utf-8"), starts


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=corruptions)
def test_corrupted_cells_are_accounted_for_and_clean_rows_arrive_unchanged(wh, tmp_path, cells):
    reset(wh)
    table = base_rows()
    for (r, c), value in cells.items():
        table[r][c] = value
    content, starts = write(table)
    path = tmp_path / "corrupted.csv"
    path.write_bytes(content)
    report = load(wh, str(path))
    assert report.outcome == "loaded", report.text()
    (result,) = report.files
    assert result.rows_in == N and result.loaded + result.quarantined == N
    assert scalar(wh, "SELECT count(*) FROM opportunity_snapshot") == result.loaded
    assert scalar(wh, "SELECT count(DISTINCT line_no) FROM quarantine") == result.quarantined
    touched = {r for r, _ in cells}
    quarantined = {line for (line,) in rows(wh, "SELECT DISTINCT line_no FROM quarantine")}
    assert quarantined <= {starts[r] for r in touched}
    for i in set(range(N)) - touched:
        assert rows(wh, SQL, id=f"OPP{i}") == [expected(i)]
