"""Freezing each week's forecast, so it can be scored later against what arrived.

A forecast that is recomputed today from today's data can always be made to
look good; one written down when the snapshot was loaded cannot.  The loader
calls :func:`freeze_forecasts` after each snapshot load; the demo freezes every
snapshot it generates.  The frozen forecast is company-wide (never a viewer's
scope) and uses only revenue periods before the snapshot's month: the ODS sends
a month after it closes, and a demo built after the fact must not leak later
revenue into earlier forecasts.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from analytics import schema
from analytics.context import Context, period_of
from analytics.dialect import bulk_insert
from analytics.forecast.components import ForecastModel, build_model
from analytics.scope import Scope
from analytics.settings import Settings

TABLE = schema.forecast_snapshots


def known_through(day: date) -> int:
    """The last revenue period known on ``day``: the month before day's month (YYYYMM)."""
    return period_of(date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1))


def frozen_rows(model: ForecastModel, snapshot_date: date) -> pd.DataFrame:
    """One row per branch x product line x month not loaded yet: expected and P10/P50/P90 through it."""
    lines = model.lines
    keep = (lines["branch"].notna() & lines["product"].notna()).to_numpy()
    if not keep.any() or len(model.months) == 0:
        return pd.DataFrame(columns=[c.name for c in TABLE.columns])
    quantiles = np.quantile(model.simulation.paths, [0.1, 0.5, 0.9], axis=1) + model.base_through[None]
    expected = model.base_through + model.pipeline_through
    n_lines, n_months = expected[keep].shape
    return pd.DataFrame(
        {
            "snapshot_date": snapshot_date,
            "year": model.year,
            "month": np.tile(model.months, n_lines),
            "branch": np.repeat(lines.loc[keep, "branch"].to_numpy(), n_months),
            "product": np.repeat(lines.loc[keep, "product"].to_numpy(), n_months),
            "data_through": model.data_through,
            "expected": expected[keep].ravel(),
            "p10": quantiles[0][keep].ravel(),
            "p50": quantiles[1][keep].ravel(),
            "p90": quantiles[2][keep].ravel(),
            "frozen_at": datetime.now().replace(microsecond=0),
        }
    )


def freeze_forecasts(engine: Engine, snapshot_date: date, settings: Settings) -> int:
    """Compute and store that week's forecast per product and branch; replaces that date's rows."""
    TABLE.create(engine, checkfirst=True)  # this table only: the staging views are the loader's
    ctx = Context(engine, Scope.company(), settings, snapshot_date)
    rows = frozen_rows(build_model(ctx, through_period=known_through(snapshot_date)), snapshot_date)
    with engine.begin() as conn:
        conn.execute(delete(TABLE).where(TABLE.c.snapshot_date == snapshot_date))
        return bulk_insert(conn, TABLE.name, rows[[c.name for c in TABLE.columns]])


def freeze_all(engine: Engine, settings: Settings) -> int:
    """Freeze every snapshot held and drop frozen forecasts of snapshots no longer held (demo rebuilds)."""
    TABLE.create(engine, checkfirst=True)
    with engine.begin() as conn:
        held = list(conn.execute(select(schema.snapshots.c.snapshot_date)).scalars())
        conn.execute(delete(TABLE).where(TABLE.c.snapshot_date.not_in(held)))
    return sum(freeze_forecasts(engine, day, settings) for day in sorted(held))
