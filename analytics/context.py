"""What every metric call needs: where the data is, who is looking, and when.

Bundling engine, scope, filters, settings and as_of in one frozen object keeps
metric signatures short and makes it impossible to call a metric without a
scope (there is no default for it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from analytics.blocks.binds import derived_params
from analytics.blocks.periods import months_before, period_of
from analytics.derived import ensure, tables_for, tables_in
from analytics.queries import Swap, render_query, run_query
from analytics.scope import Filters, Scope
from analytics.settings import Settings

__all__ = ["Context", "months_before", "period_of"]


@dataclass(frozen=True)
class Context:
    """A viewer's question: engine, scope, filters, settings and as_of date."""

    engine: Engine
    scope: Scope
    settings: Settings
    as_of: date
    filters: Filters = field(default_factory=Filters)
    # Fragments read in place of others (queries.render_query): the frozen forecast of a
    # past snapshot reads its state from the backtest states (forecast/freeze.py).
    swap: Swap = ()
    # The data version every answer of one page view must come from (ui/data.py reads it
    # once per run, so a load committing mid-page cannot mix two versions on one screen);
    # None: whichever is current when each answer is computed.
    data_version: str | None = None

    def with_filters(self, filters: Filters) -> Context:
        return replace(self, filters=filters)

    def query(self, name: str, **params: object) -> pd.DataFrame:
        """Run a named query with this context's scope, filters and settings.

        The derived tables it reads are built first when the data changed since.
        A parameter its files use and ``params`` lacks is computed from this
        question when ``blocks.binds`` defines it (windows, won stage, cohort).
        """
        ensure(self.engine, self.derived_tables(name), self.as_of, self.settings, version=self.data_version)
        with self.engine.connect() as conn:
            return run_query(
                conn,
                name,
                scope=self.scope,
                filters=self.filters,
                settings=self.settings,
                params={"as_of": self.as_of, **params},
                derive=lambda names: derived_params(self, names),
                swap=self.swap,
            )

    def derived_tables(self, name: str) -> tuple[str, ...]:
        """The derived tables the named query reads as this context renders it (its swaps)."""
        if not self.swap:
            return tables_for(name)
        return tuple(tables_in(render_query(name, Scope.company(), Filters(), self.swap).sql))
