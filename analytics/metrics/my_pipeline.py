"""我的商机: one account manager's target, pipeline, and what is left to mine.

The figures are the manager's ``person`` row of the workload scorecard (all
teams they were in, benchmarked against the team they are in now), so the
page agrees with the 客户经理 table.  The mining plan is arithmetic on that
one row: how much of the remaining target the open pipeline is expected to
cover, and how many new opportunities, at the manager's own adjusted win rate
and average won deal, would close the rest.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pandas as pd

from analytics.context import Context
from analytics.metrics.explorer import DEFAULT_STATUSES, ListSearch, opportunity_list
from analytics.metrics.workload import workload_people


def _number(value) -> float | None:
    """A figure from a row, or None when it is missing (NULL or NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def mining_plan(person: dict, as_of: date) -> dict:
    """coverage_gap, deal size used, new_opportunities_needed and whether they can still close this year.

    coverage_gap = max(remaining_target − pipeline_expected, 0);
    new_opportunities_needed = ceil(coverage_gap / (win_rate_adjusted × average won deal)),
    the average won deal being the manager's own in T, else the team's.
    """
    remaining = _number(person.get("remaining_target"))
    expected = _number(person.get("pipeline_expected")) or 0.0
    gap = None if remaining is None else max(remaining - expected, 0.0)
    own_size = _number(person.get("avg_won_value"))
    deal_size = own_size if own_size else _number(person.get("team_avg_won_value"))
    rate = _number(person.get("win_rate_adjusted"))
    needed = None
    if gap == 0:
        needed = 0
    elif gap is not None and rate and deal_size:
        needed = math.ceil(gap / (rate * deal_size))
    cycle = _number(person.get("median_cycle_days"))
    days_left = (date(as_of.year, 12, 31) - as_of).days
    return {
        "coverage_gap": gap,
        "deal_size": deal_size,
        "deal_size_source": "own" if own_size else ("team" if deal_size else None),
        "win_rate_used": rate,
        "new_opportunities_needed": needed,
        "days_left": days_left,
        "cycle_days": cycle,
        "closes_this_year": None if cycle is None else cycle <= days_left,
    }


def book_customers(ctx: Context) -> pd.DataFrame:
    """Customers in the managers' books (in scope) with no open opportunity now."""
    return ctx.query("workload_book_customers")


def for_manager(ctx: Context, staff_id: str) -> Context:
    """The viewer's context narrowed to one manager: a filter, so it can never widen the scope."""
    return replace(ctx, filters=replace(ctx.filters, owners=(staff_id,)))


def my_pipeline(ctx: Context) -> dict:
    """person (the scorecard row or None), plan, and book (customers with no open opportunity).

    ``ctx`` is narrowed to one manager with :func:`for_manager`.
    """
    people = workload_people(ctx)
    person = people.iloc[0].to_dict() if len(people) == 1 else None
    return {
        "person": person,
        "plan": None if person is None else mining_plan(person, ctx.as_of),
        "book": book_customers(ctx),
    }


def my_deals(ctx: Context, include_closed: bool = False) -> pd.DataFrame:
    """The manager's own deals with their problem reasons: open ones unless ``include_closed``.

    The rows are the explorer's (same class, labels and problem reasons, key
    first then by value, at most ``explorer_list_rows``), so a deal reads the
    same on both pages; ``ctx`` is narrowed to one manager with :func:`for_manager`.
    """
    statuses = () if include_closed else DEFAULT_STATUSES
    return opportunity_list(ctx, ListSearch(statuses=statuses, limit=ctx.settings.explorer_list_rows))
