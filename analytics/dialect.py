"""Every difference between DuckDB and PostgreSQL, in one place.

Metric SQL is written in the subset both engines (and Postgres-compatible
distributed engines such as Citus) accept.  What cannot be shared (bulk
loading, file locking errors, savepoints, the DDL only PostgreSQL gets) lives
here, selected by the engine's dialect name, so no other code ever asks which
database it is on.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from alembic.ddl.impl import DefaultImpl
from duckdb import _seam
from sqlalchemy import DDL, Table, event, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError

from analytics.sqlnames import quote_identifier


def dialect_name(conn: Connection) -> str:
    """'duckdb' or 'postgresql'."""
    return conn.dialect.name


def _driver_connection(conn: Connection) -> Any:
    """The driver's own connection under ``conn`` (duckdb's or psycopg's), for bulk paths."""
    raw = conn.connection.driver_connection
    if raw is None:
        raise RuntimeError("the connection is closed")
    return raw


# DuckDB column types whose Arrow form converts to the frame the row path builds
# (ints widened to int64, FLOAT to float64, all-null columns as None objects, see
# _like_rows); a result with any other type is fetched as rows.
_ARROW_TYPES = frozenset(
    "BOOLEAN TINYINT SMALLINT INTEGER BIGINT HUGEINT UTINYINT USMALLINT UINTEGER "
    "FLOAT DOUBLE VARCHAR DATE TIMESTAMP NULL".split()
)


def read_frame(conn: Connection, sql: str, params: dict) -> pd.DataFrame:
    """The result of a parameterised SELECT as a DataFrame, the same frame on both backends.

    On DuckDB the rows cross as Arrow columns: a result of 220,000 rows went
    through SQLAlchemy one Row at a time in longer than DuckDB took to compute it
    (issue 20).  The frame equals the row path's, dtypes included (pandas infers
    them from the Python values: int64, float64 with NaN for a NULL in a number
    column, dates and decimals as objects, str); PostgreSQL takes the row path.
    """
    if dialect_name(conn) == "duckdb":
        statement, names = _numbered(sql, conn.dialect)
        missing = [name for name in names if name not in params]
        if missing:
            raise KeyError(f"no value for the parameter(s) {', '.join(missing)}")
        return _duckdb_read(_driver_connection(conn), statement, [params[name] for name in names])
    result = conn.execute(text(sql), params)
    return rows_frame(list(result.keys()), result.fetchall())


@functools.lru_cache(maxsize=512)
def _numbered(sql: str, dialect: Any) -> tuple[str, tuple[str, ...]]:
    """``sql`` with its ``:name`` binds as DuckDB's ``$1, $2…`` and the names in that order.

    SQLAlchemy's own compiler, so a bind reads as it does in ``conn.execute(text(sql))``
    (``::`` casts, escaped colons); compiled once per statement text: a page sends the
    same few texts on every view, and compiling a 12,000-character statement took
    milliseconds of a 50 ms query at 1 M (issue 19).
    """
    compiled = text(sql).compile(dialect=dialect)
    return compiled.string, tuple(compiled.positiontup or ())


_ROWS_ONLY: set[str] = set()
"""Statements whose results hold a type Arrow does not convert like the rows (see
_ARROW_TYPES): fetched as rows from their second run on, not run twice each time."""


def _duckdb_read(raw: Any, statement: str, values: list) -> pd.DataFrame:
    """One run of ``statement`` on the DuckDB connection ``raw``, as a frame.

    Through DuckDB's own engine call (``duckdb._seam.submit``, what its relations'
    ``to_arrow_table`` runs), not ``raw.sql(…)``: that public path tokenises and binds
    the statement in Python before running it (about 9 ms of a 50 ms explorer query
    at 1 M, issue 19), and ``raw.execute`` + ``to_arrow_table`` copies every row once
    more (a fifth slower on 200,000 rows).  A result with a type outside _ARROW_TYPES
    is fetched again as rows (a SELECT: running it twice changes nothing).
    """
    if statement not in _ROWS_ONLY:
        result = _seam.submit(raw, statement, values, "arrow")
        if not result.description:  # not a SELECT after all: no rows
            return pd.DataFrame()
        kinds = [str(column[1]) for column in result.description]
        if all(_arrow_converts(kind) for kind in kinds):
            names = [column[0] for column in result.description]
            return _arrow_frame(result.arrow_table(), names, kinds)
        result.close()
        _ROWS_ONLY.add(statement)
    result = _seam.submit(raw, statement, values, "rows")
    return rows_frame([column[0] for column in result.description], result.fetchall())


def _arrow_converts(kind: str) -> bool:
    """True when an Arrow column of this DuckDB type converts to what the rows give."""
    return kind.startswith("DECIMAL(") or kind.strip('"') in _ARROW_TYPES


def rows_frame(columns: list[str], rows) -> pd.DataFrame:
    """A frame of result rows; plain tuples, because pandas probes every SQLAlchemy Row
    for attributes, which cost more than the query itself on small results."""
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)


def _arrow_frame(table: pa.Table, names: list[str], kinds: list[str]) -> pd.DataFrame:
    """An Arrow result as the frame the row path builds (column names may repeat)."""
    if table.num_rows == 0:
        return pd.DataFrame([], columns=names)
    parts = [_like_rows(column, kind) for column, kind in zip(table.columns, kinds, strict=True)]
    frame = pa.table(parts, names=[f"c{i}" for i in range(len(parts))]).to_pandas()
    for index, column in enumerate(parts):
        if column.null_count == len(column):  # the row path holds None in an object column
            frame[f"c{index}"] = pd.Series([None] * len(frame), dtype=object)
    frame.columns = names
    return frame


def _like_rows(column: Any, kind: str) -> Any:
    """An Arrow column cast to what pandas infers from its Python values: int64 for every
    integer (HUGEINT arrives as a DECIMAL(38,0) of whole numbers), float64 for FLOAT."""
    if kind in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER"):
        return column.cast(pa.int64())
    if kind == "FLOAT":
        return column.cast(pa.float64())
    return column


def database_file(url: URL) -> str | None:
    """The file an embedded (DuckDB) warehouse URL names, or None (a server, or in memory)."""
    if url.get_backend_name() == "duckdb" and url.database not in (None, "", ":memory:"):
        return url.database
    return None


def bulk_insert(conn: Connection, table: str, frame: pd.DataFrame) -> int:
    """Append a DataFrame to a table in bulk, inside the caller's transaction.

    DuckDB scans the registered frame directly; PostgreSQL receives CSV through
    COPY.  Row-by-row INSERTs would take minutes at warehouse scale.
    """
    if frame.empty:
        return 0
    columns = ", ".join(quote_identifier(c) for c in frame.columns)
    target = quote_identifier(table)
    if dialect_name(conn) == "duckdb":
        raw = _driver_connection(conn)
        raw.complete()  # DuckDB 2.0 refuses new work while an earlier result is unread
        view = "bulk_frame_src"
        raw.register(view, frame)
        try:
            conn.exec_driver_sql(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {view}")
        finally:
            raw.unregister(view)
        return len(frame)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False, date_format="%Y-%m-%d %H:%M:%S")
    raw = _driver_connection(conn)
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {target} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())
    return len(frame)


ARROW_BATCH_ROWS = 1_000_000  # bigger batches measured faster; one batch of a wide kind is ~220 MB
COPY_CHUNK = 4 << 20


def copy_from_duckdb(conn: Connection, source, select: str, target: str, names: str, workdir: Path) -> None:
    """Copy the rows of ``select``, run on the DuckDB connection ``source``, into ``target``.

    For the loader: its scratch DuckDB holds the parsed rows.  A DuckDB warehouse
    scans them as an Arrow stream (string views and batches of a million rows
    both measured faster than the defaults); PostgreSQL receives a CSV written
    by DuckDB through ``COPY … FROM STDIN``.  Both run inside the caller's
    transaction.  ``select`` and ``names`` (the target's column list) are built
    from quoted identifiers by the caller; ``workdir`` is the batch's own work
    folder.
    """
    table = quote_identifier(target)
    source.complete()  # DuckDB 2.0: finish the source connection's last result first
    raw = _driver_connection(conn)
    if dialect_name(conn) == "duckdb":
        raw.complete()  # DuckDB 2.0 refuses new work while an earlier result is unread
        view = "loader_stream"
        source.execute("SET produce_arrow_string_view = true")
        raw.register(view, source.sql(select).to_arrow_reader(ARROW_BATCH_ROWS))
        try:
            conn.exec_driver_sql(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}")
        finally:
            raw.unregister(view)
        return
    path = workdir / f"copy_{target}.csv"
    literal = str(path).replace("'", "''")  # COPY TO takes no parameter; our own folder
    source.execute(f"COPY ({select}) TO '{literal}' (FORMAT csv, HEADER false)")
    with raw.cursor() as cursor, open(path, "rb") as handle:
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
            while chunk := handle.read(COPY_CHUNK):
                copy.write(chunk)
    path.unlink()


def is_locked_error(error: BaseException) -> bool:
    """True when a DuckDB file is held by another process (e.g. the running dashboard)."""
    text = str(error)
    return "Could not set lock" in text or "Conflicting lock" in text


def serialise_derived_builds(conn: Connection) -> None:
    """Hold a transaction-scoped lock while derived tables are rebuilt.

    On PostgreSQL several dashboard processes may share the server, so an
    advisory lock makes the second builder wait and then find the work done.
    A DuckDB file has one writing process; analytics/derived.py's thread lock
    serialises its threads, so there is nothing to do here.
    """
    if dialect_name(conn) == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7236014)")


def after_derived_build(conn: Connection, table: str) -> None:
    """Refresh the planner's statistics after a derived table was rebuilt in bulk.

    PostgreSQL plans from statistics that autovacuum updates later; a query run
    right after a build of a million rows would be planned for an empty table.
    DuckDB keeps its statistics as it writes.
    """
    if dialect_name(conn) == "postgresql":
        conn.exec_driver_sql(f"ANALYZE {quote_identifier(table)}")


def checkpoints(engine: Engine) -> bool:
    """Whether :func:`settle_derived_builds` has anything to do on this warehouse (DuckDB)."""
    return engine.dialect.name == "duckdb"


def stages_rebuilds(engine: Engine) -> bool:
    """Whether a whole-warehouse rebuild (the demo) is staged in a file of its own first.

    DuckDB keeps the rows that many statements of one transaction append in memory
    until the commit, whatever ``memory_limit`` says (2.2 GB at demo scale 30);
    one ``INSERT … SELECT`` per table from a staging file writes as it goes.
    PostgreSQL holds a transaction's rows on the server.
    """
    return engine.dialect.name == "duckdb"


def limit_memory(engine: Engine, megabytes: int) -> None:
    """Cap the memory DuckDB's buffers take in this process (a big write or build then
    spills to disk instead of growing); PostgreSQL's memory is the server's, untouched.

    The demo command (issue 20 item 2): DuckDB's default is 80% of the machine, and
    after the write the derived builds and freezes took 2.1 GB at scale 10.
    """
    if engine.dialect.name == "duckdb":
        with engine.connect() as conn:
            conn.exec_driver_sql(f"SET memory_limit = '{int(megabytes)}MB'")


def settle_derived_builds(engine: Engine) -> None:
    """Write freshly built derived tables into DuckDB's compressed storage at once.

    Until a checkpoint, the rows of a large build are read in the form they were
    written in: measured at a million opportunities, the stage-duration query took
    about 250 ms in the process that built the tables and 90 ms after a
    CHECKPOINT.  Best effort: a checkpoint that another writer holds up is left to
    DuckDB's own (the data is correct either way).  PostgreSQL needs nothing here.
    """
    if not checkpoints(engine):
        return
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("CHECKPOINT")
    except DBAPIError:
        pass


def has_savepoints(conn: Connection) -> bool:
    """Whether a failed insert can be retried inside the caller's transaction (a SAVEPOINT).

    PostgreSQL has them, and needs them: several processes may write one
    server.  DuckDB has none and needs none: a DuckDB file has one writing process.
    """
    return dialect_name(conn) == "postgresql"


def primary_key_on_postgresql_only(table: Table) -> None:
    """Create ``table``'s declared primary key on PostgreSQL only.

    On DuckDB the index behind it (an ART over every snapshot ever loaded) cost
    about 1.5 s of each million-row load and is never used to read; the loader
    keeps the key unique instead (analytics/loader/apply.py, check_unique).  The
    columns stay NOT NULL and the key stays declared for SQLAlchemy on both backends.
    """
    table.primary_key.ddl_if(dialect="postgresql")


def date_index_on_postgresql_only(table: Table, column: str) -> None:
    """Index ``table`` on its date ``column`` when created on PostgreSQL.

    PostgreSQL reads a per-date derived table through an index on its date;
    DuckDB skips blocks by their min/max and would only pay for an index on every build.
    """
    ddl = DDL(f"CREATE INDEX ix_{table.name}_{column} ON {table.name} ({column})")
    event.listen(table, "after_create", ddl.execute_if(dialect="postgresql"))


class DuckDBImpl(DefaultImpl):
    """Alembic's DDL for DuckDB (analytics/migrations): the generic SQL, which DuckDB accepts.

    Alembic picks an implementation by dialect name and ships none for duckdb-engine;
    defining this subclass registers it.  DuckDB runs DDL inside a transaction and
    rolls it back with the rest, so a failed migration leaves the warehouse as it was.
    """

    __dialect__ = "duckdb"
    transactional_ddl = True


def serialise_migrations(conn: Connection) -> None:
    """Hold a transaction-scoped lock while the schema is migrated.

    Several dashboard processes may start at once against one PostgreSQL server:
    the second waits, then finds the warehouse at the newest revision.  A DuckDB
    file has one writing process (db.py's lock serialises its threads).
    """
    if dialect_name(conn) == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7236015)")


def holds_unwanted_primary_key(conn: Connection, table: str) -> bool:
    """Whether ``table`` has a primary key that :func:`primary_key_on_postgresql_only` would not create.

    A DuckDB warehouse created before the key was dropped there keeps it until the
    table is rebuilt (analytics/migrations, revision r0003).
    """
    if dialect_name(conn) == "postgresql":
        return False
    # duckdb-engine's reflection reports no primary keys: ask DuckDB's catalogue.
    found = conn.execute(
        text(
            "SELECT count(*) FROM duckdb_constraints() "
            "WHERE table_name = :t AND constraint_type = 'PRIMARY KEY'"
        ),
        {"t": table},
    )
    return bool(found.scalar())
