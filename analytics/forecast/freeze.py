"""Freezing each week's forecast, so it can be scored later against what arrived.

A forecast that is recomputed today from today's data can always be made to
look good; one written down when the snapshot was loaded cannot.  The loader
calls :func:`freeze_forecasts` after each snapshot load; the demo freezes every
snapshot it generates.  The frozen forecast is company-wide (never a viewer's
scope) and uses only revenue periods before the snapshot's month: the ODS sends
a month after it closes, and a demo built after the fact must not leak later
revenue into earlier forecasts.

The numbers are those of the year-end model (components.build_model and its
simulation), computed without one Python row per open deal: at 800,000 open
deals that pull alone took about 12 s and 2 GB, right after every snapshot
load.  A deal's revenue this year depends only on p(o), its value and its close
month, so the warehouse sums the deals per branch x product x close month
(forecast_freeze_pipeline.sql) and returns one row only for the few deals the
simulation may draw one by one; the normal part of the simulation and the
expected pipeline need only those sums.  The draws, their order and their
random streams are those of simulate.py / draws.py, so the frozen rows equal
the per-deal model's up to the order of floating-point sums
(tests/test_forecast_freeze.py compares the two).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Boolean, Column, Double, Integer, MetaData, Table, delete, insert, select
from sqlalchemy.engine import Connection, Engine

from analytics import schema
from analytics.context import Context, period_of
from analytics.derived import ensure, tables_for
from analytics.dialect import bulk_insert
from analytics.forecast.components import KEYS, ForecastModel, _lines, run_rates
from analytics.forecast.draws import RUN_CHUNK, WORKERS, _grouped_outer, by_line, exact_drawer
from analytics.forecast.probabilities import SlipDistribution, history_params, slip_distribution
from analytics.forecast.simulate import (
    EXACT_CELLS,
    EXACT_PER_LINE,
    Deals,
    _choose_exact,
    close_probabilities,
    revenue_factors,
)
from analytics.metrics.attainment import budget_attainment
from analytics.queries import run_query
from analytics.scope import Scope
from analytics.settings import Settings

TABLE = schema.forecast_snapshots
PIPELINE_QUERY = "forecast_freeze_pipeline"
CANDIDATE_MARGIN = 2
"""The query returns this many times the deals the simulation draws one by one (see its header)."""

# The close-month moments forecast_freeze_pipeline.sql ranks deals by: bound rows in a
# temporary table of the freeze's own connection, never part of the warehouse schema.
CLOSE_MOMENTS = Table(
    "forecast_close_moments",
    MetaData(),
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
    lines: pd.DataFrame  # branch, product, actual_ytd, recurring_monthly … (components._lines)
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
    """The open pipeline as forecast_freeze_pipeline.sql returns it, each row on its line."""

    candidates: pd.DataFrame  # one row per deal the simulation may draw one by one, in draw order
    sums: pd.DataFrame  # per line x close month: sums over every other deal


def known_through(day: date) -> int:
    """The last revenue period known on ``day``: the month before day's month (YYYYMM)."""
    return period_of(date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1))


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
        }
    )


def frozen_model(ctx: Context, through_period: int) -> FrozenModel:
    """components.build_model's lines, expected pipeline and simulation, from the warehouse's sums."""
    attainment = budget_attainment(ctx, through_period=through_period)
    overall = attainment[attainment["level"] == "overall"]
    data_through = overall["data_through"].iloc[0] if len(overall) else None
    data_through = None if pd.isna(data_through) else int(data_through)
    done = data_through % 100 if data_through else 0
    months = np.arange(done + 1, 13)
    rates = run_rates(ctx, through_period)
    if not len(months):  # the whole year is loaded: nothing left to forecast
        lines = _lines(attainment, rates, pd.DataFrame(columns=[*KEYS, "expected_revenue"]))
        empty = np.zeros((len(lines), 0))
        return FrozenModel(ctx.as_of.year, data_through, lines, months, empty, empty, empty[:, None])
    slips = slip_distribution(ctx)
    factors = revenue_factors(ctx.as_of.month, months)
    pipeline = open_pipeline_sums(ctx, close_moments(slips, ctx.as_of.month, factors))
    lines = _lines(attainment, rates, pd.concat([pipeline.candidates, pipeline.sums], ignore_index=True))
    pipeline = _on_lines(pipeline, lines)
    return FrozenModel(
        year=ctx.as_of.year,
        data_through=data_through,
        lines=lines,
        months=months,
        base_through=lines["actual_ytd"].to_numpy()[:, None]
        + lines["recurring_monthly"].to_numpy()[:, None] * (months - done)[None, :],
        pipeline_through=_pipeline_through(pipeline, len(lines), months),
        paths=_simulate(ctx.settings, pipeline, len(lines), slips, ctx.as_of.month, factors),
    )


def close_moments(slips: SlipDistribution, first_close: int, factors: np.ndarray) -> list[dict]:
    """Per close month that can still earn this year: E[f], E[f²] over slips and whether f is certain.

    f is the share of the year's revenue a deal earns (simulate.revenue_factors, last month);
    a close month past the last one listed earns nothing whatever it slips to.
    """
    last = first_close + max(0, -int(slips.months.min())) + factors.shape[0]
    close = np.arange(first_close, last, dtype=np.int64)
    ones = np.ones(len(close))
    grid = close_probabilities(Deals(ones, ones, close, close * 0, 1), slips, first_close)
    earned = factors[:, -1]
    reached = grid > 0
    spread = np.where(reached, earned[None, :], np.inf).min(1) != np.where(reached, earned, -np.inf).max(1)
    return [
        {"close_month": int(m), "moment_a": float(a), "moment_b": float(b), "certain_if_won": not bool(s)}
        for m, a, b, s in zip(close, grid @ earned**2, grid @ earned, spread, strict=True)
    ]


def open_pipeline_sums(ctx: Context, moments: list[dict]) -> Pipeline:
    """Run forecast_freeze_pipeline.sql with the close-month moments in its temporary table."""
    runs = ctx.settings.simulation_runs
    budget = EXACT_CELLS // max(runs, 1)
    params = {
        "year": ctx.as_of.year,
        "as_of": ctx.as_of,
        "exact_budget": budget,
        "candidate_rank": CANDIDATE_MARGIN * budget,
        "line_candidate_rank": CANDIDATE_MARGIN * EXACT_PER_LINE,
        **history_params(ctx),
    }
    ensure(ctx.engine, tables_for(PIPELINE_QUERY), ctx.as_of, ctx.settings)
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
        conn, PIPELINE_QUERY, scope=ctx.scope, filters=ctx.filters, settings=ctx.settings, params=params
    )


def _on_lines(pipeline: Pipeline, lines: pd.DataFrame) -> Pipeline:
    """Each row's line: its place in ``lines`` (as build_model numbers the deals)."""
    index = pd.MultiIndex.from_frame(lines[KEYS])

    def placed(frame: pd.DataFrame) -> pd.DataFrame:
        found = index.get_indexer(pd.MultiIndex.from_frame(frame[KEYS])) if len(frame) else []
        return frame.assign(line=np.asarray(found, dtype=np.int64))

    return Pipeline(placed(pipeline.candidates), placed(pipeline.sums))


def _rows(pipeline: Pipeline) -> pd.DataFrame:
    """Candidates and sums as one frame of (line, close_month, sum_pv, sum_pvv, sum_ppvv)."""
    columns = ["line", "close_month", "sum_pv", "sum_pvv", "sum_ppvv"]
    return pd.concat([pipeline.candidates[columns], pipeline.sums[columns]], ignore_index=True)


def _pipeline_through(pipeline: Pipeline, n_lines: int, months: np.ndarray) -> np.ndarray:
    """Expected pipeline revenue per line from January through each month (no slips, as m(o))."""
    rows = _rows(pipeline)
    if rows.empty:
        return np.zeros((n_lines, len(months)))
    earned = np.clip(months[None, :] - rows["close_month"].to_numpy()[:, None], 0, None) / 12.0
    weight = rows["sum_pv"].to_numpy(dtype=float)[:, None] * earned
    return by_line(weight, rows["line"].to_numpy(), n_lines)


def _simulate(settings: Settings, pipeline: Pipeline, n_lines: int, slips, first_close: int, factors):
    """simulate.simulate's paths: its exact deals drawn by draws.py, the rest from the sums.

    Runs as draws.draw does (blocks of runs in threads, one stream per block and one
    for the normal part) so that the same inputs and seed give the same draws.
    """
    deals, exact = _exact_deals(pipeline.candidates, n_lines, slips, first_close, factors, settings)
    runs = settings.simulation_runs
    paths = np.zeros((n_lines, runs, factors.shape[1]))
    starts = range(0, runs, RUN_CHUNK)
    seeds = np.random.SeedSequence(settings.simulation_seed).spawn(len(starts) + 1)
    streams = [np.random.default_rng(s) for s in seeds]
    rest = _rest_sums(pipeline, exact)
    draw_block = exact_drawer(paths, deals, exact, slips, first_close, factors)
    with ThreadPoolExecutor(WORKERS) as pool:
        normal = pool.submit(_normal_sum, streams[-1], paths.shape, rest, slips, first_close, factors)
        list(pool.map(draw_block, starts, streams[:-1]))
        centre, spread = normal.result()
        if spread is not None:
            paths += spread
        paths += centre[:, None, :]
    return paths


def _exact_deals(candidates: pd.DataFrame, n_lines: int, slips, first_close: int, factors, settings):
    """The candidates as simulate.Deals, and which of them simulate.simulate draws one by one.

    Every candidate varies (the query says so exactly); numpy's variance only ranks them.
    """
    deals = Deals(
        p_win=candidates["p_win"].to_numpy(dtype=float),
        value=candidates["annual_value"].to_numpy(dtype=float),
        close_month=candidates["close_month"].to_numpy(dtype=np.int64),
        line=candidates["line"].to_numpy(dtype=np.int64),
        n_lines=n_lines,
    )
    scaled = deals.p_win[:, None] * deals.value[:, None] * close_probabilities(deals, slips, first_close)
    mean = scaled @ factors
    variance = np.clip((scaled * deals.value[:, None]) @ factors[:, -1] ** 2 - mean[:, -1] ** 2, 0, None)
    exact = _choose_exact(variance, deals.line, EXACT_CELLS // max(settings.simulation_runs, 1))
    return deals, exact


def _rest_sums(pipeline: Pipeline, exact: np.ndarray) -> pd.DataFrame:
    """Every deal not drawn one by one: the query's sums and the candidates left out."""
    left = pipeline.candidates[~exact]
    return _rows(Pipeline(left, pipeline.sums))


def _normal_sum(rng, shape, rest: pd.DataFrame, slips, first_close: int, factors):
    """draws._normal_sum from sums: Σ p·v², Σ p·v and Σ p²·v² per line and close month suffice.

    A deal's squared row is p·v²·P(close), its mean row p·v·P(close)·factors and its outer
    product p²·v² times that of P(close)·factors, so the sums over a close month give the
    line's totals.  The noise is drawn exactly as there.
    """
    n_lines = shape[0]
    if rest.empty:
        return np.zeros((n_lines, shape[2])), None
    close = rest["close_month"].to_numpy(dtype=np.int64)
    line = rest["line"].to_numpy(dtype=np.int64)
    ones = np.ones(len(rest))
    grid = close_probabilities(Deals(ones, ones, close, line, n_lines), slips, first_close)
    shares = grid @ factors
    per_close = by_line(rest["sum_pvv"].to_numpy(dtype=float)[:, None] * grid, line, n_lines)
    centre = by_line(rest["sum_pv"].to_numpy(dtype=float)[:, None] * shares, line, n_lines)
    outer = _grouped_outer(shares * np.sqrt(rest["sum_ppvv"].to_numpy(dtype=float))[:, None], line, n_lines)
    covariance = np.einsum("gj,js,jt->gst", per_close, factors, factors) - outer
    values, vectors = np.linalg.eigh((covariance + covariance.transpose(0, 2, 1)) / 2)
    values = np.clip(values, 0.0, None)
    rank = int((values > 1e-12 * max(values.max(), 1e-300)).sum(axis=1).max())  # eigh sorts ascending
    spread = None
    if rank:
        root = (vectors[:, :, -rank:] * np.sqrt(values[:, None, -rank:])).astype(np.float32)
        spread = np.matmul(
            rng.standard_normal((shape[0], shape[1], rank), dtype=np.float32), root.transpose(0, 2, 1)
        )
    return centre, spread


def freeze_forecasts(engine: Engine, snapshot_date: date, settings: Settings) -> int:
    """Compute and store that week's forecast per product and branch; replaces that date's rows."""
    TABLE.create(engine, checkfirst=True)  # this table only: the staging views are the loader's
    ctx = Context(engine, Scope.company(), settings, snapshot_date)
    rows = frozen_rows(frozen_model(ctx, known_through(snapshot_date)), snapshot_date)
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
