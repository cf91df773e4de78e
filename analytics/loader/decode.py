"""Strict, streaming decoding: the whole file must decode, or nothing is loaded.

DuckDB reads only UTF-8, so other encodings are transcoded in 4 MB chunks to a
UTF-8 file beside the batch's other work files (memory stays flat for any file
size).  A UTF-8 file is validated in the same streaming way and then read in
place.  Newlines are counted on the way through: when the count equals the
number of records, every record is one line and line numbers come for free.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

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


def decode_file(source: Path, encoding: str, workdir: Path) -> Decoded:
    """Validate (UTF-8) or transcode (anything else) ``source`` strictly."""
    in_place = encoding in ("utf-8", "utf-8-sig")
    target = source if in_place else workdir / f"{source.stem}.utf8.csv"
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    newlines, offset, last = 0, 0, ""
    out = None if in_place else open(target, "wb")
    try:
        with open(source, "rb") as handle:
            while chunk := handle.read(CHUNK):
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    raise DecodeError(encoding, offset + error.start) from error
                if out is not None:
                    out.write(text.encode("utf-8"))
                newlines += text.count("\n")
                offset += len(chunk)
                last = text[-1:] or last
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as error:
                raise DecodeError(encoding, offset) from error
    finally:
        if out is not None:
            out.close()
    return Decoded(target, encoding, newlines, last == "\n")
