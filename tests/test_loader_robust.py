"""The loader against hostile or broken input (issue 13, items 3, 7, 10). Both backends.

Zip bombs stop inflating at a limit; corrupt workbooks, damaged zips and
impossible headers are refusals naming the file, recorded in the load history
and the audit log, never a traceback (command line: exit code 1); a bad
``SJGK_*`` number is an error naming the variable; a killed load's work folder
is removed by the next load, and a live one never.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from analytics.cli import main
from analytics.loader import scratch
from analytics.settings import InvalidSettingError, load_settings
from tests import test_loader_pages
from tests.test_loader_helpers import FIXTURES, fresh, load, rows, state
from tests.test_loader_pages import texts

app, page_engine = test_loader_pages.app, test_loader_pages.page_engine  # AppTest as the analyst

TARGETS = "年度,工号,目标金额,备注\n2024,S1,100,好\n2024,S2,200,好\n".encode()


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


# --- crafting damaged archives by hand -------------------------------------------------------


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def patched(data: bytes, *, flags: int = 0, method: int | None = None, size: int | None = None,
            crc_xor: int = 0) -> bytes:  # fmt: skip
    """Rewrite every member's local header and central-directory entry alike.

    Local header: flags @6, method @8, CRC @14, sizes @18/@22; central entry: the same
    fields 2 bytes further on (flags @8, method @10, CRC @16, sizes @20/@24).
    """
    out = bytearray(data)
    for signature, base in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        while at >= 0:
            struct.pack_into("<H", out, at + base, struct.unpack_from("<H", out, at + base)[0] | flags)
            if method is not None:
                struct.pack_into("<H", out, at + base + 2, method)
            crc = struct.unpack_from("<I", out, at + base + 8)[0]
            struct.pack_into("<I", out, at + base + 8, crc ^ crc_xor)
            if size is not None:
                struct.pack_into("<I", out, at + base + 16, size)
            at = out.find(signature, at + 4)
    return bytes(out)


def workbook() -> bytes:
    return (FIXTURES / "budget.xlsx").read_bytes()


def rebuilt_workbook(change) -> bytes:
    """The fixture workbook with each part passed through ``change(name, data)``."""
    source = zipfile.ZipFile(io.BytesIO(workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, change(info.filename, source.read(info)))
    return buffer.getvalue()


def broken_sheet(name: str, data: bytes) -> bytes:
    return data[: len(data) // 2] if name.startswith("xl/worksheets/") else data


BROKEN = {
    "truncated.xlsx": (lambda: workbook()[: len(workbook()) // 2], "无法读取电子表格"),
    "random.xlsx": (lambda: bytes(range(256)) * 20, "无法读取电子表格"),
    "not_a_workbook.xlsx": (lambda: zipped({"hello.txt": b"hi"}), "无法读取电子表格"),
    "broken_sheet.xlsx": (lambda: rebuilt_workbook(broken_sheet), "文件已损坏，或不是 Excel 工作簿"),
    "flipped_part.xlsx": (lambda: patched(workbook(), crc_xor=1), "CRC 校验失败"),
    "long_header.csv": (lambda: b"a," + b"x" * 140_000 + b"\n1,2\n", "超过 131,072 个字符"),
    "bad_crc.zip": (lambda: patched(zipped({"targets.csv": TARGETS}), crc_xor=0xFF), "CRC 校验失败"),
    "lying_size.zip": (lambda: patched(zipped({"targets.csv": TARGETS}), size=10), "大小记录不实"),
    "encrypted.zip": (lambda: patched(zipped({"targets.csv": TARGETS}), flags=0x1), "已加密"),
    "lzma_like.zip": (lambda: patched(zipped({"targets.csv": TARGETS}), method=97), "不支持的压缩方式 97"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_are_refused_in_words_and_recorded(wh, tmp_path, name):
    make, words = BROKEN[name]
    path = tmp_path / name
    path.write_bytes(make())
    before = state(wh)
    report = load(wh, str(path))
    assert report.outcome == "refused", report.text()
    assert state(wh) == before
    assert words in report.files[0].message and name in report.text()
    history = rows(wh, "SELECT file_name, outcome, message FROM load_history")
    assert [(f.split("/")[0], o) for f, o, _ in history] == [(name, "refused")]
    assert words in history[0][2]
    audit = rows(wh, "SELECT detail, success FROM audit_log WHERE action = 'upload'")
    assert len(audit) == 1 and name in audit[0][0] and audit[0][1] is False


@pytest.mark.parametrize("name", ["broken_sheet.xlsx", "bad_crc.zip", "encrypted.zip", "long_header.csv"])
def test_broken_files_exit_1_on_the_command_line_without_a_traceback(wh, tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(BROKEN[name][0]())
    code = main(["load", "--db", wh.url.render_as_string(hide_password=False), str(path)])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err
    assert name in out and BROKEN[name][1] in out


# --- zip bombs: every limit stops the inflating -------------------------------------------------


def limited(**changes):
    return load_settings().with_overrides(**changes)


def test_a_member_inflating_beyond_the_ratio_is_stopped(wh, tmp_path):
    """3 MB of one repeated row compresses about 1000:1; the ratio limit stops it past its first MB."""
    body = TARGETS + "2024,S3,300,好\n".encode() * 200_000
    path = tmp_path / "bomb.zip"
    path.write_bytes(zipped({"targets.csv": body}))
    assert path.stat().st_size < 20_000
    report = load(wh, str(path), settings=limited(max_zip_ratio=50))
    assert report.outcome == "refused"
    assert "压缩比超过 50 倍（设置 max_zip_ratio）" in report.files[0].message


def test_members_together_over_the_total_are_stopped_and_the_rest_not_inflated(wh, tmp_path):
    members = {
        f"t{i}.csv": TARGETS + f"2024,S{i},{i},{os.urandom(300_000).hex()}\n".encode() for i in range(5)
    }
    path = tmp_path / "many.zip"
    path.write_bytes(zipped(members))
    report = load(wh, str(path), settings=limited(max_unzipped_mb=1))
    assert report.outcome == "refused"
    messages = [f.message for f in report.files]
    assert any("总大小超过上限 1 MB（设置 max_unzipped_mb）" in m for m in messages), messages
    assert len(report.files) < len(members)  # inflating stopped at the limit


def test_a_member_over_the_size_limit_is_stopped_while_inflating(tmp_path):
    """The per-member limit holds while inflating too, whatever the header declared."""
    from analytics.loader.sources import Limits, Unsafe, inflate

    path = tmp_path / "big.zip"
    path.write_bytes(zipped({"targets.csv": b"x" * (3 << 20)}))
    limits = Limits(max_bytes=1 << 20, max_unzipped=10 << 20, max_members=10, max_ratio=1e9)
    with zipfile.ZipFile(path) as archive, pytest.raises(Unsafe, match="max_upload_mb") as raised:
        inflate(archive, archive.infolist()[0], io.BytesIO(), limits, 10 << 20)
    assert raised.value.spent <= (2 << 20)


def test_a_zip_with_too_many_members_is_refused_before_inflating(wh, tmp_path):
    path = tmp_path / "crowded.zip"
    path.write_bytes(zipped({f"t{i}.csv": TARGETS for i in range(4)}))
    report = load(wh, str(path), settings=limited(max_zip_members=3))
    assert report.outcome == "refused"
    assert "ZIP 中有 4 个文件，超过上限 3 个（设置 max_zip_members）" in report.files[0].message


def test_a_size_header_claiming_more_than_the_member_holds_is_refused(wh, tmp_path):
    path = tmp_path / "claims_more.zip"
    path.write_bytes(patched(zipped({"targets.csv": TARGETS}), size=100_000))
    report = load(wh, str(path))
    assert report.outcome == "refused"
    assert f"实际解压得到 {len(TARGETS)} 字节（大小记录不实）" in report.files[0].message


def test_an_honest_zip_still_loads(wh, tmp_path):
    path = tmp_path / "ok.zip"
    path.write_bytes(zipped({"targets.csv": TARGETS, "README.txt": b"notes"}))
    report = load(wh, str(path))
    assert report.outcome == "loaded" and report.loaded == 2, report.text()


# --- settings: a number that is not one ------------------------------------------------------


def test_a_non_numeric_setting_is_an_error_naming_the_variable():
    with pytest.raises(InvalidSettingError, match="SJGK_MAX_UPLOAD_MB") as raised:
        load_settings({"SJGK_MAX_UPLOAD_MB": "200MB"})
    assert "'200MB'" in str(raised.value) and "不是整数" in str(raised.value)
    with pytest.raises(InvalidSettingError, match="SJGK_MAX_ZIP_RATIO"):
        load_settings({"SJGK_MAX_ZIP_RATIO": "nan"})


def test_a_non_numeric_setting_exits_1_on_the_command_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("SJGK_MAX_UPLOAD_MB", "abc")
    code = main(["load", "--db", f"duckdb:///{tmp_path / 'w.duckdb'}", str(FIXTURES / "org.csv")])
    err = capsys.readouterr().err
    assert code == 1 and "SJGK_MAX_UPLOAD_MB" in err and "Traceback" not in err


# --- work folders of killed loads ----------------------------------------------------------------


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_next_load_removes_a_dead_loads_folder_and_keeps_a_live_one(wh, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale, live, unowned = (tmp_path / f"{scratch.PREFIX}{n}" for n in ("killed", "running", "legacy"))
    for folder in (stale, live, unowned):
        folder.mkdir()
        (folder / "spill.bin").write_bytes(b"\0" * 4096)
    (stale / scratch.OWNER_FILE).write_text(scratch.owner_record(dead_pid()))
    (live / scratch.OWNER_FILE).write_text(scratch.owner_record(os.getpid()))
    old = os.stat(unowned).st_mtime - 25 * 3600
    os.utime(unowned, (old, old))
    recent = tmp_path / f"{scratch.PREFIX}starting"  # no owner record yet, but new: kept
    recent.mkdir()
    report = load(wh, "org.csv")
    assert report.outcome == "loaded"
    assert not stale.exists() and not unowned.exists()
    assert live.exists() and recent.exists()
    assert sorted(p.name for p in tmp_path.glob(scratch.PREFIX + "*")) == [live.name, recent.name]


def test_a_folder_whose_pid_now_belongs_to_another_process_is_stale(tmp_path):
    folder = tmp_path / f"{scratch.PREFIX}reused"
    folder.mkdir()
    pid, started, host = scratch.owner_record(os.getpid()).split()
    if started == "-":
        pytest.skip("no process start times on this system")
    (folder / scratch.OWNER_FILE).write_text(f"{pid} 1 {host}\n")  # our pid, another start time
    assert scratch.remove_stale(tmp_path, 24) == [folder]


def test_another_hosts_folder_is_judged_by_age_alone(tmp_path):
    """Process ids mean nothing across hosts (a shared temp folder, another container)."""
    folder = tmp_path / f"{scratch.PREFIX}elsewhere"
    folder.mkdir()
    (folder / scratch.OWNER_FILE).write_text(f"{dead_pid()} 1 another-host\n")
    assert scratch.remove_stale(tmp_path, 24) == []
    old = os.stat(folder).st_mtime - 25 * 3600
    os.utime(folder, (old, old))
    assert scratch.remove_stale(tmp_path, 24) == [folder]


def test_a_load_leaves_no_work_folder_behind(wh, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert load(wh, "org.csv").outcome == "loaded"
    assert list(Path(tmp_path).glob(scratch.PREFIX + "*")) == []


# --- the upload page: a readable refusal, never a traceback --------------------------------------


@pytest.mark.parametrize("name", ["broken_sheet.xlsx", "encrypted.zip", "long_header.csv"])
def test_the_upload_page_shows_a_broken_file_as_a_refusal(app, name):
    at = app.run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload_files").set_value((name, BROKEN[name][0](), "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    assert BROKEN[name][1] in texts(at) and name in texts(at)
    assert at.button(key="upload_load").disabled


def test_the_upload_page_names_a_non_numeric_setting(app, monkeypatch):
    monkeypatch.setenv("SJGK_MAX_UPLOAD_MB", "abc")
    at = app.run()
    assert not at.exception, at.exception
    assert "SJGK_MAX_UPLOAD_MB" in texts(at)
