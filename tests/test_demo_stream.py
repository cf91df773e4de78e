"""The demo written one table at a time (issue 20 item 2): the same rows, one transaction.

``python -m analytics demo`` draws each table with ``generate_tables`` and
writes it with ``warehouse.replace_tables`` before the next is drawn, so the
frames are never all held at once (about 2 GB at scale 30).  The frames are
exactly ``generate``'s, and the warehouse ends as ``replace_all`` leaves it.
Both backends.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import text

from analytics import schema
from analytics.demo.generate import TABLES, generate, generate_tables
from analytics.warehouse import replace_all, replace_tables

SEED, AS_OF, SCALE = 20261125, dt.date(2026, 11, 25), 0.05


def test_tables_one_at_a_time_are_generates_frames():
    whole = generate(SEED, AS_OF, SCALE)
    parts: dict[str, list[pd.DataFrame]] = {}
    for name, frame in generate_tables(SEED, AS_OF, SCALE):
        parts.setdefault(name, []).append(frame)
    assert sorted(parts) == sorted(TABLES)
    exports = parts["opportunity_snapshot"]
    assert len(exports) == 12 and all(e["snapshot_date"].nunique() == 1 for e in exports)
    for name, frames in parts.items():
        pd.testing.assert_frame_equal(pd.concat(frames, ignore_index=True), whole[name], check_exact=True)


def _contents(engine) -> dict[str, pd.DataFrame]:
    out = {}
    with engine.connect() as conn:
        for table in schema.DATA_TABLES:
            columns = [c for c in schema.metadata.tables[table].columns.keys() if c != "load_id"]
            order = ", ".join(columns)
            frame = pd.read_sql(text(f"SELECT {order} FROM {table} ORDER BY {order}"), conn)
            out[table] = frame
    return out


def test_written_as_drawn_equals_written_whole(empty_engine):
    engine = empty_engine
    replace_all(engine, generate(SEED, AS_OF, SCALE), loaded_by="demo", label="demo")
    whole = _contents(engine)
    load_id, rows = replace_tables(
        engine, generate_tables(SEED, AS_OF, SCALE), loaded_by="demo", label="demo"
    )
    assert rows == {name: len(whole[name]) for name in TABLES}
    streamed = _contents(engine)
    for table in schema.DATA_TABLES:
        pd.testing.assert_frame_equal(streamed[table], whole[table], check_dtype=False)
    with engine.connect() as conn:
        ids = conn.execute(text("SELECT DISTINCT load_id FROM opportunity_snapshot")).scalars().all()
        history = conn.execute(
            text("SELECT outcome, rows_loaded FROM load_history WHERE load_id = :i"), {"i": load_id}
        )
        assert ids == [load_id]
        assert history.one() == ("demo", sum(rows.values()))


def test_a_failed_table_leaves_the_old_warehouse(empty_engine):
    engine = empty_engine
    replace_all(engine, generate(SEED, AS_OF, SCALE), loaded_by="demo", label="demo")
    before = _contents(engine)["opportunity_snapshot"]

    def broken():
        tables = generate_tables(SEED + 1, AS_OF, SCALE)
        yield next(tables)
        raise RuntimeError("generator failed half-way")

    with pytest.raises(RuntimeError):
        replace_tables(engine, broken(), loaded_by="demo", label="demo")
    pd.testing.assert_frame_equal(_contents(engine)["opportunity_snapshot"], before)


def test_staged_in_slices_equals_written_whole(empty_engine, monkeypatch):
    """DuckDB stages the frames in a file of its own in slices (bounded memory), then copies
    every table in one transaction: the same rows as one frame each (PostgreSQL: direct)."""
    from analytics import warehouse

    engine = empty_engine
    replace_all(engine, generate(SEED, AS_OF, SCALE), loaded_by="demo", label="demo")
    whole = _contents(engine)
    monkeypatch.setattr(warehouse, "STAGING_CHUNK_ROWS", 777)
    replace_tables(engine, generate_tables(SEED, AS_OF, SCALE), loaded_by="demo", label="demo")
    streamed = _contents(engine)
    for table in schema.DATA_TABLES:
        pd.testing.assert_frame_equal(streamed[table], whole[table], check_dtype=False)


def test_activities_in_slices_are_the_whole_table(monkeypatch):
    """The activities' text columns are built a slice at a time (memory at scale 50); every
    draw is made for all rows first, so the slices together are the table drawn whole."""
    from analytics.demo import activity

    whole = generate(SEED, AS_OF, SCALE)["activities"]
    monkeypatch.setattr(activity, "ACTIVITY_SLICE_ROWS", 1000)
    parts = [frame for name, frame in generate_tables(SEED, AS_OF, SCALE) if name == "activities"]
    assert len(parts) == -(-len(whole) // 1000) > 1
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), whole, check_exact=True)
