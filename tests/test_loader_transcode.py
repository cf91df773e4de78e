"""GBK through glibc's iconv (transcode.py): the same text, the same refusals, as Python's codec.

The fast path is only correct if glibc's GBK table agrees with Python's gbk on
everything it accepts: checked here on every one- and two-byte sequence.  The
file-level tests cut files into tiny blocks so that lines cross block edges.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from analytics.loader import transcode
from analytics.loader.decode import DecodeError, decode_file

LIBRARY = transcode._library()
needs_iconv = pytest.mark.skipif(LIBRARY is None, reason="no glibc iconv with a GBK table here")


def _python(data: bytes) -> bytes | None:
    try:
        return data.decode("gbk").encode()
    except UnicodeDecodeError:
        return None


@needs_iconv
def test_every_short_sequence_is_python_or_refused():
    """What iconv's output is trusted for equals Python's; anything else is left to Python."""
    sequences = [bytes([a]) for a in range(256)]
    sequences += [bytes([a, b]) for a in range(0x80, 0x100) for b in range(0x100)]
    agreed = 0
    for sequence in sequences:
        converted = transcode._convert(LIBRARY, bytearray(sequence), len(sequence))
        expected = _python(sequence)
        if converted is None:
            continue  # decode.py then decodes with Python: right by construction
        text = bytes(converted[0])
        assert text == expected, sequence.hex()
        agreed += 1
    assert agreed > 21_000  # every GBK character is taken by the fast path (none left to Python)


def _lines(count: int) -> str:
    names = ["上海浦江证券有限公司", "a,b", "", "申通精密机械 ", "€"[:0] + "华信置业", "东方网络科技　"]
    return "".join(f"OPP{i:06d},{names[i % len(names)]},{i * 7 % 1000}\r\n" for i in range(count))


@needs_iconv
@pytest.mark.parametrize("tail", ["", "末行没有换行"])
def test_blocks_cut_at_newlines_give_python_text(tmp_path: Path, monkeypatch, tail):
    monkeypatch.setattr(transcode, "BLOCK", 64)  # lines cross block edges; one line is longer
    text = "商机编号,名称,金额\r\n" + _lines(500) + "很长的一行" * 40 + "\n" + tail
    source = tmp_path / "gbk.csv"
    source.write_bytes(text.encode("gbk"))
    decoded = decode_file(source, "gbk", tmp_path)
    assert decoded.path.read_bytes() == text.encode()
    assert decoded.newlines == text.count("\n")
    assert decoded.ends_with_newline is (tail == "")
    assert decoded.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    hasher = hashlib.sha256()
    assert transcode.transcode(source, tmp_path / "again.csv", "gbk", hasher) is not None  # the fast path ran
    assert hasher.hexdigest() == decoded.sha256


@pytest.mark.parametrize(
    "bad",
    [
        b"\x80",
        b"\xff\xff",
        b"\x81\x20",
        b"\xc4",
    ],  # €-byte glibc would take, invalid pair, bad trail, cut short
)
def test_a_bad_line_is_set_apart_by_both_paths(tmp_path: Path, monkeypatch, bad):
    """A line GBK refuses is listed for quarantine (issue 13), not a refusal of the whole file."""
    monkeypatch.setattr(transcode, "BLOCK", 64)
    good = ("商机编号,名称\n" + _lines(40)).encode("gbk")
    source = tmp_path / "bad.csv"
    source.write_bytes(good + b"OPP9," + bad + ("\n" if bad != b"\xc4" else "").encode())
    decoded = decode_file(source, "gbk", tmp_path)
    assert decoded.bad_lines == ((42, "第 42 行不是有效的 GBK 编码"),) and decoded.undecodable == 1
    assert decoded.path.read_bytes().startswith(good.decode("gbk").encode() + b"OPP9,\xef\xbf\xbd")
    assert transcode.transcode(source, tmp_path / "out.csv", "gbk") is None
    monkeypatch.setattr("analytics.loader.decode.transcode", lambda *args: None)
    assert decode_file(source, "gbk", tmp_path).bad_lines == decoded.bad_lines


def test_many_bad_lines_refuse_the_encoding(tmp_path: Path):
    source = tmp_path / "bad.csv"
    source.write_bytes(("商机编号,名称\n" + _lines(40)).encode("gbk") + b"OPP9,\xff\xff\n" * 11)
    with pytest.raises(
        DecodeError, match="文件有 11 行不是有效的 GBK 编码（第一处在第 42 行），可能选错了编码"
    ):
        decode_file(source, "gbk", tmp_path)


def test_other_encodings_are_left_to_python(tmp_path: Path):
    source = tmp_path / "gb18030.csv"
    source.write_bytes("䶮,1\n".encode("gb18030"))
    assert transcode.transcode(source, tmp_path / "out.csv", "gb18030") is None
    assert decode_file(source, "gb18030", tmp_path).path.read_text(encoding="utf-8") == "䶮,1\n"
