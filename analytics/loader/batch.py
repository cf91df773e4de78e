"""A batch, start to finish: parse every file, then load all of them in one transaction.

Parsing (scratch DuckDB) finishes before the warehouse is touched, so a file
that must be refused (missing columns, doubtful encoding, too large …)
refuses the whole batch without a write.  Writing is write.py: one warehouse
transaction for the whole batch, in the contract's kind order.  The loader
ends there, at a committed batch: what a commit sets off (the week's frozen
forecast, the derived tables) is analytics/ingest.py's, one layer up.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from analytics import audit
from analytics.loader import checks, history, replacement, summary
from analytics.loader.kinds import ORDER
from analytics.loader.messages import say
from analytics.loader.parse import Overrides, Parsed, parse_file
from analytics.loader.report import BatchReport, FileResult
from analytics.loader.scratch import open_scratch, work_folder
from analytics.loader.sources import Input, Limits, expand
from analytics.loader.write import write_batch
from analytics.settings import Settings

Progress = Callable[[float, str], None]
Announce = Callable[[list[replacement.Replacement]], None]
QUARANTINE_SHOWN = 100_000


def _result(con, parsed: Parsed) -> FileResult:
    source, reading = parsed.source, parsed.reading
    result = FileResult(
        name=source.name, size=source.size, sha256=source.sha256, encoding=reading.encoding,
        delimiter=reading.delimiter, rows_in=parsed.rows_in, loaded=parsed.loaded,
        quarantined=parsed.quarantined, message=parsed.refusal, choices=parsed.choices,
        notes=list(parsed.notes), headers=list(reading.headers),
    )  # fmt: skip
    if parsed.kind is not None:
        result.kind, result.kind_label = parsed.kind.name, parsed.kind.label
    if parsed.mapping is not None:
        result.mapping = [
            {"header": c.header, "field": c.field, "unit": c.unit} for c in parsed.mapping.columns
        ]
    if parsed.refusal is not None:
        result.outcome = "refused"
        return result
    summary.build_outputs(con, parsed)
    result.coverage = summary.coverage(con, parsed)
    result.covered = summary.covered_values(con, parsed)
    repeated = parsed.loaded - summary.clean_count(con, parsed)
    if repeated:
        result.notes.append(say("note_repeated_lines", count=repeated))
    return result


def _parse_all(con, inputs, workdir, settings, defaults, per_file, today, progress) -> list[Parsed]:
    sources = expand(inputs, workdir, Limits.from_settings(settings))
    parsed = []
    for index, source in enumerate(sources):
        progress(0.4 * index / max(len(sources), 1), say("progress_parse", name=source.name))
        parsed.append(parse_file(con, source, index, per_file.get(source.name, defaults), workdir, today))
    return parsed


def inspect(
    engine: Engine,
    inputs: list[Input],
    settings: Settings,
    defaults: Overrides = Overrides(),
    per_file: dict[str, Overrides] | None = None,
    today: date | None = None,
) -> list[FileResult]:
    """Preview a batch without writing: each file's result, first rows as stored, column diff."""
    with work_folder(settings.work_folder_stale_hours) as folder:
        con = open_scratch(folder)
        try:
            parsed = _parse_all(
                con, inputs, folder, settings, defaults, per_file or {}, today or date.today(), _silent
            )
            results = []
            plans = replacement.plan(engine, con, parsed, folder)
            for item, replaces in zip(parsed, plans, strict=True):
                result = _result(con, item)
                result.replacements = replaces
                if item.refusal is None:
                    result.preview = summary.preview(con, item)
                    result.diff = checks.column_diff(engine, item.known_mapping)
                    result.sample = summary.quarantine_frame(con, item, 200)
                results.append(result)
            return results
        finally:
            con.close()


def _silent(*_args) -> None:
    return None


def load(
    engine: Engine,
    inputs: list[Input],
    *,
    username: str,
    settings: Settings,
    defaults: Overrides = Overrides(),
    per_file: dict[str, Overrides] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    confirm_shrink: bool = False,
    announce: Announce | None = None,
) -> BatchReport:
    """Load a batch all or nothing; the report says what happened to every row.

    Before writing, each file's replacements are counted (replacement.plan) and
    passed to ``announce``; one shrinking what it replaces by more than
    ``replace_shrink_confirm_share`` refuses the batch (outcome ``unconfirmed``,
    nothing written or recorded) unless ``confirm_shrink``.
    Raises write.LoadError when writing failed (the warehouse is unchanged).
    """
    progress, today = progress or _silent, today or date.today()
    with work_folder(settings.work_folder_stale_hours) as workdir:
        con = open_scratch(workdir)
        try:
            parsed = _parse_all(con, inputs, workdir, settings, defaults, per_file or {}, today, progress)
            report = BatchReport(uuid.uuid4().hex[:16], "loaded", [_result(con, p) for p in parsed])
            frames = [summary.quarantine_frame(con, p, QUARANTINE_SHOWN) for p in parsed if p.refusal is None]
            report.quarantine = pd.concat(frames, ignore_index=True) if frames else report.quarantine
            if not parsed or any(p.refusal for p in parsed):
                return _refuse(engine, report, username, parsed)
            todo = _skip_identical(engine, parsed, report.files)
            if not todo:
                report.outcome = "unchanged"
                report.message = say("batch_all_unchanged")
                return report
            if _unconfirmed(engine, con, parsed, todo, report, workdir, settings, announce, confirm_shrink):
                return report
            per_file = per_file or {}
            items = [
                (
                    parsed[i],
                    report.files[i],
                    per_file.get(parsed[i].source.name, defaults).snapshot_date or today,
                )
                for i in todo
            ]
            write_batch(engine, con, items, report, username, workdir, progress)
            progress(1.0, say("progress_committed"))
            return report
        finally:
            con.close()


def _unconfirmed(engine, con, parsed, todo, report, workdir, settings, announce, confirmed) -> bool:
    """Count what the files to write replace; True (report refused) when a shrink is unconfirmed."""
    plans = replacement.plan(engine, con, [parsed[i] for i in todo], workdir)
    for index, replaces in zip(todo, plans, strict=True):
        report.files[index].replacements = replaces
    every = [r for replaces in plans for r in replaces]
    if announce is not None:
        announce(every)
    share = settings.replace_shrink_confirm_share
    shrinking = replacement.unconfirmed(every, share)
    if not shrinking or confirmed:
        return False
    report.outcome, report.message = "unconfirmed", replacement.refusal(shrinking, share)
    for index in todo:
        report.files[index].outcome = "unconfirmed"
    return True


def _skip_identical(engine: Engine, parsed: list[Parsed], results: list[FileResult]) -> list[int]:
    """Indices of the files to write, in batch order; a byte-identical file loaded before is skipped."""
    todo = []
    with engine.connect() as conn:
        for index, (p, result) in enumerate(zip(parsed, results, strict=True)):
            earlier = history.identical_load(
                conn, p.source.sha256, p.known_kind.name, p.reading.encoding, p.mapping, result.covered
            )
            if earlier is None:
                todo.append(index)
            else:
                result.outcome = "unchanged"
                result.message = history.unchanged_message(conn, earlier)
    return sorted(todo, key=lambda i: ORDER.index(parsed[i].known_kind.name))


def _refuse(engine: Engine, report: BatchReport, username: str, parsed: list[Parsed]) -> BatchReport:
    """Nothing is written but the refusal itself: a history row per file, and the audit log."""
    report.outcome = "refused"
    refused = [f.name for f in report.files if f.outcome == "refused"]
    report.message = say("batch_refused", files="、".join(refused)) if parsed else say("batch_nothing")
    for result in report.files:
        if result.outcome != "refused":
            result.outcome, result.message = "refused", say("batch_sibling_refused")
        result.rows_in = result.loaded = result.quarantined = result.written = 0
    history.record_refusal(engine, report, username)
    audit.record(engine, username, "upload", f"refused: {'、'.join(refused)}"[:500], success=False)
    return report
