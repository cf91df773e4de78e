"""Lines a file's encoding must not decode as they stand: found in bulk, handled one by one.

A file is not always in one encoding: an analyst pastes a row from a UTF-8
file into a GBK export, or concatenates two exports.  Two kinds of line are
set apart (their records are quarantined by line number, rule_encoding.sql):

* a line the encoding refuses (``第 N 行不是有效的 GBK 编码``);
* in a file of another encoding (GBK, GB18030 …), a line that is valid UTF-8
  holding a character of three bytes or more (Chinese: see _is_utf8_text).
  GBK and GB18030 decode most UTF-8 without any error, to mojibake
  (数据专线 → 鏁版嵁涓撶嚎), so the codec alone never notices.  Genuine GBK
  text is almost never so, so such a line is taken to be UTF-8 and
  quarantined, not loaded: decoding it as UTF-8 instead would store mojibake
  in the rare GBK line that happens to be valid UTF-8, while quarantining only
  asks a person to look.
  It is written
  out decoded as UTF-8, so the report shows it readable.

Finding UTF-8 lines costs no Python loop over lines: :func:`utf8_lines` maps
each byte of a block to a weight with ``bytes.translate`` and sums the weights
per line with numpy (``reduceat`` at the newlines); only a line whose sum a
valid UTF-8 line could have (a handful per block, usually none) is decoded to
make sure.  The newline byte never occurs inside a character of the encodings
this applies to (:func:`line_safe`), so lines are cut on it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import numpy as np

from analytics.loader.messages import say

BOM = codecs.BOM_UTF8
HIGH = 64  # weight every byte >= 0x80 carries on top of its UTF-8 balance (see _weights)
SHORT_LINE = 32767 // 127  # bytes: a line this long sums to at most 32,767 (int16)


def _weights() -> bytes:
    """Per byte, as int8: its UTF-8 balance (continuation -1, lead of n bytes n - 1) + HIGH if >= 0x80.

    A valid UTF-8 line balances to 0, so its sum is HIGH times its count of high
    bytes: a positive multiple of HIGH when it holds a multi-byte character.
    Bytes UTF-8 never uses weigh 127, which breaks the multiple in most lines.
    """
    table = bytearray(256)
    for byte in range(0x80, 0x100):
        if byte <= 0xBF:
            balance = -1
        elif 0xC2 <= byte <= 0xDF:
            balance = 1
        elif 0xE0 <= byte <= 0xEF:
            balance = 2
        elif 0xF0 <= byte <= 0xF4:
            balance = 3
        else:
            table[byte] = 127
            continue
        table[byte] = (HIGH + balance) & 0xFF
    return bytes(table)


WEIGHTS = _weights()


def line_safe(encoding: str) -> bool:
    """True when the byte 0x0A is only ever a newline in ``encoding`` (ASCII-compatible codecs)."""
    try:
        return "\n,".encode(encoding) == b"\n," and not encoding.startswith(("utf-16", "utf-32", "utf-7"))
    except LookupError:
        return False


def utf8_lines(block: bytes | bytearray, size: int | None = None) -> list[tuple[int, int]]:
    """(start, end) byte spans of the lines of ``block[:size]``: valid UTF-8, multi-byte characters.

    ``end`` is just past the line's newline (or ``size``).  Vectorised; only lines whose
    weights add up as a UTF-8 line's would are decoded to make sure.
    """
    size = len(block) if size is None else size
    if not size:
        return []
    data = np.frombuffer(block, np.uint8, count=size)
    weights = np.frombuffer(block.translate(WEIGHTS), np.int8, count=size)
    newlines = np.flatnonzero(data == 10)
    starts = np.empty(len(newlines) + 1, np.intp)
    starts[0], starts[1:] = 0, newlines + 1
    if starts[-1] >= size:
        starts = starts[:-1]
    longest = int(np.diff(starts).max(initial=0)) if len(starts) > 1 else size
    longest = max(longest, size - int(starts[-1]))
    # int16 sums are several times faster, and cannot overflow while every line is short
    sums = np.add.reduceat(weights, starts, dtype=np.int16 if longest <= SHORT_LINE else np.int32)
    found = []
    for index in np.flatnonzero((sums > 0) & (sums % HIGH == 0)):
        start = int(starts[index])
        end = int(starts[index + 1]) if index + 1 < len(starts) else size
        if _is_utf8_text(bytes(block[start:end])):
            found.append((start, end))
    return found


def _is_utf8_text(line: bytes) -> bool:
    """Valid UTF-8 holding a character of three or more bytes (U+0800 up: CJK and the like).

    A GBK line of a few characters with lead bytes C2–DF and trail bytes 80–BF
    is valid two-byte UTF-8 (Latin, Greek, Cyrillic …) often enough (about one
    Chinese character in nine qualifies); a GBK line that is also valid UTF-8 with
    a three-byte character needs several characters to line up, which almost never
    happens.  A UTF-8 line pasted into a Chinese export holds Chinese.
    """
    if line.isascii():
        return False
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _WIDE.search(text) is not None


_WIDE = re.compile("[\u0800-\U0010ffff]")


TWO_BYTE_LEAD = re.compile(rb"[\xc2-\xdf]")
_NOT_TWO_BYTE_LEAD = bytes(range(0xC2)) + bytes(range(0xE0, 0x100))


def has_two_byte_lead(data: bytes) -> bool:
    """Whether ``data`` holds a byte C2–DF (a regular expression search is twenty times slower)."""
    return bool(data.translate(None, _NOT_TWO_BYTE_LEAD))


def gbk_lines(block: bytes) -> list[tuple[int, int]]:
    """(start, end) spans of the lines of a UTF-8 ``block`` that are GBK saved into it.

    GBK text is sometimes valid UTF-8 too: a few Chinese characters whose bytes
    happen to form two-byte UTF-8 sequences (张 → 'Õ', a Latin letter …).  Such a
    line holds two-byte UTF-8 characters only (U+0080–U+07FF, no Chinese as
    UTF-8) and reads as common Chinese in GBK: taken to be GBK.  Chinese UTF-8
    text has no byte C2–DF at all, so only lines holding one are looked at.  A
    line of Latin text only (Café) may be taken for GBK, and is quarantined.
    """
    found: list = []
    position = 0
    if not has_two_byte_lead(block):
        return found
    while (match := TWO_BYTE_LEAD.search(block, position)) is not None:
        start = block.rfind(b"\n", 0, match.start()) + 1
        end = block.find(b"\n", match.start())
        end = len(block) if end < 0 else end + 1
        if _looks_gbk(block[start:end]):
            found.append((start, end))
        position = end
    return found


def _looks_gbk(line: bytes) -> bool:
    try:
        if _WIDE.search(line.decode("utf-8")):
            return False  # Chinese as UTF-8: a UTF-8 line
        chinese = [c for c in line.decode("gbk") if ord(c) >= 0x80]
    except UnicodeDecodeError:
        return False
    return bool(chinese) and all(_gb2312(c) for c in chinese)


def _gb2312(character: str) -> bool:
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def strip_boms(block: bytes) -> tuple[bytes, int]:
    """``block`` without UTF-8 byte order marks, and how many (for files of other encodings).

    In a GBK file the bytes EF BB BF are a UTF-8 BOM (a concatenated export, a cell
    pasted from UTF-8): as GBK they read 锘 and half of the next character.  Should
    they ever be two genuine GBK characters' bytes, removing them breaks that line,
    which then fails to decode and is quarantined: never silently wrong.
    """
    count = block.count(BOM)
    return (block.replace(BOM, b""), count) if count else (block, 0)


class Lines:
    """The special lines of one file, numbered from 1 as in the file; filled block by block."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self.bad: list[tuple[int, str]] = []  # (line number, reason)
        self.undecodable = 0

    def decode(self, block: bytes, first_line: int, check_utf8: bool) -> str:
        """``block`` (whole lines) decoded; refused lines replaced (U+FFFD), lines of the other
        encoding (UTF-8 in a GBK file, GBK in a UTF-8 file) decoded in it, for the report."""
        parts: list[str] = []
        counter = _LineCounter(block, first_line)
        position = 0
        if check_utf8:
            other, spans = "utf-8", utf8_lines(block)
        else:
            other, spans = "gbk", gbk_lines(block) if self.encoding == "utf-8" else []
        for start, end in spans:
            self._stretch(block, position, start, parts, counter)
            self.bad.append((counter.at(start), self._reason_other(other)))
            parts.append(block[start:end].decode(other))
            position = end
        self._stretch(block, position, len(block), parts, counter)
        return "".join(parts)

    def _stretch(self, block: bytes, low: int, high: int, parts: list[str], counter: _LineCounter) -> None:
        """Decode whole lines ``block[low:high]``; each line the codec refuses is set apart."""
        view = memoryview(block)  # slices without copying: a bad line costs what decoding up to it costs
        while low < high:
            try:
                parts.append(str(view[low:high], self.encoding))
                return
            except UnicodeDecodeError as error:
                at = low + error.start
                start = max(block.rfind(b"\n", low, at) + 1, low)
                end = block.find(b"\n", at, high)
                end = high if end < 0 else end + 1
                parts.append(str(view[low:start], self.encoding))
                self.bad.append((counter.at(start), say("decode_line", encoding=self.encoding.upper())))
                self.undecodable += 1
                body = end - 1 if block[end - 1 : end] == b"\n" else end  # a codec may swallow the newline
                parts.append(block[start:body].decode(self.encoding, "replace") + "\n" * (end - body))
                low = end

    def _reason_other(self, other: str) -> str:
        verb = say("decode_verb_is" if other == "utf-8" else "decode_verb_looks")
        return say("decode_line_other", verb=verb, other=other.upper(), encoding=self.encoding.upper())

    def reasons(self) -> tuple[tuple[int, str], ...]:
        return tuple((line, reason.replace("{line}", str(line))) for line, reason in self.bad)


class _LineCounter:
    """Line numbers of byte offsets in one block, counted forward only (offsets come in order)."""

    def __init__(self, block: bytes, first_line: int):
        self.block, self.offset, self.line = block, 0, first_line

    def at(self, offset: int) -> int:
        self.line += self.block.count(b"\n", self.offset, offset)
        self.offset = offset
        return self.line


@dataclass(frozen=True)
class Sample:
    """A sample decoded line by line: its text, and how many of its lines were set apart."""

    text: str
    bad: int
    lines: int
    header_bad: bool

    @property
    def believable(self) -> bool:
        """A few lines of another encoding in a file of this one, not a wrong encoding."""
        return not self.header_bad and self.bad * SAMPLE_BAD_RATIO <= self.lines


SAMPLE_BAD_RATIO = 10  # at most one line in ten set apart, for detection to believe an encoding


def decode_sample_lines(sample: bytes, encoding: str, complete: bool) -> Sample | None:
    """The sample's whole lines decoded as :class:`Lines` does (the cut last line dropped mid-file)."""
    if not line_safe(encoding):
        return None
    body = sample if complete else sample[: sample.rfind(b"\n") + 1]
    if not body:
        return None
    utf8 = encoding.startswith("utf-8")
    lines = Lines("utf-8" if utf8 else encoding)
    text = lines.decode(body[len(BOM) :] if body.startswith(BOM) else body, 1, check_utf8=not utf8)
    count = body.count(b"\n") + (not body.endswith(b"\n"))
    return Sample(text, len(lines.bad), count, bool(lines.bad) and lines.bad[0][0] == 1)
