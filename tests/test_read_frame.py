"""Query results as frames (issue 20 item 5): DuckDB's cross as Arrow columns, not row by row,
and the frame is the one the row path builds, dtypes included; PostgreSQL keeps the row path.

The row path (SQLAlchemy rows into pandas) took 12 s of the 20.9 s warm 预测校准 view at a
million opportunities, DuckDB itself 4.3 s.  Both backends: every column type the
metric queries return, with NULLs, all-NULL columns and an empty result."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from analytics import dialect, queries
from analytics.context import Context
from analytics.scope import Scope
from analytics.settings import Settings

TYPED = """
SELECT * FROM (
    SELECT
        CAST(o.stage AS SMALLINT) AS small_int,
        CAST(o.user_count AS INTEGER) AS user_count,
        CAST(7 AS BIGINT) AS big_int,
        CAST(o.annual_value AS DOUBLE PRECISION) AS value_double,
        CAST(o.annual_value AS REAL) AS value_real,
        CAST(o.annual_value AS DECIMAL(18, 2)) AS value_decimal,
        o.opportunity_id,
        o.closed_date,
        o.created_date,
        CAST(o.created_date AS TIMESTAMP) AS created_at,
        o.status = 'won' AS is_won,
        CASE WHEN o.status = 'won' THEN TRUE END AS won_or_null,
        CAST(NULL AS INTEGER) AS no_int,
        CAST(NULL AS VARCHAR(10)) AS no_text,
        CAST(NULL AS DATE) AS no_date
    FROM opportunity_snapshot AS o
    WHERE o.stage >= :lowest
) AS typed
ORDER BY opportunity_id, created_at
"""
SUMMED = (
    "SELECT status, COUNT(*) AS n, SUM(stage) AS stages FROM opportunity_snapshot GROUP BY status ORDER BY 1"
)


def _rows(conn, sql: str, params: dict) -> pd.DataFrame:
    """The row path: SQLAlchemy rows into pandas."""
    result = conn.execute(text(sql), params)
    return dialect.rows_frame(list(result.keys()), result.fetchall())


@pytest.mark.parametrize(
    ("sql", "params"),
    [(TYPED, {"lowest": 0}), (TYPED, {"lowest": 99}), (SUMMED, {})],
    ids=["every type", "empty", "sums"],
)
def test_a_frame_equals_the_row_path_s(tiny_engine, sql, params):
    with tiny_engine.connect() as conn:
        fetched = dialect.read_frame(conn, sql, params)
        expected = _rows(conn, sql, params)
    pd.testing.assert_frame_equal(fetched, expected)
    if params.get("lowest") == 0:
        assert len(fetched) > 10 and fetched["closed_date"].isna().any()


def test_duckdb_fetches_as_arrow_and_other_types_as_rows(tiny_engine, monkeypatch):
    if tiny_engine.dialect.name != "duckdb":
        pytest.skip("PostgreSQL keeps the row path")
    taken = []
    row_path = dialect.rows_frame
    monkeypatch.setattr(dialect, "rows_frame", lambda *a: taken.append(a) or row_path(*a))
    with tiny_engine.connect() as conn:
        dialect.read_frame(conn, TYPED, {"lowest": 0})
        assert taken == [], "a DuckDB result of plain types went through the rows"
        odd = "SELECT CAST(:n AS INTEGER) AS n, INTERVAL 1 DAY AS gap, [1, 2] AS pair"
        frame = dialect.read_frame(conn, odd, {"n": 3})
    assert len(taken) == 1 and frame["pair"].tolist() == [[1, 2]]
    assert frame["gap"].dtype == _rows_of(tiny_engine, odd, {"n": 3})["gap"].dtype


def _rows_of(engine, sql: str, params: dict) -> pd.DataFrame:
    with engine.connect() as conn:
        return _rows(conn, sql, params)


@pytest.mark.parametrize(
    "name", ["snapshot_dates", "pipeline_summary", "forecast_outcomes", "stage_durations"]
)
def test_named_queries_give_the_row_path_s_frames(tiny_engine, monkeypatch, name):
    """run_query (Context.query) through Arrow gives the frame the rows gave, on real queries."""
    from analytics.warehouse import newest_snapshot_date

    ctx = Context(tiny_engine, Scope.company(), Settings(), newest_snapshot_date(tiny_engine))
    fetched = ctx.query(name)
    monkeypatch.setattr(queries, "read_frame", lambda conn, sql, params: _rows(conn, sql, params))
    pd.testing.assert_frame_equal(fetched, ctx.query(name))


def test_duckdb_runs_a_statement_without_tokenising_it_in_python(tiny_engine, monkeypatch):
    """Issue 19: ``raw.sql(query, params=…)`` tokenised and bound a 12,000-character
    statement in Python before running it (about 9 ms of the explorer's 50 ms query at
    1 M); read_frame hands the statement to the engine as it is."""
    if tiny_engine.dialect.name != "duckdb":
        pytest.skip("PostgreSQL keeps the row path")
    import duckdb._relation as relation

    def tokenised(*args, **kwargs):
        raise AssertionError("the statement was tokenised in Python")

    monkeypatch.setattr(relation, "_markers", tokenised)
    with tiny_engine.connect() as conn:
        frame = dialect.read_frame(conn, TYPED, {"lowest": 0})
        assert len(frame) > 10


def test_a_statement_is_compiled_once_and_an_odd_one_fetched_as_rows_after_its_first_run(
    tiny_engine, monkeypatch
):
    """The binds of a statement text are compiled once per process (a page sends the same
    texts on every view), and a result type Arrow cannot convert costs a second run once."""
    if tiny_engine.dialect.name != "duckdb":
        pytest.skip("PostgreSQL keeps the row path")
    compiled = []
    compile_text = dialect.text
    monkeypatch.setattr(dialect, "text", lambda sql: compiled.append(sql) or compile_text(sql))
    odd = "SELECT CAST(:n AS INTEGER) AS n, INTERVAL 1 DAY AS gap -- compiled once"
    sent = []
    submit = dialect._seam.submit
    monkeypatch.setattr(dialect._seam, "submit", lambda *a: sent.append(a[3]) or submit(*a))
    with tiny_engine.connect() as conn:
        first = dialect.read_frame(conn, odd, {"n": 1})
        second = dialect.read_frame(conn, odd, {"n": 2})
    assert compiled == [odd]
    assert sent == ["arrow", "rows", "rows"]
    assert first["n"].tolist() == [1] and second["n"].tolist() == [2]


def test_a_missing_parameter_is_named(tiny_engine):
    with tiny_engine.connect() as conn, pytest.raises(Exception, match="lowest"):
        dialect.read_frame(conn, TYPED, {})
