"""The loader's work folder and its own in-process DuckDB, where every file is parsed.

Parsing happens here whatever the warehouse is: DuckDB reads CSV and parses
dates, amounts and codes column-at-a-time, far faster than Python row by row,
and the warehouse is not touched until a batch is known to be loadable.  Each
file of a batch gets a schema of its own (``f0``, ``f1`` …).  Memory is capped
and the work folder takes what spills, so a large export cannot exhaust RAM.

A load killed mid-way (``kill -9``, a stopped container) cannot remove its work
folder — tens of MB of unzipped members, decoded text and spill.  So every work
folder records its owner (process id, start time, host), and each new load first
removes the folders whose owner on this host is gone, and those without such a
record that are older than ``work_folder_stale_hours``.  A folder whose owner
still runs is never touched, whatever its age.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from analytics.loader.sqlfiles import read, statements

MEMORY_LIMIT = "1GB"
PREFIX = "sjgk-load-"
OWNER_FILE = "owner"


def open_scratch(workdir: Path) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB with the parser macros (sql/macros.sql)."""
    spill = workdir / "spill"
    spill.mkdir(exist_ok=True)
    con = duckdb.connect(
        ":memory:",
        config={
            "memory_limit": MEMORY_LIMIT,
            "temp_directory": str(spill),
            "preserve_insertion_order": True,
        },
    )
    for statement in statements(read("macros")):
        con.execute(statement)
    return con


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params=None):
    row = con.execute(sql, params or []).fetchone()
    assert row is not None  # an aggregate returns a row
    return row[0]


@contextmanager
def work_folder(stale_hours: float) -> Iterator[Path]:
    """A batch's work folder, owned by this process; stale ones of dead loads are removed first."""
    base = Path(tempfile.gettempdir())
    remove_stale(base, stale_hours)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=base))
    try:
        (folder / OWNER_FILE).write_text(owner_record(os.getpid()), encoding="ascii")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def owner_record(pid: int) -> str:
    """``pid start host``: the start time tells a live owner from a later process given the same
    id; the host keeps a temp folder shared with another machine or container out of judgement."""
    return f"{pid} {_started(pid) or '-'} {_host()}\n"


def _host() -> str:
    return "".join(ch for ch in socket.gethostname() if ch.isalnum() or ch in ".-_") or "-"


def remove_stale(base: Path, stale_hours: float) -> list[Path]:
    """Remove this user's work folders left by loads that died; returns what was removed."""
    removed = []
    for folder in base.glob(PREFIX + "*"):
        try:
            if folder.is_dir() and folder.stat().st_uid == os.getuid() and _is_stale(folder, stale_hours):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        except OSError:  # gone meanwhile (its owner finished), or not ours to read
            continue
    return removed


def _is_stale(folder: Path, stale_hours: float) -> bool:
    """Dead owner on this host; or no owner record here (older code, a crash before writing it,
    another host's process ids) and old."""
    try:
        pid_text, started, host = (folder / OWNER_FILE).read_text(encoding="ascii").split()[:3]
        pid = int(pid_text)
    except (OSError, ValueError):
        host = None
    if host != _host():
        return time.time() - folder.stat().st_mtime > stale_hours * 3600
    return not _alive(pid, None if started == "-" else started)


def _alive(pid: int, started: str | None) -> bool:
    """The process runs and is the one that wrote the record (same start time, where known)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, and not ours to judge
        return True
    now = _started(pid)
    return started is None or now is None or now == started


def _started(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux /proc), or None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]
