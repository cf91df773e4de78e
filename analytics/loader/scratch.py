"""The loader's own in-process DuckDB, where every file is parsed.

Parsing happens here whatever the warehouse is: DuckDB reads CSV and parses
dates, amounts and codes column-at-a-time, far faster than Python row by row,
and the warehouse is not touched until a batch is known to be loadable.  Each
file of a batch gets a schema of its own (``f0``, ``f1`` …).  Memory is capped
and the work folder takes what spills, so a large export cannot exhaust RAM.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.loader.sqlfiles import read, statements

MEMORY_LIMIT = "1GB"


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
    return con.execute(sql, params or []).fetchone()[0]
