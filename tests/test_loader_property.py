"""Property: corrupt random cells of a valid file; every row ends in exactly one place.

Whatever the corruption (text, commas, quotes, line breaks inside cells), the
loader must account for every row (in = loaded + quarantined, in the report
and in the warehouse), quarantine only corrupted rows, and store every
untouched row exactly as a clean load would.  Both backends.

Hostile files too (issue 13): corrupt workbooks, zip bombs (a few MB, limits
set low), size headers that lie, bad CRCs, encrypted members and unsupported
compression each get a clear outcome — loaded, unchanged or refused, never an
exception — and a refused batch leaves every table byte-for-byte as it was.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from datetime import date
from decimal import Decimal as D

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.settings import load_settings
from tests.test_loader_helpers import fresh, load, reset, rows, scalar, state


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


# --- hostile files (issue 13, items 3 and 7): every one has a clear outcome, never an exception ---

TARGET_ROWS = [["2024", f"S{i}", str(100 * (i + 1)), "好"] for i in range(6)]
TARGETS_CSV = "年度,工号,目标金额,备注\n" + "".join(",".join(r) + "\n" for r in TARGET_ROWS)
SMALL = {"max_upload_mb": 4, "max_unzipped_mb": 2, "max_zip_members": 8}  # MB: each, all together
OTHER_METHODS = sorted((set(range(20)) | {96, 97, 98, 99}) - {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


def targets_workbook() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("目标")
    for r, row in enumerate([["年度", "工号", "目标金额", "备注"], *TARGET_ROWS]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def rewrite_headers(data: bytes, *, flags: int = 0, method: int | None = None, size: int | None = None,
                    crc_xor: int = 0) -> bytes:  # fmt: skip
    """Every local header and central-directory entry changed alike (field offsets: APPNOTE 4.3.7, 4.3.12)."""
    out = bytearray(data)
    for signature, base in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        while at >= 0:
            struct.pack_into("<H", out, at + base, struct.unpack_from("<H", out, at + base)[0] | flags)
            if method is not None:
                struct.pack_into("<H", out, at + base + 2, method)
            struct.pack_into(
                "<I", out, at + base + 8, struct.unpack_from("<I", out, at + base + 8)[0] ^ crc_xor
            )
            if size is not None:
                struct.pack_into("<I", out, at + base + 16, size)
            at = out.find(signature, at + 4)
    return bytes(out)


WORKBOOK = targets_workbook()


@st.composite
def corrupt_workbooks(draw) -> tuple[str, bytes]:
    data = bytearray(WORKBOOK)
    how = draw(st.sampled_from(["truncate", "flip", "delete", "random", "not_a_workbook", "sheet_xml"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif how == "flip":
        for at in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=6)):
            data[at] ^= draw(st.integers(1, 255))
    elif how == "delete":
        at = draw(st.integers(0, len(data) - 1))
        del data[at : at + draw(st.integers(1, 64))]
    elif how == "random":
        data = bytearray(draw(st.binary(min_size=0, max_size=4096)))
    elif how == "not_a_workbook":
        data = bytearray(zip_of({"xl/hello.xml": b"<a>"}))
    else:  # a valid zip whose sheet XML is cut short
        book = zipfile.ZipFile(io.BytesIO(WORKBOOK))
        parts = {i.filename: book.read(i) for i in book.infolist()}
        sheet = parts["xl/worksheets/sheet1.xml"]
        parts["xl/worksheets/sheet1.xml"] = sheet[: draw(st.integers(1, len(sheet) - 1))]
        data = bytearray(zip_of(parts))
    return "目标.xlsx", bytes(data)


@st.composite
def zip_bombs(draw) -> tuple[str, bytes]:
    """2–4 MB of one repeated row, compressed to a few KB: over the total (2 MB) whatever the ratio
    limit; with honest headers or a lying size."""
    lines = draw(st.integers(150_000, 250_000))
    body = (TARGETS_CSV + "2024,S9,900,好\n" * lines).encode()
    members = {f"目标{i}.csv": body for i in range(draw(st.integers(1, 3)))}
    data = zip_of(members)
    if draw(st.booleans()):
        data = rewrite_headers(data, size=draw(st.integers(0, 1 << 20)))
    return "bomb.zip", data, draw(st.sampled_from([50.0, 1e6]))  # max_zip_ratio: stops first, or never


@st.composite
def damaged_zips(draw) -> tuple[str, bytes]:
    data = zip_of({"目标.csv": TARGETS_CSV.encode()}, draw(st.sampled_from([0, zipfile.ZIP_DEFLATED])))
    how = draw(st.sampled_from(["size", "crc", "encrypted", "method"]))
    if how == "size":
        size = draw(
            st.integers(0, 4 * len(TARGETS_CSV.encode())).filter(lambda n: n != len(TARGETS_CSV.encode()))
        )
        data = rewrite_headers(data, size=size)
    elif how == "crc":
        data = rewrite_headers(data, crc_xor=draw(st.integers(1, 2**32 - 1)))
    elif how == "encrypted":
        data = rewrite_headers(data, flags=0x1)
    else:
        data = rewrite_headers(data, method=draw(st.sampled_from(OTHER_METHODS)))
    return "damaged.zip", data


def seeded(engine) -> None:
    """A warehouse holding rows, so a refusal has something to leave untouched (loaded once per test)."""
    if not scalar(engine, "SELECT count(*) FROM org"):
        assert load(engine, "org.csv", "targets.csv").outcome == "loaded"


def assert_clear_outcome(engine, tmp_path, name: str, data: bytes, **limits) -> None:
    """Loaded, unchanged or refused (in words, recorded, every table byte-for-byte as before)."""
    path = tmp_path / name
    path.write_bytes(data)
    before, history = state(engine), scalar(engine, "SELECT count(*) FROM load_history")
    report = load(engine, str(path), settings=load_settings().with_overrides(**limits))
    assert report.outcome in ("loaded", "unchanged", "refused")
    for result in report.files:
        assert result.rows_in == result.loaded + result.quarantined
    assert scalar(engine, "SELECT count(*) FROM load_history") == history + len(report.files)
    if report.outcome == "refused":
        assert state(engine) == before
        assert all(f.message for f in report.files) and name in report.text()
    for result in report.files:
        if result.outcome == "loaded":
            assert result.quarantined == scalar(
                engine,
                "SELECT count(DISTINCT line_no) FROM quarantine WHERE load_id = :id",
                id=result.load_id,
            )


HOSTILE = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@HOSTILE
@given(case=corrupt_workbooks())
def test_corrupt_workbooks_have_a_clear_outcome(wh, tmp_path, case):
    seeded(wh)
    assert_clear_outcome(wh, tmp_path, *case)


@HOSTILE
@given(case=zip_bombs())
def test_zip_bombs_are_refused_within_the_limits(wh, tmp_path, case):
    seeded(wh)
    before = state(wh)
    name, data, ratio = case
    path = tmp_path / name
    path.write_bytes(data)
    report = load(wh, str(path), settings=load_settings().with_overrides(max_zip_ratio=ratio, **SMALL))
    assert report.outcome == "refused" and state(wh) == before
    assert name in report.text()
    assert any(
        w in f.message for f in report.files for w in ("max_zip_ratio", "max_unzipped_mb", "大小记录不实")
    )


@HOSTILE
@given(case=damaged_zips())
def test_damaged_zips_are_refused_in_words(wh, tmp_path, case):
    seeded(wh)
    before = state(wh)
    name, data = case
    path = tmp_path / name
    path.write_bytes(data)
    report = load(wh, str(path))
    assert report.outcome == "refused" and state(wh) == before
    (result,) = report.files
    assert any(w in result.message for w in ("大小记录不实", "CRC 校验失败", "已加密", "不支持的压缩方式")), (
        result.message
    )
