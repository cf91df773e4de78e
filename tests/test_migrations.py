"""Schema migrations (issue 14 §4), on DuckDB and PostgreSQL.

A warehouse made by the previous release (git ad034b2: tests/fixtures/previous_release,
its DDL as that release ran it plus rows in every kind of table) is migrated and
keeps every row and value; migrating again does nothing; a migration that fails
half-way leaves the warehouse as it was; and the migrated schema is the one
analytics/schema.py declares, so a column declared without a migration fails here,
named.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, inspect, text
from sqlalchemy.engine import Connection, Engine

from analytics import dialect, migrations, schema
from analytics.cli import main
from analytics.db import ensure_schema, schema_revision
from tests.conftest import drop_engine, new_engine

FIXTURE = Path(__file__).parent / "fixtures" / "previous_release"
# Created by dialect.date_index_on_postgresql_only's DDL event, not declared as Index objects.
PG_ONLY_INDEXES = {
    "ix_cache_opportunity_facts_as_of",
    "ix_cache_stage_thresholds_as_of",
    "ix_cache_backtest_states_as_of",
    "ix_cache_movement_pairs_as_of",
    "ix_cache_movement_trend_as_of",
    "ix_cache_win_rates_as_of",
    "ix_cache_past_win_rates_as_of",
    "ix_cache_past_deal_values_as_of",
    "ix_cache_workload_facts_as_of",
    "ix_cache_calibration_sums_as_of",
    "ix_cache_calibration_deals_as_of",
    "ix_cache_open_deals_as_of",
    "ix_cache_support_open_as_of",
    "ix_cache_forecast_won_sums_as_of",
    "ix_cache_duration_histogram_as_of",
    "ix_cache_book_visits_as_of",
}


def indexes(engine: Engine) -> set[str]:
    """The warehouse's index names (PostgreSQL; duckdb-engine reflects none)."""
    with engine.connect() as conn:
        return set(
            conn.execute(text("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'ix_%'")).scalars()
        )


@pytest.fixture
def warehouse(backend, tmp_path_factory, pg_available):
    """An empty database of its own per test."""
    engine = new_engine(backend, tmp_path_factory, pg_available)
    yield engine
    drop_engine(backend, engine)


def statements(sql: str) -> list[str]:
    """The statements of a fixture file, comment lines left out."""
    parts = ("\n".join(x for x in part.splitlines() if not x.startswith("--")) for part in sql.split(";\n"))
    return [part.strip() for part in parts if part.strip()]


def previous_release(engine: Engine, backend: str, *, keyed: bool = False) -> None:
    """Build the previous release's warehouse with its rows.  ``keyed``: as a DuckDB
    warehouse made before opportunity_snapshot's key went PostgreSQL-only (ecaff1e);
    PostgreSQL's has the key anyway."""
    ddl = (FIXTURE / f"schema_{backend}.sql").read_text(encoding="utf-8")
    if keyed and backend == "duckdb":
        end = "\tload_id BIGINT\n);\n\nCREATE TABLE stage_history"
        assert ddl.count(end) == 1
        ddl = ddl.replace(
            end, end.replace("BIGINT\n", "BIGINT, \n\tPRIMARY KEY (snapshot_date, opportunity_id)\n")
        )
    rows = (FIXTURE / "rows.sql").read_text(encoding="utf-8")
    with engine.begin() as conn:
        for statement in statements(ddl) + statements(rows):
            conn.exec_driver_sql(statement)


def contents(
    engine: Engine, columns: dict[str, list[str]] | None = None
) -> dict[str, tuple[list[str], list]]:
    """Every table's columns and rows (sorted); with ``columns``, just those tables and columns."""
    out = {}
    with engine.connect() as conn:
        held = inspect(conn)
        for table in columns or held.get_table_names():
            names = columns[table] if columns else [c["name"] for c in held.get_columns(table)]
            select = ", ".join(f'"{name}"' for name in names)
            found = conn.exec_driver_sql(f'SELECT {select} FROM "{table}"').fetchall()
            out[table] = (names, sorted((tuple(row) for row in found), key=repr))
    return out


def describe(diff) -> str:
    """One difference alembic found, named by table and column."""
    if isinstance(diff, list):
        return "; ".join(describe(d) for d in diff)
    kind = diff[0]
    if kind in ("add_column", "remove_column"):
        return f"{kind} {diff[2]}.{diff[3].name}"
    if kind in ("add_table", "remove_table"):
        return f"{kind} {diff[1].name}"
    if kind in ("add_index", "remove_index"):
        return f"{kind} {diff[1].name}"
    if kind.startswith("modify_"):
        return f"{kind} {diff[2]}.{diff[3]}: {diff[-2]!r} -> {diff[-1]!r}"
    return repr(diff)


def schema_differences(conn: Connection, metadata: MetaData) -> list[str]:
    """What the warehouse holds that ``metadata`` does not declare, and the reverse:
    tables, columns, types and nullability (alembic's autogenerate comparison).

    DuckDB reports its own type names (VARCHAR without a length, DOUBLE reflected as
    FLOAT), so there a declared type is compared with the type DuckDB makes of it.
    """
    duck = conn.dialect.name == "duckdb"

    def compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type):
        if not duck:
            return None  # alembic's own comparison
        declared = conn.exec_driver_sql(
            f"SELECT typeof(CAST(NULL AS {metadata_type.compile(conn.dialect)}))"
        ).scalar()
        held = conn.execute(
            text(
                "SELECT data_type FROM information_schema.columns WHERE table_name = :t AND column_name = :c"
            ),
            {"t": metadata_column.table.name, "c": metadata_column.name},
        ).scalar()
        return declared != held

    context = MigrationContext.configure(
        conn, opts={"compare_type": compare_type, "include_object": migrations.include_object}
    )
    return [describe(diff) for diff in compare_metadata(context, metadata)]


NO_MIGRATION = (
    "analytics/schema.py declares what no migration makes: add a revision (README, Schema migrations)"
)


def primary_key(engine: Engine, table: str) -> list[str]:
    """The table's primary key columns (duckdb-engine's reflection reports none: DuckDB's catalogue)."""
    with engine.connect() as conn:
        if conn.dialect.name == "duckdb":
            found = conn.execute(
                text(
                    "SELECT constraint_column_names FROM duckdb_constraints() "
                    "WHERE table_name = :t AND constraint_type = 'PRIMARY KEY'"
                ),
                {"t": table},
            ).scalar()
            return list(found or [])
        return inspect(conn).get_pk_constraint(table)["constrained_columns"]


@pytest.mark.filterwarnings("ignore:duckdb-engine doesn't yet support reflection on indices")
def test_the_previous_release_upgrades_without_losing_a_row(warehouse, backend):
    previous_release(warehouse, backend)
    before = contents(warehouse)
    assert len(before["opportunity_snapshot"][1]) == 4 and len(before["forecast_snapshots"][1]) == 3
    assert "alembic_version" not in before and schema_revision(warehouse) is None

    applied = ensure_schema(warehouse)

    assert applied[0] == "r0001" and applied[-1] == migrations.head()
    assert schema_revision(warehouse) == migrations.head()
    assert contents(warehouse, {table: names for table, (names, _) in before.items()}) == before
    with warehouse.connect() as conn:
        # Frozen before freezes carried their load: stamped with the snapshot's load, counted as done.
        frozen = conn.execute(text("SELECT snapshot_date, load_id FROM forecast_snapshots")).fetchall()
        freezes = conn.execute(
            text("SELECT snapshot_date, load_id, row_count FROM forecast_freezes ORDER BY snapshot_date")
        ).fetchall()
        staged = conn.execute(text("SELECT count(*) FROM stg_opportunity_snapshot")).scalar()
        assert schema_differences(conn, schema.metadata) == [], NO_MIGRATION
    june23, june30 = date(2026, 6, 23), date(2026, 6, 30)
    assert sorted(frozen) == [(june23, 1), (june23, 1), (june30, 2)]
    assert [tuple(row) for row in freezes] == [(june23, 1, 2), (june30, 2, 1)]
    assert staged == 4


@pytest.mark.filterwarnings("ignore:duckdb-engine doesn't yet support reflection on indices")
def test_a_fresh_warehouse_is_built_by_the_migrations_as_the_schema_declares(warehouse, backend):
    assert ensure_schema(warehouse)[-1] == migrations.head()
    with warehouse.connect() as conn:
        assert schema_differences(conn, schema.metadata) == [], NO_MIGRATION
    if backend == "postgresql":
        assert indexes(warehouse) == PG_ONLY_INDEXES


@pytest.mark.filterwarnings("ignore:duckdb-engine doesn't yet support reflection on indices")
def test_a_column_declared_without_a_migration_is_named(warehouse):
    """The comparison above fails, naming the column, when schema.py gains one that no
    revision adds (here: a copy of the declared schema with one more column)."""
    ensure_schema(warehouse)
    declared = MetaData()
    for table in schema.metadata.sorted_tables:
        table.to_metadata(declared)
    declared.tables["opportunity_snapshot"].append_column(Column("region", String(32)))
    with warehouse.connect() as conn:
        assert schema_differences(conn, declared) == ["add_column opportunity_snapshot.region"]


def test_migrating_again_changes_nothing(warehouse, backend):
    previous_release(warehouse, backend)
    ensure_schema(warehouse)
    migrated = contents(warehouse)
    assert ensure_schema(warehouse) == []
    assert contents(warehouse) == migrated


def test_a_failing_migration_leaves_the_warehouse_as_it_was(warehouse, backend, monkeypatch):
    """Revision r0003 fails after r0001 and r0002 have created tables and added a column
    in the same transaction: all of it is rolled back, on both backends (DuckDB's DDL
    is transactional too)."""
    previous_release(warehouse, backend)
    before = contents(warehouse)
    reached = []

    def fail(conn, table):
        reached.append(inspect(conn).has_table("forecast_freezes"))  # r0002's table exists by now
        raise RuntimeError("migration failed")

    monkeypatch.setattr(dialect, "holds_unwanted_primary_key", fail)
    with pytest.raises(RuntimeError, match="migration failed"):
        ensure_schema(warehouse)
    assert reached == [True]
    assert contents(warehouse) == before  # no alembic_version, no new table or column, same rows
    monkeypatch.undo()
    assert ensure_schema(warehouse)[-1] == migrations.head()


def test_an_old_duckdb_warehouse_loses_its_snapshot_key(warehouse, backend):
    """DuckDB warehouses made before the key went PostgreSQL-only kept it "until recreated":
    the migration rebuilds the table without it; PostgreSQL keeps its key."""
    previous_release(warehouse, backend, keyed=True)
    key = ["snapshot_date", "opportunity_id"]
    assert primary_key(warehouse, "opportunity_snapshot") == key
    before = contents(warehouse)
    ensure_schema(warehouse)
    assert primary_key(warehouse, "opportunity_snapshot") == ([] if backend == "duckdb" else key)
    assert contents(warehouse, {table: names for table, (names, _) in before.items()}) == before


def test_migrate_command(warehouse, backend, capsys):
    previous_release(warehouse, backend)
    url = warehouse.url.render_as_string(hide_password=False)
    warehouse.dispose()
    assert main(["migrate", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "r0001 → r0002" in out and f"schema revision: {migrations.head()}" in out
    assert main(["migrate", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "migrated" not in out and f"schema revision: {migrations.head()}" in out
