"""Property: text in mixed encodings, and byte order marks inside lines (issue 13, item 8). Both backends.

Two families of generated files, each a 营销活动记录 export whose customer
column holds Chinese names:

* mixed encodings: a file in GBK, GB18030 or UTF-8 in which some rows were
  saved in the other encoding (UTF-8 rows in a GBK file, GBK rows in a UTF-8
  file), detected or with the encoding chosen;
* byte order marks: U+FEFF at the start of data lines, of cells, or inside
  them, in UTF-8 (with or without a leading BOM) and GBK files.

Whatever is generated, the load has a clear outcome (loaded or refused, never
an exception), every row ends in exactly one place (rows in = loaded +
quarantined, in the report and in the warehouse), a refusal writes nothing,
every row loaded holds exactly the text it was written with — no mojibake —
and no text column holds a U+FEFF.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analytics import schema
from tests.test_loader_helpers import fresh, load, reset, rows, scalar

HEADER = "活动编号,商机编号,客户编号,工号,类型,日期"
TYPES = ("拜访", "电话", "visit", "方案", "call", "会议")  # English codes: a GBK line may be valid UTF-8
# Common characters (GB2312 level 1), and some whose GBK bytes are valid two-byte UTF-8 (卤: C2 B1 = ±).
COMMON = [
    bytes((lead, trail)).decode("gb2312") for lead in range(0xB0, 0xD7) for trail in range(0xA1, 0xFF, 7)
]
TRICKY = [
    bytes((lead, trail)).decode("gb2312") for lead in range(0xC2, 0xD7) for trail in range(0xA1, 0xC0, 6)
]
NAMES = st.text(st.sampled_from(COMMON + TRICKY), min_size=1, max_size=6)
BOM = "\ufeff"


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


def line(i: int, name: str) -> str:
    return f"A{i:03d},OPP{i:03d},{name},S{i % 7:03d},{TYPES[i % len(TYPES)]},2024-02-{i % 28 + 1:02d}"


def text_cells(engine) -> list[str]:
    """Every non-empty text cell of every data table."""
    cells = []
    for name in schema.DATA_TABLES:
        columns = [c.name for c in schema.metadata.tables[name].columns if c.type.python_type is str]
        if columns:
            listed = ", ".join(f'"{c}"' for c in columns)
            cells += [str(v) for row in rows(engine, f'SELECT {listed} FROM "{name}"') for v in row if v]
    return cells


def check(engine, report, written: dict[str, str]) -> None:
    """The invariants every generated file must keep; ``written``: activity id → customer as written."""
    assert report.outcome in ("loaded", "refused"), report.text()
    (result,) = report.files
    if report.outcome == "refused":
        assert result.message and not text_cells(engine)  # a refusal writes no data
        return
    assert result.rows_in == len(written) == result.loaded + result.quarantined
    assert scalar(engine, "SELECT count(*) FROM activities") == result.loaded
    assert scalar(engine, "SELECT count(DISTINCT line_no) FROM quarantine") == result.quarantined
    for activity_id, customer in rows(engine, "SELECT activity_id, customer_id FROM activities"):
        assert written[activity_id] == customer  # exactly as written: never mojibake
    assert not any(BOM in cell for cell in text_cells(engine))


# The file: GBK takes the UTF-8 row's bytes without an error (数据专线 → 鏁版嵁涓撶嚎); and a
# GBK row that is valid UTF-8 (卤茅 as UTF-8: ±é) in a UTF-8 file.
@example(
    base="gbk", names=["客户"] * 5 + ["数据专线"] + ["上海浦江"] * 6, other={5}, chosen=False, newline="\r\n"
)
@example(base="utf-8", names=["客户", "卤茅"] + ["上海浦江"] * 4, other={1}, chosen=False, newline="\n")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    base=st.sampled_from(["gbk", "gb18030", "utf-8"]),
    names=st.lists(NAMES, min_size=3, max_size=14),
    other=st.sets(st.integers(0, 13), max_size=5),
    chosen=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_rows_in_another_encoding_are_never_loaded_as_mojibake(
    wh, tmp_path, base, names, other, chosen, newline
):
    reset(wh)
    foreign = "gbk" if base == "utf-8" else "utf-8"
    data = [HEADER.encode(base)]
    data += [line(i, n).encode(foreign if i in other else base) for i, n in enumerate(names)]
    path = tmp_path / "营销活动记录.csv"
    path.write_bytes(newline.encode().join(data) + newline.encode())
    report = load(wh, str(path), overrides={"encoding": base} if chosen else {})
    check(wh, report, {f"A{i:03d}": n for i, n in enumerate(names)})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]),
    names=st.lists(NAMES, min_size=2, max_size=10),
    marks=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 5), st.booleans()), max_size=8),
    chosen=st.booleans(),
)
def test_byte_order_marks_inside_lines_are_never_stored(wh, tmp_path, encoding, names, marks, chosen):
    reset(wh)
    table = [line(i, n).split(",") for i, n in enumerate(names)]
    for row, cell, inside in marks:  # a BOM at the start of a cell (cell 0: of the line), or inside one
        if row < len(table):
            value = table[row][cell]
            at = len(value) // 2 if inside else 0
            table[row][cell] = value[:at] + BOM + value[at:]
    if encoding == "gbk":  # a GBK file with the UTF-8 BOM's bytes where the marks stood
        raw = _gbk_with_boms(table)
    else:
        raw = ("\r\n".join([HEADER, *(",".join(r) for r in table)]) + "\r\n").encode(encoding)
    path = tmp_path / "营销活动记录.csv"
    path.write_bytes(raw)
    report = load(wh, str(path), overrides={"encoding": encoding} if chosen else {})
    check(wh, report, {f"A{i:03d}": n for i, n in enumerate(names)})
    if report.outcome == "loaded":
        assert report.quarantined == 0, report.text()


def _gbk_with_boms(table: list[list[str]]) -> bytes:
    """The rows in GBK, each U+FEFF written as the UTF-8 BOM's bytes (a UTF-8 cell pasted in)."""
    lines = [HEADER.encode("gbk")]
    for row in table:
        cells = [b"\xef\xbb\xbf".join(part.encode("gbk") for part in cell.split(BOM)) for cell in row]
        lines.append(b",".join(cells))
    return b"\r\n".join(lines) + b"\r\n"
