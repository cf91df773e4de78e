"""The open deals and open support requests as derived tables (issue 19): cache_open_deals and
cache_support_open, built once per data version, as_of and settings, give the key deals, the
problem list, the problem groups and the two support lists exactly what the open_deals and
support_open fragments compute from scratch, for the company, a branch, a team, a manager and
the sidebar's filters on single deals. Demo data, both backends."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select

from analytics import queries, schema
from analytics.context import Context
from analytics.derived import MODELS, refresh_newest, tables_for
from analytics.scope import Filters, Scope
from analytics.settings import Settings

CACHED = {"open_deals_cached": "open_deals", "support_open_cached": "support_open"}
READERS = {
    "workload_key_deals": "cache_open_deals",
    "problem_opportunities": "cache_open_deals",
    "problem_groups": "cache_open_deals",
    "pipeline_summary": "cache_open_deals",
    "workload_support_waiting": "cache_support_open",
    "support_on_closed_deals": "cache_support_open",
}


def _from_scratch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The readers on the fragments themselves, as if there were no derived tables."""
    original = queries.read_sql

    def live(name: str) -> str:
        text = original(name)
        for cached, fragment in CACHED.items():
            text = text.replace(f"include {cached} ", f"include {fragment} ") if name in READERS else text
        return text

    monkeypatch.setattr(queries, "read_sql", live)


def _busiest(warehouse: dict) -> dict:
    """The branch, team and manager with the most open deals at as_of (so each holds key deals)."""
    facts = schema.cache_opportunity_facts
    ctx = Context(warehouse["engine"], Scope.company(), Settings(), warehouse["as_of"], Filters())
    ctx.query("workload_key_deals")  # builds the facts for as_of
    with warehouse["engine"].connect() as conn:
        rows = conn.execute(
            select(facts.c.branch, facts.c.team, facts.c.owner_id, facts.c.product).where(
                facts.c.as_of == warehouse["as_of"], facts.c.status == "open"
            )
        ).all()
    frame = pd.DataFrame(rows, columns=["branch", "team", "owner_id", "product"])
    top = {c: frame[c].value_counts().index[0] for c in ("branch", "owner_id", "product")}
    team = frame.groupby(["branch", "team"]).size().idxmax()
    return {**top, "team": team}


QUESTIONS = {
    "company": lambda b: (Scope.company(), Filters()),
    "branch": lambda b: (Scope.of_branch(b["branch"]), Filters()),
    "team": lambda b: (Scope.of_team(*b["team"]), Filters()),
    "manager": lambda b: (Scope.of_owner(b["owner_id"]), Filters()),
    "filters": lambda b: (Scope.company(), Filters(products=(b["product"],), start=date(2025, 1, 1))),
    "class": lambda b: (
        Scope.of_branch(b["branch"]),
        Filters(classes=("important", "ordinary_1", "ordinary_2")),
    ),
}


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_the_open_deals_table_gives_what_the_fragment_gives(demo_warehouse, monkeypatch, question):
    scope, filters = QUESTIONS[question](_busiest(demo_warehouse))
    ctx = Context(demo_warehouse["engine"], scope, Settings(), demo_warehouse["as_of"], filters)
    params = {"problem_opportunities": {"row_limit": None}}
    cached = {name: ctx.query(name, **params.get(name, {})) for name in READERS}
    sizes = {}
    with monkeypatch.context() as patch:
        _from_scratch(patch)
        for name in READERS:
            live = ctx.query(name, **params.get(name, {}))
            sizes[name] = len(live)
            if name == "workload_key_deals" and question == "company":
                assert live["p_win"].gt(0).any() and live["support_open"].gt(0).any()
            pd.testing.assert_frame_equal(cached[name], live, check_dtype=False, rtol=1e-12, obj=name)
    assert (min(sizes.values()) if question == "company" else sum(sizes.values())) > 0, sizes


def test_the_readers_read_the_table_and_a_load_builds_it(demo_warehouse):
    for name, table in READERS.items():
        assert table in tables_for(name), name
        assert MODELS[table].per_as_of
    engine, newest = demo_warehouse["engine"], None
    refresh_newest(engine, Settings())  # what a load runs after its commit
    registry, table = schema.cache_registry, schema.cache_open_deals
    with engine.connect() as conn:
        newest = conn.execute(
            select(schema.snapshots.c.snapshot_date).order_by(schema.snapshots.c.snapshot_date.desc())
        ).scalar()
        built = (
            conn.execute(select(registry.c.as_of).where(registry.c.model == "cache_open_deals"))
            .scalars()
            .all()
        )
        statuses = (
            conn.execute(
                select(schema.cache_opportunity_facts.c.status)
                .join(
                    table,
                    (table.c.opportunity_id == schema.cache_opportunity_facts.c.opportunity_id)
                    & (table.c.as_of == schema.cache_opportunity_facts.c.as_of),
                )
                .where(table.c.as_of == newest)
            )
            .scalars()
            .all()
        )
    assert newest in built
    assert statuses and set(statuses) == {"open"}
