"""A snapshot holds each opportunity once, on both backends, with or without a PRIMARY KEY.

PostgreSQL declares opportunity_snapshot's key; DuckDB does not (schema.py: its
index cost a sixth of a million-row load), so there the loader keeps it unique
(rule_duplicate, apply_replace) and checks it after writing (apply.check_unique).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import inspect

from analytics.loader import parse, write
from tests.test_loader_helpers import fresh, load, rows, state

REPEATED = """SELECT snapshot_date, opportunity_id FROM opportunity_snapshot
GROUP BY snapshot_date, opportunity_id HAVING count(*) > 1"""


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


def test_the_primary_key_is_declared_on_postgresql_only(wh):
    declared = inspect(wh).get_pk_constraint("opportunity_snapshot")["constrained_columns"]
    expected = ["snapshot_date", "opportunity_id"] if wh.dialect.name == "postgresql" else []
    assert declared == expected


def test_repeated_ids_and_reloaded_snapshots_hold_each_key_once(wh):
    assert load(wh, "opportunities_errors.csv").outcome == "loaded"  # E007 twice: the second quarantined
    assert load(wh, "opportunities_gbk.csv", "opportunities_utf8_bom.csv").outcome == "loaded"
    # The same snapshot again, from other bytes (a byte-identical file changes nothing): replaced.
    assert load(wh, "opportunities_utf8_en.csv").outcome == "loaded"
    assert rows(wh, "SELECT count(*) FROM opportunity_snapshot")[0][0] > 0
    assert rows(wh, REPEATED) == []


def test_a_repeated_key_that_slips_through_fails_the_batch(wh, monkeypatch):
    """Without the duplicate rule the check (DuckDB) or the PRIMARY KEY (PostgreSQL) stops the batch."""
    load(wh, "org.csv")
    before = state(wh)
    real = parse.run_rules

    def without_duplicate_rule(con, schema, kind, *args, **kwargs):
        return real(con, schema, replace(kind, unique=()), *args, **kwargs)

    monkeypatch.setattr(parse, "run_rules", without_duplicate_rule)
    with pytest.raises(write.LoadError, match="整批已回滚"):
        load(wh, "opportunities_errors.csv")
    assert state(wh) == before
    assert rows(wh, REPEATED) == []
