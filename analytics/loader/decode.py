"""Strict, streaming decoding: every line decodes in the file's encoding, or its record is quarantined.

DuckDB reads only UTF-8, so other encodings are transcoded in 4 MB chunks to a
UTF-8 file beside the batch's other work files (memory stays flat for any file
size).  GBK, the usual case and the costliest, goes through glibc's iconv on
several threads (transcode.py) whenever its output is certain to be what
Python's strict codec gives and no line is of another encoding; anything else,
and any file iconv has doubts about, takes Python's codec below.  A UTF-8 file
is validated in the same streaming way and then read in place.  Newlines are
counted on the way through: when the count equals the number of records, every
record is one line and line numbers come for free.

Mojibake never reaches the warehouse (data-contract.md, encoding; issue 13).
Python's path decodes whole lines: a line the codec refuses, or (in a file of
another encoding) a line that is valid UTF-8 with multi-byte characters, is
listed in ``Decoded.bad_lines`` and its record quarantined (mixed.py,
rule_encoding.sql).  When more than a few lines are so (BAD_LINE_SHARE), the
encoding is wrong rather than a few lines: :class:`DecodeError`, and the file
stops with the encodings to choose from.  A byte order mark (U+FEFF) inside the
file — at the start of a line of a concatenated export, or in a cell — is
removed wherever it stands, never stored inside an id; the file's own leading
BOM is the encoding's business.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

from analytics.loader.detect import newlines_and_control
from analytics.loader.messages import say
from analytics.loader.mixed import BOM, Lines, has_two_byte_lead, line_safe, strip_boms
from analytics.loader.transcode import transcode

CHUNK = 4 << 20
BAD_LINE_SHARE = 0.01  # more bad lines than this share of the file (and than the floor): wrong encoding
BAD_LINE_FLOOR = 10
BOM_CHAR = "\ufeff"


class DecodeError(Exception):
    """The file is not valid in the encoding tried (``offset``: the first bad byte, when known)."""

    def __init__(self, encoding: str, offset: int | None = None, message: str | None = None):
        super().__init__(message or say("decode_offset", offset=offset, encoding=encoding.upper()))
        self.encoding = encoding
        self.offset = offset


@dataclass(frozen=True)
class Decoded:
    path: Path  # a UTF-8 file DuckDB can read (the original when it already was UTF-8)
    encoding: str
    newlines: int
    ends_with_newline: bool
    control: bool  # a control character somewhere: its rows are quarantined (rule_control)
    sha256: str  # of the source file's bytes, computed on the way through
    bad_lines: tuple[tuple[int, str], ...] = ()  # (line, reason): their records are quarantined
    undecodable: int = 0  # of bad_lines, those the encoding refused (the others are UTF-8)
    boms_removed: int = 0  # U+FEFF removed inside the file


def decode_file(source: Path, encoding: str, workdir: Path) -> Decoded:
    """Validate (UTF-8) or transcode (anything else) ``source``; see the module docstring."""
    utf8 = encoding in ("utf-8", "utf-8-sig")
    if utf8 and (checked := _validate_in_place(source, encoding)) is not None:
        return checked
    target = workdir / f"{source.stem}.{encoding}.utf8.csv"
    hasher = hashlib.sha256()
    if not utf8 and (fast := transcode(source, target, encoding, hasher)) is not None:
        return Decoded(target, encoding, *fast, hasher.hexdigest())
    if line_safe(encoding):
        return _decode_lines(source, target, encoding)
    return _decode_whole(source, target, encoding)


def _validate_in_place(source: Path, encoding: str) -> Decoded | None:
    """A UTF-8 file read as it is; None when it needs a cleaned copy (a bad line, a BOM inside)."""
    hasher = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    newlines, last, control, tail = 0, "", False, b""
    with open(source, "rb") as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
            seen = tail + chunk if tail else (chunk[len(BOM) :] if chunk.startswith(BOM) else chunk)
            if BOM in seen or has_two_byte_lead(chunk):
                return None  # a BOM inside, or maybe a GBK line (mixed.gbk_lines): decoded line by line
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError:
                return None
            found, odd = newlines_and_control(chunk)
            newlines, control = newlines + found, control or odd
            last, tail = text[-1:] or last, chunk[-2:]
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return Decoded(source, encoding, newlines, last == "\n", control, hasher.hexdigest())


def _line_blocks(source: Path, hasher):
    """The file's bytes in pieces of whole lines (the last may lack its newline)."""
    carry = b""
    with open(source, "rb") as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
            data = carry + chunk
            cut = data.rfind(b"\n") + 1
            if cut:
                carry = data[cut:]
                yield data[:cut]
            else:
                carry = data
    if carry:
        yield carry


def _decode_lines(source: Path, target: Path, encoding: str) -> Decoded:
    """Python's codec, line-aware: bad lines set apart, BOMs inside removed (module docstring)."""
    utf8 = encoding.startswith("utf-8")
    lines, hasher = Lines("utf-8" if utf8 else encoding), hashlib.sha256()
    newlines, control, last, removed = 0, False, "", 0
    with open(target, "wb") as out:
        for index, block in enumerate(_line_blocks(source, hasher)):
            if index == 0 and block.startswith(BOM):
                block = block[len(BOM) :]  # the file's own BOM
            if not utf8:
                block, stripped = strip_boms(block)
                removed += stripped
            text = lines.decode(block, newlines + 1, check_utf8=not utf8)
            if BOM_CHAR in text:
                removed += text.count(BOM_CHAR)
                text = text.replace(BOM_CHAR, "")
            data = text.encode("utf-8")
            out.write(data)
            found, odd = newlines_and_control(data)
            newlines, control, last = newlines + found, control or odd, text[-1:] or last
            _check_bad_lines(lines, newlines, final=False)
    _check_bad_lines(lines, newlines + (last != "\n"), final=True)
    return Decoded(
        target, encoding, newlines, last == "\n", control, hasher.hexdigest(),
        lines.reasons(), lines.undecodable, removed,
    )  # fmt: skip


def _check_bad_lines(lines: Lines, total: int, final: bool) -> None:
    """Stop when the bad lines say the encoding is wrong, or when the header line is bad."""
    name = lines.encoding.upper()
    if lines.bad and lines.bad[0][0] == 1:
        raise DecodeError(lines.encoding, message=say("decode_header", encoding=name))
    floor = BAD_LINE_FLOOR if final else BAD_LINE_FLOOR * 100  # mid-file: stop early when clearly wrong
    if len(lines.bad) > floor and len(lines.bad) > BAD_LINE_SHARE * total:
        first = lines.bad[0][0]
        count = f"{len(lines.bad):,}" if final else say("decode_at_least", count=len(lines.bad))
        raise DecodeError(
            lines.encoding,
            message=say("decode_many", count=count, encoding=name, first=first),
        )


def _decode_whole(source: Path, target: Path, encoding: str) -> Decoded:
    """Encodings whose newline is not one byte (UTF-16): the whole file strictly, first bad byte named."""
    hasher = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    newlines, offset, last, control, removed = 0, 0, "", False, 0
    with open(source, "rb") as handle, open(target, "wb") as out:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise DecodeError(encoding, offset + error.start) from error
            if BOM_CHAR in text:
                removed += text.count(BOM_CHAR) - (offset == 0 and text.startswith(BOM_CHAR))
                text = text.replace(BOM_CHAR, "")
            data = text.encode("utf-8")
            out.write(data)
            found, odd = newlines_and_control(data)
            newlines, control = newlines + found, control or odd
            offset += len(chunk)
            last = text[-1:] or last
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise DecodeError(encoding, offset) from error
    return Decoded(
        target, encoding, newlines, last == "\n", control, hasher.hexdigest(), boms_removed=removed
    )
