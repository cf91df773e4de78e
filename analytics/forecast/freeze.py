"""Freezing each week's forecast, so it can be scored later against what arrived.

A forecast that is recomputed today from today's data can always be made to
look good; one written down when the snapshot was loaded cannot.  After a load
has committed, analytics/ingest.py freezes each snapshot it brought
(:func:`unfrozen` lists the snapshots still to freeze, so a freeze cut short by
a crash is completed by the next load or start); the demo freezes every
snapshot it generates.  Undoing a load takes its frozen rows out and restores
those it set aside (``forecast_snapshots_replaced``; the company totals likewise,
``forecast_snapshot_totals_replaced``).  The frozen forecast is company-wide (never a viewer's
scope) and uses only revenue periods before the snapshot's month: the ODS sends
a month after it closes, and a demo built after the fact must not leak later
revenue into earlier forecasts.

The numbers are those of the year-end model: the same parts (components.py)
and the same simulation (simulate.simulate), without one Python row per open
deal: at 800,000 open deals that pull alone took about 12 s and 2 GB, right
after every snapshot load.  The simulation needs one row per deal only for the
deals it may draw one by one; every other deal enters through sums per
branch x product x close month (simulate.Sums), which the warehouse computes
(forecast_freeze_pipeline.sql, over the deals of the forecast_deals fragment
that forecast_pipeline.sql also reads).  tests/test_forecast_freeze.py compares
the result with the per-deal model.

A past snapshot (one older than the newest held: every week the demo builds, a
resent or late week) is frozen from the state the calibration's backtest states
already hold for its date (:func:`freeze_context`), not from a full build of that
date's opportunity facts, which cost 10-25 s a date at 1,000,000 opportunities
for the handful of columns the forecast reads; the numbers are the same
(tests/test_forecast_freeze.py).  The newest snapshot reads the facts the load
builds for the pages anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from time import perf_counter

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    Integer,
    MetaData,
    Table,
    delete,
    exists,
    insert,
    literal,
    select,
)
from sqlalchemy.engine import Connection, Engine

from analytics import schema
from analytics.blocks.binds import derived_params
from analytics.context import Context, period_of
from analytics.derived import ensure
from analytics.dialect import bulk_insert
from analytics.forecast.components import (
    KEYS,
    ForecastModel,
    base_through,
    deal_arrays,
    known_months,
    lines_of,
    on_lines,
    pipeline_through,
    run_rates,
    simulation,
    spread_of,
)
from analytics.forecast.horizons import (
    Horizon,
    WindowInputs,
    window_expected,
    window_model,
    window_of,
)
from analytics.forecast.naive import with_baselines, with_window_baselines
from analytics.forecast.probabilities import SlipDistribution, slip_distribution
from analytics.forecast.simulate import (
    EXACT_CELLS,
    EXACT_PER_LINE,
    Sums,
    certain_if_won,
    close_probabilities,
    revenue_factors,
    share_moments,
)
from analytics.metrics.attainment import budget_attainment
from analytics.queries import run_query
from analytics.scope import Scope
from analytics.settings import Settings
from analytics.warehouse import as_date, newest_snapshot_date

TABLE = schema.forecast_snapshots
TOTALS = schema.forecast_snapshot_totals
REPLACED = schema.forecast_snapshots_replaced
TOTALS_REPLACED = schema.forecast_snapshot_totals_replaced
FREEZES = schema.forecast_freezes
FROZEN = [TABLE, REPLACED, FREEZES, TOTALS, TOTALS_REPLACED]
"""The tables a freeze writes, created where missing (the migrations make them too)."""
PIPELINE_QUERY = "forecast_freeze_pipeline"
WINDOW_DEALS = "forecast_window_deals"
"""The forward windows' open deals: forecast_pipeline's, in columns a past state can give."""
CANDIDATE_MARGIN = 2
"""The query returns this many times the deals the simulation draws one by one (see its header)."""
PIPELINE_COLUMNS = [*KEYS, "close_month", "p_win", "annual_value", "expected_revenue"]
PIPELINE_COLUMNS += ["deals", "sum_pv", "sum_pvv", "sum_ppvv"]
"""The columns of forecast_freeze_pipeline.sql read here."""
YEAR_END = "year_end"
WINDOWS: tuple[Horizon, ...] = ("next_quarter", "next_12_months")
"""The forward windows frozen beside the year-end (horizons.py), each in its own rows (``horizon``)."""
PAST_STATE = (("opportunity_state", "past_state"), ("win_rates_cached", "win_rates"))
"""A past snapshot's freeze: its state from cache_backtest_states (_past_state.sql) and
p(o)'s rates computed from it, as build_win_rates.sql computes cache_win_rates from the facts."""

# The close-month moments forecast_freeze_pipeline.sql ranks deals by: bound rows in a
# temporary table of the freeze's own connection, never part of the warehouse schema.
CLOSE_MOMENTS = Table(
    "forecast_close_moments",
    MetaData(),
    Column("stage", Integer, nullable=False),  # whose timing (SlipDistribution.stages; -1: pooled)
    Column("close_month", Integer, nullable=False),
    Column("moment_a", Double, nullable=False),  # E[f²] over slips, f = year's share earned
    Column("moment_b", Double, nullable=False),  # E[f]
    Column("certain_if_won", Boolean, nullable=False),  # every slip earns the same f
    prefixes=["TEMPORARY"],
)


@dataclass(frozen=True)
class FrozenModel:
    """What a frozen forecast is read from: per branch x product line and month not loaded yet."""

    year: int
    data_through: int | None
    lines: pd.DataFrame  # branch, product, actual_ytd, recurring_monthly … (components.lines_of)
    months: np.ndarray
    base_through: np.ndarray  # lines x months
    pipeline_through: np.ndarray  # lines x months
    paths: np.ndarray  # lines x runs x months: simulated pipeline revenue

    @classmethod
    def of(cls, model: ForecastModel) -> FrozenModel:
        """The same figures from the per-deal model of components.py."""
        return cls(
            model.year, model.data_through, model.lines, model.months, model.base_through,
            model.pipeline_through, model.simulation.paths,
        )  # fmt: skip


@dataclass(frozen=True)
class Pipeline:
    """The open pipeline as forecast_freeze_pipeline.sql returns it."""

    candidates: pd.DataFrame  # one row per deal the simulation may draw one by one, in draw order
    sums: pd.DataFrame  # per branch x product x close month: sums over every other deal

    @classmethod
    def empty(cls) -> Pipeline:
        """No open deal (or no month left for one to earn in)."""
        return cls(pd.DataFrame(columns=PIPELINE_COLUMNS), pd.DataFrame(columns=PIPELINE_COLUMNS))


def known_through(day: date) -> int:
    """The last revenue period known on ``day``: the month before day's month (YYYYMM)."""
    return period_of(date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1))


def freeze_context(engine: Engine, snapshot_date: date, settings: Settings) -> Context:
    """The question a freeze asks: company-wide at the snapshot's date; for a past snapshot,
    read from the backtest states (``PAST_STATE``) instead of that date's full facts."""
    ctx = Context(engine, Scope.company(), settings, snapshot_date)
    newest = newest_snapshot_date(engine)
    return ctx if newest is None or snapshot_date >= as_date(newest) else replace(ctx, swap=PAST_STATE)


def frozen_rows(model: FrozenModel, snapshot_date: date) -> pd.DataFrame:
    """One row per branch x product line x month not loaded yet: expected and P10/P50/P90 through it."""
    lines = model.lines
    keep = (lines["branch"].notna() & lines["product"].notna()).to_numpy()
    if not keep.any() or len(model.months) == 0:
        return pd.DataFrame(columns=[c.name for c in TABLE.columns])
    quantiles = np.quantile(model.paths, [0.1, 0.5, 0.9], axis=1) + model.base_through[None]
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
            "horizon": YEAR_END,
        }
    )


def frozen_totals(model: FrozenModel, snapshot_date: date) -> pd.DataFrame:
    """One row per month not loaded yet: the company total, its band from the lines summed run by run."""
    keep = (model.lines["branch"].notna() & model.lines["product"].notna()).to_numpy()
    if not keep.any() or len(model.months) == 0:
        return pd.DataFrame(columns=[c.name for c in TOTALS.columns])
    base = model.base_through[keep].sum(0)
    quantiles = np.quantile(model.paths[keep].sum(0), [0.1, 0.5, 0.9], axis=0) + base[None]
    return pd.DataFrame(
        {
            "snapshot_date": snapshot_date,
            "year": model.year,
            "month": model.months,
            "data_through": model.data_through,
            "lines": int(keep.sum()),
            "expected": base + model.pipeline_through[keep].sum(0),
            "p10": quantiles[0],
            "p50": quantiles[1],
            "p90": quantiles[2],
            "frozen_at": datetime.now().replace(microsecond=0),
            "horizon": YEAR_END,
        }
    )


def window_frames(
    ctx: Context, through: int, data_through: int | None, snapshot_date: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The forward windows' rows and company totals, as the 收入预测 page computes each window
    (horizons.window_model) with the revenue known through ``through``.

    Each row is a line's (or the company's) revenue from the window's first month through
    one window month: expected, and P10/P50/P90 of the simulated paths (the company's from
    the lines summed run by run).  ``data_through`` places the windows, as on the page.
    """
    ctx = _Remembering.of(ctx)  # both windows ask the same history, dispersion and ratio queries
    inputs = WindowInputs.of(ctx, through, deals=WINDOW_DEALS)
    rows = [pd.DataFrame(columns=[c.name for c in TABLE.columns])]
    totals = [pd.DataFrame(columns=[c.name for c in TOTALS.columns])]
    for horizon in WINDOWS:
        window = window_of(horizon, ctx.as_of, data_through)
        model = window_model(ctx, window, data_through, inputs)
        if not (model.lines["branch"].notna() & model.lines["product"].notna()).any():
            continue  # no line to forecast, as the year-end's
        periods = np.array([window.period(m) for m in window.months])
        frame = _window_rows(model, window_expected(model, window), periods, snapshot_date)
        total = _window_totals(model, window_expected(model, window), periods, snapshot_date)
        frame, total = with_window_baselines(  # naive.py, beside the P50
            ctx, model, window, through,
            frame.assign(data_through=data_through, horizon=horizon),
            total.assign(data_through=data_through, horizon=horizon),
        )  # fmt: skip
        rows.append(frame)
        totals.append(total)
    return _stacked(*rows), _stacked(*totals)


@dataclass(frozen=True)
class _Remembering(Context):
    """A context that runs each query (name and parameters) once and hands out copies after.

    The two windows of one freeze read the same run-rate history, win dispersion,
    value ratio and growth inputs (only their months differ): at 1,000,000
    opportunities those queries were a quarter of the windows' time.
    """

    # Not an init field: a context replaced from this one (another date, filter) starts afresh.
    answers: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    @classmethod
    def of(cls, ctx: Context) -> _Remembering:
        """The same question as ``ctx``."""
        return cls(**{f.name: getattr(ctx, f.name) for f in fields(ctx) if f.init})

    def query(self, name: str, **params: object) -> pd.DataFrame:
        key = (name, repr(sorted(params.items())))
        if key not in self.answers:
            self.answers[key] = super().query(name, **params)
        return self.answers[key].copy()


def _stacked(*frames: pd.DataFrame) -> pd.DataFrame:
    """The frames one under the other; the first one's columns when all are empty."""
    filled = [f for f in frames if len(f)]
    return pd.concat(filled, ignore_index=True) if filled else frames[0]


def _window_rows(model, expected: np.ndarray, periods: np.ndarray, snapshot_date: date) -> pd.DataFrame:
    """One row per line x window month (lines without a branch or product left out, as the year-end's)."""
    lines = model.lines
    keep = (lines["branch"].notna() & lines["product"].notna()).to_numpy()
    quantiles = np.quantile(model.paths[keep], [0.1, 0.5, 0.9], axis=1)
    n_lines, n_months = int(keep.sum()), len(periods)
    return pd.DataFrame(
        {
            "snapshot_date": snapshot_date,
            "year": np.tile(periods // 100, n_lines),
            "month": np.tile(periods % 100, n_lines),
            "branch": np.repeat(lines.loc[keep, "branch"].to_numpy(), n_months),
            "product": np.repeat(lines.loc[keep, "product"].to_numpy(), n_months),
            "expected": expected[keep].ravel(),
            "p10": quantiles[0].ravel(),
            "p50": quantiles[1].ravel(),
            "p90": quantiles[2].ravel(),
            "frozen_at": datetime.now().replace(microsecond=0),
        }
    )


def _window_totals(model, expected: np.ndarray, periods: np.ndarray, snapshot_date: date) -> pd.DataFrame:
    """One row per window month: the company total, its band from the lines summed run by run."""
    lines = model.lines
    keep = (lines["branch"].notna() & lines["product"].notna()).to_numpy()
    quantiles = np.quantile(model.paths[keep].sum(0), [0.1, 0.5, 0.9], axis=0)
    return pd.DataFrame(
        {
            "snapshot_date": snapshot_date,
            "year": periods // 100,
            "month": periods % 100,
            "lines": int(keep.sum()),
            "expected": expected[keep].sum(0),
            "p10": quantiles[0],
            "p50": quantiles[1],
            "p90": quantiles[2],
            "frozen_at": datetime.now().replace(microsecond=0),
        }
    )


def frozen_model(ctx: Context, through_period: int) -> FrozenModel:
    """components.build_model's lines, expected pipeline and simulation, from the warehouse's sums."""
    attainment = budget_attainment(ctx, through_period=through_period)
    data_through, months = known_months(attainment)
    slips = slip_distribution(ctx)
    pipeline = Pipeline.empty()
    if len(months):  # else the whole year is loaded: no deal can add to it
        factors = revenue_factors(ctx.as_of.month, months)
        pipeline = open_pipeline_sums(ctx, close_moments(slips, ctx.as_of.month, factors))
    lines = lines_of(
        attainment, run_rates(ctx, through_period), pd.concat([pipeline.candidates, pipeline.sums])
    )
    deals = deal_arrays(on_lines(pipeline.candidates, lines), len(lines))
    summed = _sums(on_lines(pipeline.sums, lines))
    spread = spread_of(ctx, lines, through_period, months)
    return FrozenModel(
        year=ctx.as_of.year,
        data_through=data_through,
        lines=lines,
        months=months,
        base_through=base_through(lines, months, spread),
        pipeline_through=pipeline_through(
            Sums.of(deals).join(summed), len(lines), months, spread.value_ratio
        ),
        paths=simulation(ctx, deals, slips, months, summed, spread).paths,
    )


def _sums(frame: pd.DataFrame) -> Sums:
    """The query's sum rows, placed on lines (components.on_lines), as the simulation's Sums."""
    return Sums(
        line=frame["line"].to_numpy(dtype=np.int64),
        close_month=frame["close_month"].to_numpy(dtype=np.int64),
        pv=frame["sum_pv"].to_numpy(dtype=float),
        pvv=frame["sum_pvv"].to_numpy(dtype=float),
        ppvv=frame["sum_ppvv"].to_numpy(dtype=float),
        deals=frame["deals"].to_numpy(dtype=np.int64),
        stage=frame["stage"].to_numpy(dtype=np.int64),
    )


def close_moments(slips: SlipDistribution, first_close: int, factors: np.ndarray) -> list[dict]:
    """Per timing (stage; -1 pooled) and close month that can still earn this year: E[f²], E[f]
    over slips and whether f is certain.

    f is the share of the year's revenue a deal earns (simulate.share_moments);
    a close month past the last one listed earns nothing whatever it slips to.
    """
    last = first_close + max(0, -int(slips.months.min())) + factors.shape[0]
    close = np.arange(first_close, last, dtype=np.int64)
    rows = []
    for stage in [-1, *slips.stages.tolist()]:
        grid = close_probabilities(close, slips, first_close, stage=np.full(len(close), stage))
        second, first = share_moments(grid, factors)
        certain = certain_if_won(grid, factors)
        rows += [
            {"stage": stage, "close_month": int(m), "moment_a": float(a), "moment_b": float(b)}
            | {"certain_if_won": bool(c)}
            for m, a, b, c in zip(close, second, first, certain, strict=True)
        ]
    return rows


def open_pipeline_sums(ctx: Context, moments: list[dict]) -> Pipeline:
    """Run forecast_freeze_pipeline.sql with the close-month moments in its temporary table."""
    runs = ctx.settings.simulation_runs
    budget = EXACT_CELLS // max(runs, 1)
    params = {
        "as_of": ctx.as_of,
        "exact_budget": budget,
        "candidate_rank": CANDIDATE_MARGIN * budget,
        "line_candidate_rank": CANDIDATE_MARGIN * EXACT_PER_LINE,
    }
    ensure(ctx.engine, ctx.derived_tables(PIPELINE_QUERY), ctx.as_of, ctx.settings)
    with ctx.engine.begin() as conn:  # a failure rolls the temporary table back with the rest
        frame = _with_moments(conn, moments, lambda: _query(conn, ctx, params))
    chosen = frame["candidate"].astype(bool).to_numpy()
    return Pipeline(frame[chosen].reset_index(drop=True), frame[~chosen].reset_index(drop=True))


def _with_moments(conn: Connection, moments: list[dict], run):
    CLOSE_MOMENTS.create(conn)
    try:
        if moments:
            conn.execute(insert(CLOSE_MOMENTS), moments)
        return run()
    finally:
        CLOSE_MOMENTS.drop(conn)


def _query(conn: Connection, ctx: Context, params: dict) -> pd.DataFrame:
    return run_query(
        conn,
        PIPELINE_QUERY,
        scope=ctx.scope,
        filters=ctx.filters,
        settings=ctx.settings,
        params=params,
        derive=lambda names: derived_params(ctx, names),
        swap=ctx.swap,
    )


def freeze_forecasts(
    engine: Engine, snapshot_date: date, settings: Settings, load_id: int | None = None
) -> int:
    """Compute and store that week's forecast per product and branch; replaces that date's rows.

    ``load_id`` is the load whose snapshot is frozen: the rows carry it, and the
    freeze is recorded in ``forecast_freezes`` in the same transaction, so a
    freeze either happened whole or is still to do.  Should that snapshot no
    longer be held as ``load_id`` loaded it (replaced or undone meanwhile), nothing
    is written and 0 returned.  Without ``load_id``: the snapshot held now.
    """
    schema.metadata.create_all(engine, tables=FROZEN)
    started = perf_counter()
    ctx = freeze_context(engine, snapshot_date, settings)
    through = known_through(snapshot_date)
    model = frozen_model(ctx, through)
    windows, window_totals = window_frames(ctx, through, model.data_through, snapshot_date)
    rows = _stacked(frozen_rows(model, snapshot_date), windows)
    totals = _stacked(frozen_totals(model, snapshot_date), window_totals)
    rows, totals = with_baselines(ctx, model, through, rows, totals)  # naive.py, beside the P50
    with engine.begin() as conn:
        held = conn.execute(
            select(schema.snapshots.c.load_id).where(schema.snapshots.c.snapshot_date == snapshot_date)
        ).scalar()
        if load_id is not None and held != load_id:
            return 0
        load_id = held if load_id is None else load_id
        _set_aside(conn, snapshot_date, load_id)
        conn.execute(delete(TABLE).where(TABLE.c.snapshot_date == snapshot_date))
        count = bulk_insert(conn, TABLE.name, rows.assign(load_id=load_id)[[c.name for c in TABLE.columns]])
        conn.execute(delete(TOTALS).where(TOTALS.c.snapshot_date == snapshot_date))
        bulk_insert(conn, TOTALS.name, totals.assign(load_id=load_id)[[c.name for c in TOTALS.columns]])
        if load_id is not None:
            done = (FREEZES.c.snapshot_date == snapshot_date) & (FREEZES.c.load_id == load_id)
            conn.execute(delete(FREEZES).where(done))
            conn.execute(
                insert(FREEZES).values(
                    snapshot_date=snapshot_date, load_id=load_id, row_count=count,
                    seconds=perf_counter() - started, frozen_at=datetime.now().replace(microsecond=0),
                )
            )  # fmt: skip
        return count


def _set_aside(conn: Connection, snapshot_date: date, load_id: int | None) -> None:
    """Keep the date's rows and totals frozen from an earlier load of it, if ``load_id`` can be undone.

    Undoing ``load_id`` (analytics/loader/history.py) then puts them back, exactly
    as they were frozen; a demo or fixture rebuild cannot be undone, so its
    freezes simply replace what was there.
    """
    undoable = conn.execute(
        select(schema.load_history.c.outcome).where(schema.load_history.c.load_id == load_id)
    ).scalar()
    if load_id is None or undoable != "loaded":
        return
    for table, shadow in ((TABLE, REPLACED), (TOTALS, TOTALS_REPLACED)):
        earlier = (table.c.snapshot_date == snapshot_date) & (
            table.c.load_id.is_(None) | (table.c.load_id != load_id)
        )
        columns = [c.name for c in table.columns]
        conn.execute(
            insert(shadow).from_select(
                [*columns, "replaced_by"],
                select(*table.c, literal(load_id, BigInteger)).where(earlier),
            )
        )


def unfrozen(engine: Engine) -> list[tuple[date, int]]:
    """(snapshot date, load id) of each snapshot held whose forecast is not frozen yet, oldest first.

    A load commits before its freeze runs, so a process killed (or a freeze that
    failed) in between leaves its snapshot here until a freeze completes it.
    """
    s, f = schema.snapshots, FREEZES
    schema.metadata.create_all(engine, tables=FROZEN)
    done = (f.c.snapshot_date == s.c.snapshot_date) & (f.c.load_id == s.c.load_id)
    query = (
        select(s.c.snapshot_date, s.c.load_id)
        .where(s.c.load_id.is_not(None), ~exists().where(done))
        .order_by(s.c.snapshot_date)
    )
    with engine.connect() as conn:
        return [(as_date(day), int(load_id)) for day, load_id in conn.execute(query)]


def drop_unheld(engine: Engine) -> int:
    """Delete the frozen forecasts of snapshot dates no longer held (a demo or fixture rebuild)."""
    schema.metadata.create_all(engine, tables=FROZEN)
    with engine.begin() as conn:
        held = select(schema.snapshots.c.snapshot_date)
        conn.execute(delete(TOTALS).where(TOTALS.c.snapshot_date.not_in(held)))
        return conn.execute(delete(TABLE).where(TABLE.c.snapshot_date.not_in(held))).rowcount or 0


def freeze_all(engine: Engine, settings: Settings) -> int:
    """Freeze every snapshot held and drop frozen forecasts of snapshots no longer held (demo rebuilds)."""
    drop_unheld(engine)
    with engine.connect() as conn:
        held = list(conn.execute(select(schema.snapshots.c.snapshot_date)).scalars())
    return sum(freeze_forecasts(engine, day, settings) for day in sorted(held))
