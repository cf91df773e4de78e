"""Loading export files end to end: the loader's committed batch, then what a commit sets off.

The loader (analytics/loader/) ends at a committed batch and knows nothing of
the forecast or the derived tables.  A commit sets off two steps that need
them: the derived tables for the newest snapshot (so the analyst who loads
pays for the build rather than the first leader opening a page) and each new
snapshot's frozen forecast (the calibration page scores it later).  They run
here, after the commit, each timed and listed in the report; one that fails
leaves the load committed and is retried.  ``python -m analytics load``, the
upload page and the demo all come through here.

Why the freeze is not inside the load's transaction: it takes seconds (6.4 s of
a 14 s million-row load), runs the forecast's own queries and derived-table
builds on connections of their own, and would keep the warehouse's single
writer (DuckDB) busy all that time.  It is a recorded step instead: a snapshot
held without a ``forecast_freezes`` row for the load that brought it is a
freeze still to do, whatever cut it short (a failed freeze, ``kill -9`` between
commit and freeze).  So the loader's transaction has nothing extra to write and
nothing can be forgotten: :func:`finish`, which every ingest runs (even one
whose files were all unchanged), and the start of the dashboard (``analytics
demo --if-empty``) complete it.  Undo takes a load's frozen rows out with its
data, in the same transaction, and puts back those it set aside
(analytics/loader/history.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from time import perf_counter

from sqlalchemy.engine import Engine

from analytics import derived, dialect, loader
from analytics.forecast import calibration, freeze
from analytics.loader.report import BatchReport, Step
from analytics.settings import Settings

Progress = Callable[[float, str], None]
LOAD_SHARE = 0.8  # of the progress bar: the rest is the steps after the commit
DERIVED = ("derived", "汇总表构建 / derived tables")
BACKTEST = ("backtest", "校准回测状态 / calibration backtest states")
CALIBRATION = ("calibration", "校准回测汇总 / calibration backtest sums")
PAST_RATES = ("past_rates", "上期胜率表 / the previous snapshot's win rates")
CHECKPOINT = ("checkpoint", "写入压缩存储 / DuckDB checkpoint")
FREEZE = ("freeze", "冻结本周预测 / forecast freeze")


def ingest(
    engine: Engine,
    inputs: list[loader.Input],
    *,
    username: str,
    settings: Settings,
    defaults: loader.Overrides = loader.Overrides(),
    per_file: dict[str, loader.Overrides] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    confirm_shrink: bool = False,
    announce: loader.Announce | None = None,
) -> BatchReport:
    """Load a batch (loader.load), then run every step after the commit still to do, timed.

    ``confirm_shrink`` and ``announce``: what the load replaces (loader.load).
    Raises loader.LoadError as loader.load does (the warehouse is then unchanged).
    """
    progress = progress or _silent
    report = loader.load(
        engine, inputs, username=username, settings=settings, defaults=defaults, per_file=per_file,
        today=today, progress=_share(progress, 0.0, LOAD_SHARE), confirm_shrink=confirm_shrink,
        announce=announce,
    )  # fmt: skip
    report.after_commit = finish(
        engine, settings, refresh=report.outcome == "loaded", progress=_share(progress, LOAD_SHARE, 1.0)
    )
    progress(1.0, "完成 / done")
    return report


def finish(
    engine: Engine, settings: Settings, *, refresh: bool = True, progress: Progress | None = None
) -> list[Step]:
    """Run what committed loads set off and is not done yet; returns each step with its time.

    The derived tables for the newest snapshot first (when ``refresh``, or when a
    freeze is due: the newest snapshot's freeze reads them), the narrow states the
    calibration backtest reads at the newest snapshot's backtest dates (one pass
    over the history; the first 预测校准 view built a full per-date table for each,
    17.8 s at 200,000 opportunities), the win rates at the previous snapshot from its
    states (周例会's bridge reads A's p(o) from them: derived.refresh_previous), the
    backtest summed per scope key from them
    (the page sums those rows instead of computing p(o) at each date) and, on DuckDB, the
    checkpoint that writes them into compressed storage (queries on freshly
    written rows ran about 3x slower), then the frozen
    forecast of every snapshot still without one, oldest first, each in its own
    transaction, so whatever is cut short stays to do and nothing is done twice.
    """
    progress = progress or _silent
    todo = freeze.unfrozen(engine)
    steps: list[Step] = []
    total = len(todo) + 1
    if refresh or todo:
        builds: tuple[tuple[tuple[str, str], Callable[[], object]], ...] = (
            (DERIVED, lambda: derived.refresh_newest(engine, settings, settle=False)),
            (BACKTEST, partial(calibration.build_for_newest, engine, settings)),
            (PAST_RATES, partial(derived.refresh_previous, engine, settings)),
            (CALIBRATION, partial(calibration.build_sums_for_newest, engine, settings)),
        )
        for index, (step, run) in enumerate(builds):  # each announced as it starts
            progress(index / len(builds) / total, f"{step[1]}…")
            steps.append(_timed(*step, "", run))
        if dialect.checkpoints(engine):  # before the freezes: they read the fresh builds
            steps.append(_timed(*CHECKPOINT, "", lambda: dialect.settle_derived_builds(engine)))
    for index, (day, load_id) in enumerate(todo, start=1):
        progress(index / total, f"{FREEZE[1]} {day}…")
        steps.append(
            _timed(*FREEZE, str(day), partial(freeze.freeze_forecasts, engine, day, settings, load_id))
        )
    return steps


def after_rebuild(engine: Engine, settings: Settings, progress: Progress | None = None) -> list[Step]:
    """After the whole warehouse was replaced (demo): frozen forecasts of dates no longer held
    go, and every snapshot (all new) is frozen; the derived tables are built."""
    freeze.drop_unheld(engine)
    return finish(engine, settings, progress=progress)


def _timed(code: str, label: str, detail: str, run: Callable[[], object]) -> Step:
    """Run one step; a failure is reported, not raised: the load it follows is committed."""
    started = perf_counter()
    try:
        run()
    except Exception as error:  # any failure: the step stays to do, the report says why
        cause = (str(getattr(error, "orig", None) or error) or repr(error)).splitlines()[0][:300]
        return Step(code, label, perf_counter() - started, detail, error=cause)
    return Step(code, label, perf_counter() - started, detail)


def _share(progress: Progress, start: float, end: float) -> Progress:
    """``progress`` for a part of the bar: fractions 0..1 of the part map to start..end."""
    return lambda fraction, text: progress(start + (end - start) * min(max(fraction, 0.0), 1.0), text)


def _silent(*_args) -> None:
    return None
