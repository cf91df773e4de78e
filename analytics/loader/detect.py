"""Guessing a text file's encoding and delimiter, and reading its header line.

Encodings are tried in the order that was right on every sample here: a strict
``utf-8-sig`` decode, then ``gbk``, then ``gb18030``.  A strict decode that
succeeds can still be mojibake (Latin-1 or Big5 bytes often decode as GBK), so
a GBK result must also look like Chinese: nearly all its CJK characters must
be common ones (GB2312).  Whatever is left goes to charset-normalizer, whose
answer is never trusted on its own (it calls short GBK samples Korean): the
file is stopped and the analyst chooses.  DuckDB cannot read GBK, so the
chosen codec is applied in Python (decode.py).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

from analytics.loader.messages import say

SAMPLE_BYTES = 1 << 20
AUTO_CHAIN = ("utf-8", "gbk", "gb18030")
KNOWN = ("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16")
COMMON_SHARE = 0.9  # share of CJK characters that must be common (GB2312) for GBK to be believed
DELIMITERS = (",", "\t", ";", "|")
JUDGED_CHARS = 200_000
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Bytes to delete from a buffer to leave only its newlines and control characters.  In
# UTF-8 (and in GBK, whose trail bytes start at 0x40) those never sit inside a character.
_NOT_NEWLINE_OR_CONTROL = bytes(b for b in range(256) if b != 10 and not _CONTROL.match(chr(b)))


@dataclass(frozen=True)
class Doubt:
    """Why an encoding could not be decided, and what the analyst may choose."""

    reason: str
    candidates: tuple[str, ...]


def canonical(name: str) -> str:
    """Python's codec name for an encoding the analyst typed (``GBK`` → ``gbk``)."""
    try:
        found = codecs.lookup(name.strip()).name
    except LookupError as error:
        raise ValueError(say("detect_unknown", name=name, known="、".join(KNOWN))) from error
    return {"utf_8": "utf-8", "utf-8": "utf-8"}.get(found, found.replace("_", "-"))


def decode_sample(sample: bytes, encoding: str, complete: bool) -> str | None:
    """The sample decoded strictly, or None; an incomplete tail is allowed mid-file."""
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=complete)
    except UnicodeDecodeError:
        return None


def has_bom(sample: bytes) -> str | None:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def looks_chinese(text: str) -> bool:
    """True when the CJK characters of a GBK-decoded text are (nearly) all common ones."""
    counts = Counter(_NON_ASCII.findall(text[:JUDGED_CHARS]))
    total = sum(counts.values())
    if not total:
        return True
    common = sum(n for ch, n in counts.items() if _is_common(ch))
    return common / total >= COMMON_SHARE


def _is_common(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text, 0, JUDGED_CHARS) is not None


def newlines_and_control(data: bytes | bytearray) -> tuple[int, bool]:
    """UTF-8 ``data``'s newline count, and whether it holds a control character: one pass.

    The sample's control characters are judged by :func:`guess`; the whole file's are
    found on the way through decode.py, and the rows holding one are quarantined
    (rule_control).
    """
    low = data.translate(None, _NOT_NEWLINE_OR_CONTROL)
    newlines = low.count(b"\n")
    return newlines, len(low) > newlines


def guess(sample: bytes, complete: bool) -> tuple[str, str] | Doubt:
    """(encoding, decoded sample) for the first codec that fits, or a Doubt."""
    bom = has_bom(sample)
    chain = (bom,) if bom else AUTO_CHAIN
    for encoding in chain:
        text = decode_sample(sample, encoding, complete)
        if text is None:
            continue
        if has_control_characters(text):
            return Doubt(say("detect_control"), candidates(sample))
        if encoding in ("gbk", "gb18030") and not looks_chinese(text):
            return _mostly(sample, chain, complete) or Doubt(
                say("detect_rare", encoding=encoding.upper()), candidates(sample)
            )
        return encoding, text
    return _mostly(sample, chain, complete) or Doubt(say("detect_unsure"), candidates(sample))


def _mostly(sample: bytes, chain: tuple[str, ...], complete: bool) -> tuple[str, str] | None:
    """The codec that decodes all but a few lines of the sample (a row pasted in from a file
    of another encoding, quarantined later: mixed.py), when no codec decodes all of it."""
    from analytics.loader.mixed import decode_sample_lines

    best = None
    for encoding in chain:
        found = decode_sample_lines(sample, encoding, complete)
        if found is None or not found.believable or has_control_characters(found.text):
            continue
        if encoding in ("gbk", "gb18030") and not looks_chinese(found.text):
            continue
        if best is None or found.bad < best[1].bad:
            best = (encoding, found)
    return (best[0], best[1].text) if best else None


def candidates(sample: bytes) -> tuple[str, ...]:
    from charset_normalizer import from_bytes

    found = [m.encoding.replace("_", "-") for m in from_bytes(sample[:65536])][:3]
    ordered = [*found, "gb18030", "utf-8"]
    return tuple(dict.fromkeys(ordered))


class HeaderError(ValueError):
    """A first line that cannot be read as a header row; the message says why, in words."""


def header_fields(text: str) -> tuple[list[str], str]:
    """The header line's cells and the delimiter that splits it best.

    A cell longer than the csv module's field limit (131,072 characters) is no
    header: :class:`HeaderError`, not the module's own error.
    """
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    counts = {d: _count_outside_quotes(first, d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    try:
        row = next(csv.reader(io.StringIO(first), delimiter=delimiter), [])
    except csv.Error as error:
        raise HeaderError(say("detect_header_cell", limit=csv.field_size_limit(), error=error)) from error
    return [cell.strip() for cell in row], delimiter


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count
