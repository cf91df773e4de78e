"""Strict, streaming decoding: the whole file must decode, or nothing is loaded.

DuckDB reads only UTF-8, so other encodings are transcoded in 4 MB chunks to a
UTF-8 file beside the batch's other work files (memory stays flat for any file
size).  GBK, the usual case and the costliest, goes through glibc's iconv on
several threads (transcode.py) whenever its output is certain to be what
Python's strict codec gives; anything else, and any file iconv has doubts
about, takes the Python codec below, which names the first bad byte.  A UTF-8
file is validated in the same streaming way and then read in place.  Newlines
are counted on the way through: when the count equals the number of records,
every record is one line and line numbers come for free.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

from analytics.loader.detect import newlines_and_control
from analytics.loader.transcode import transcode

CHUNK = 4 << 20


class DecodeError(Exception):
    """The file is not valid in the encoding tried; ``offset`` is the bad byte."""

    def __init__(self, encoding: str, offset: int):
        super().__init__(f"文件在第 {offset:,} 字节处不是有效的 {encoding.upper()} 编码")
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


def decode_file(source: Path, encoding: str, workdir: Path) -> Decoded:
    """Validate (UTF-8) or transcode (anything else) ``source`` strictly."""
    in_place = encoding in ("utf-8", "utf-8-sig")
    target = source if in_place else workdir / f"{source.stem}.utf8.csv"
    hasher = hashlib.sha256()
    if not in_place and (fast := transcode(source, target, encoding, hasher)) is not None:
        return Decoded(target, encoding, *fast, hasher.hexdigest())
    hasher = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    newlines, offset, last, control = 0, 0, "", False
    out = None if in_place else open(target, "wb")
    try:
        with open(source, "rb") as handle:
            while chunk := handle.read(CHUNK):
                hasher.update(chunk)
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    raise DecodeError(encoding, offset + error.start) from error
                utf8 = chunk if out is None else text.encode("utf-8")
                if out is not None:
                    out.write(utf8)
                found, odd = newlines_and_control(utf8)
                newlines, control = newlines + found, control or odd
                offset += len(chunk)
                last = text[-1:] or last
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as error:
                raise DecodeError(encoding, offset) from error
    finally:
        if out is not None:
            out.close()
    return Decoded(target, encoding, newlines, last == "\n", control, hasher.hexdigest())
