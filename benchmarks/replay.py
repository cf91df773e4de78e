"""Timing a page's computation against the same SQL on a raw DuckDB connection.

A page's calls come from ``analytics.pages.PAGE_CALLS`` (what the page itself
computes); each is run once through a ``RecordingContext`` that keeps every
statement it sends, with the scope it was sent for (the workload medians go
out for the whole company), and those statements are replayed on the raw
connection: the ratio between the two is the cost of our layer.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from analytics.blocks.binds import derived_params
from analytics.context import Context
from analytics.pages import CALL_ARGUMENTS, PageCalls
from analytics.queries import render_query, settings_params

_PARAM = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class RecordingContext(Context):
    """A Context that remembers the statements it sent, each with the context it was sent for
    (``dataclasses.replace`` shares the list)."""

    sent: list = field(default_factory=list, compare=False)

    def query(self, name: str, **params: object):
        self.sent.append((name, self, params))
        return super().query(name, **params)


def replay(con, sent: list) -> None:
    """Run recorded statements straight on DuckDB (``:name`` binds become ``$name``), into
    DataFrames as the layer returns them."""
    for name, ctx, params in sent:
        rendered = render_query(name, ctx.scope, ctx.filters, ctx.swap)  # its stand-ins too
        sql = rendered.sql
        bound = {**settings_params(ctx.settings), **rendered.params, "as_of": ctx.as_of, **params}
        used = set(_PARAM.findall(sql))
        bound |= derived_params(ctx, used - set(bound))  # as Context.query computes them
        con.execute(_PARAM.sub(r"$\1", sql), {k: bound[k] for k in used}).fetch_df()


def timed(function: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` warm calls (after one warming call), in ms."""
    function()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def interleaved(work: Callable[[], object], bare: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall times (ms) of ``repeats`` runs of ``work`` and of ``bare``, taken in turn
    after one warming run of each, so both are measured under the same load."""
    work()
    bare()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for function, times in ((work, samples[0]), (bare, samples[1])):
            started = time.perf_counter()
            function()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples[0]), statistics.median(samples[1])


def page_work(
    calls: PageCalls, ctx: RecordingContext, arguments: dict | None = None, contexts: dict | None = None
) -> Callable[[], None]:
    """One run of every call the page declares, with the arguments it passes (default: those of
    the page's first view, analytics.pages.CALL_ARGUMENTS) and, where the page narrows a call's
    context (the team page's lists are for the team picked), that call's own context."""
    arguments = {**CALL_ARGUMENTS, **(arguments or {})}
    contexts = contexts or {}

    def run() -> None:
        for function in calls:
            function(contexts.get(function.__name__, ctx), *arguments.get(function.__name__, ()))

    return run


def recorded(calls: PageCalls, ctx: RecordingContext, arguments: dict | None = None) -> list:
    """The statements one run of the page's calls sends."""
    ctx.sent.clear()
    page_work(calls, ctx, arguments)()
    sent = list(ctx.sent)
    ctx.sent.clear()
    return sent
