"""GBK to UTF-8 in C on every core: glibc's iconv, through ctypes, in threads.

Python's gbk codec decodes to ``str`` and encodes again, on one core with the
GIL held: about 120 MB/s, the largest single cost of loading a big export.
glibc's iconv converts bytes to bytes about twice as fast, and ctypes releases
the GIL while it runs, so blocks convert on several threads at once.  GBK
keeps no state between characters and none of its trail bytes is below 0x40,
so a block cut after a newline byte starts on a character boundary and
converts on its own; the blocks are written back in order.

Only output identical to Python's strict codec is used.  glibc's GBK table
equals Python's gbk on every one- and two-byte sequence but one, the lone byte
0x80, which glibc reads as € and Python refuses (tests/test_loader_transcode.py
checks the whole table).  So a block that iconv refuses or leaves unfinished,
or whose output holds a € (which Python's gbk never produces), makes
:func:`transcode` return None, and decode.py decodes the file with Python's
codec instead, which sets the offending lines apart.  So does a block holding a
line that is valid UTF-8 with multi-byte characters (GBK decodes it without an
error, to mojibake: mixed.py finds such lines in bulk, on these threads) or a
UTF-8 byte order mark.  The same happens off glibc,
without iconv's GBK module, or when a probe of every GBK character (once per
process) finds a difference.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from pathlib import Path

from analytics.loader.detect import newlines_and_control
from analytics.loader.mixed import BOM, utf8_lines

BLOCK = 8 << 20
WORKERS = max(1, min(4, os.cpu_count() or 1))
EURO = "€".encode()
_FAILED = ctypes.c_size_t(-1).value
_POINTER, _SIZE = ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_size_t)

Block = tuple[bytearray, int]  # the buffer and how many of its bytes are data
Converted = tuple[bytearray, int, bool] | None  # UTF-8 text, its newlines, control characters?


def transcode(source: Path, target: Path, encoding: str, hasher=None) -> tuple[int, bool, bool] | None:
    """Write ``source`` (GBK) to ``target`` as UTF-8, or return None.

    Returns (newlines, ends with a newline, holds control characters).

    None means "not done here": decode with Python's codec (any encoding but
    gbk, no usable iconv, or bytes Python's codec may judge differently).
    ``hasher`` (a hashlib object) is fed the file's bytes on the way, in order,
    while the threads convert (hashlib releases the GIL too).
    """
    library = _library() if encoding == "gbk" else None
    if library is None:
        return None
    state = [0, b"", False]  # newlines, last byte, control characters seen
    pending: deque[Future[Converted]] = deque()
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="sjgk-iconv") as pool, open(target, "wb") as out:
        try:
            for block, size in _blocks(source):
                pending.append(pool.submit(_convert, library, block, size))
                if hasher is not None:
                    hasher.update(memoryview(block)[:size])
                while len(pending) > WORKERS:
                    _write(pending.popleft().result(), out, state)
            while pending:
                _write(pending.popleft().result(), out, state)
        except _Untrusted:
            for future in pending:
                future.cancel()
            return None
    return int(state[0]), state[1] == b"\n", bool(state[2])  # type: ignore[call-overload]


class _Untrusted(Exception):
    """A block Python's codec must judge (refused, unfinished, or holding a €)."""


def _write(converted: Converted, out, state: list) -> None:
    if converted is None:
        raise _Untrusted
    text, newlines, control = converted
    out.write(text)
    state[0] += newlines
    state[1] = bytes(text[-1:]) or state[1]
    state[2] = state[2] or control


def _blocks(source: Path):
    """``(buffer, size)`` pieces of the file, each ending just after a newline byte (but the last)."""
    with open(source, "rb", buffering=0) as handle:
        carry = b""
        while True:
            block = bytearray(BLOCK + len(carry))
            block[: len(carry)] = carry
            got = handle.readinto(memoryview(block)[len(carry) :])
            size = len(carry) + got
            if not got:
                if size:
                    yield block, size
                return
            cut = block.rfind(b"\n", 0, size) + 1
            if not cut:  # no newline yet: a line longer than a block, read on
                carry = bytes(block[:size])
                continue
            carry = bytes(block[cut:size])
            yield block, cut


def _convert(library, block: bytearray, size: int) -> Converted:
    """One block through iconv (the GIL is released meanwhile); None when not trusted."""
    handle = library.iconv_open(b"UTF-8", b"GBK")
    if handle in (None, _FAILED):
        return None
    try:
        out = bytearray(size * 3 // 2 + 16)  # GBK: 1 byte -> 1, 2 bytes -> at most 3
        src = (ctypes.c_char * len(block)).from_buffer(block)
        dst = (ctypes.c_char * len(out)).from_buffer(out)
        in_ptr, in_left = ctypes.c_void_p(ctypes.addressof(src)), ctypes.c_size_t(size)
        out_ptr, out_left = ctypes.c_void_p(ctypes.addressof(dst)), ctypes.c_size_t(len(out))
        done = library.iconv(
            handle, ctypes.byref(in_ptr), ctypes.byref(in_left), ctypes.byref(out_ptr), ctypes.byref(out_left)
        )
        del src, dst  # release the buffers' exports
    finally:
        library.iconv_close(handle)
    del out[len(out) - out_left.value :]
    if done != 0 or in_left.value or EURO in out:
        return None  # refused, unfinished, irreversible, or a € (glibc's reading of 0x80)
    if block.find(BOM, 0, size) >= 0 or BOM in out or utf8_lines(block, size):
        return None  # a line of another encoding or a byte order mark inside: decode.py sets it apart
    return out, *newlines_and_control(out)


@cache
def _library():
    """glibc with iconv, checked against Python's gbk codec on every GBK character; else None."""
    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        library = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        library.iconv_open.restype = ctypes.c_void_p
        library.iconv_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        library.iconv.restype = ctypes.c_size_t
        library.iconv.argtypes = [ctypes.c_void_p, _POINTER, _SIZE, _POINTER, _SIZE]
        library.iconv_close.argtypes = [ctypes.c_void_p]
    except (OSError, AttributeError):
        return None
    probe = bytearray(every_gbk_character())
    converted = _convert(library, probe, len(probe))
    if converted is None or converted[0] != probe.decode("gbk").encode():
        return None
    return library


def every_gbk_character() -> bytes:
    """Every byte sequence Python's gbk codec accepts as one character, concatenated."""
    pairs = (bytes((lead, trail)) for lead in range(0x81, 0xFF) for trail in range(0x40, 0xFF))
    valid = [pair for pair in pairs if _decodes(pair)]
    return bytes(range(0x80)) + b"".join(valid)


def _decodes(pair: bytes) -> bool:
    try:
        return len(pair.decode("gbk")) == 1
    except UnicodeDecodeError:
        return False
