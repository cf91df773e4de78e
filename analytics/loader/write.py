"""Writing a parsed batch: one warehouse transaction, all files, or nothing.

Inside the transaction, per file in batch order: its history row (whose
``load_id`` stamps every row it writes), its clean rows under its kind's
replacement rule, its quarantined problems and extra columns, its header
mapping; then the batch's warnings and the audit row.  Any error rolls all of
it back and is recorded as a failed attempt afterwards.  A process killed
mid-batch leaves an uncommitted transaction, which neither DuckDB (on reopen)
nor PostgreSQL (when the connection drops) ever applies.
"""

from __future__ import annotations

import os
import sys
import time

from sqlalchemy.exc import DBAPIError

from analytics import audit
from analytics.dialect import is_locked_error
from analytics.loader import checks, history
from analytics.loader.apply import apply_file, copy_side_outputs
from analytics.loader.messages import say
from analytics.loader.summary import has_extras
from analytics.warehouse import next_load_id, set_meta

PAUSE_ENV = "SJGK_TEST_LOAD_PAUSE"  # tests only: seconds to sleep after the first file is written


class LoadError(Exception):
    """Writing the batch failed; the warehouse was left exactly as it was."""


def write_batch(engine, con, items, report, username: str, workdir, progress) -> None:
    """Write ``items`` (parsed, result, valid_from) in one transaction; fill in the report."""
    try:
        with engine.begin() as conn:
            first = next_load_id(conn)
            for offset, (parsed, result, valid_from) in enumerate(items):
                progress(0.4 + 0.55 * offset / len(items), say("progress_write", name=parsed.source.name))
                load_id = first + offset
                _write_file(
                    conn, con, parsed, result, load_id, username, report.batch_id, workdir, valid_from
                )
                _pause_for_tests(offset)
            notes = checks.collect(conn, first, first + len(items) - 1)
            report.warnings = [message for _, _, message in notes]
            set_meta(conn, "last_load", f"{report.batch_id}:{first}-{first + len(items) - 1}")
            audit.record(conn, username, "upload", _audit_detail(report))
    except DBAPIError as error:
        if is_locked_error(error):
            raise LoadError(say("locked")) from error
        _failed(engine, report, username, error)
    except Exception as error:
        _failed(engine, report, username, error)


def _write_file(conn, con, parsed, result, load_id, username, batch_id, workdir, valid_from) -> None:
    history.insert_history(
        conn, load_id=load_id, batch_id=batch_id, loaded_by=username, file_name=parsed.source.name,
        file_size=parsed.source.size, sha256=parsed.source.sha256, kind=parsed.kind.name,
        encoding=(parsed.reading.encoding or "")[:16], rows_in=parsed.rows_in,
        rows_loaded=parsed.loaded, rows_quarantined=parsed.quarantined, outcome="loaded",
        message=result.coverage[:2000] or None,
    )  # fmt: skip
    applied = apply_file(conn, con, parsed, load_id, workdir, valid_from)
    copy_side_outputs(conn, con, parsed, load_id, workdir, has_extras(parsed))
    history.insert_columns(conn, load_id, parsed.mapping)
    result.load_id, result.outcome = load_id, "loaded"
    result.written, result.replaced = applied.written, applied.replaced
    held = parsed.loaded - applied.written if parsed.kind.mode == "append" else 0
    if held > 0:
        result.notes.append(say("note_already_held", count=held))


def _pause_for_tests(offset: int) -> None:
    pause = os.environ.get(PAUSE_ENV)
    if pause and offset == 0:
        print("loader: paused mid-batch", file=sys.stderr, flush=True)
        time.sleep(float(pause))


def _audit_detail(report) -> str:
    files = "; ".join(f"{f.name} #{f.load_id} {f.kind} {f.loaded}/{f.rows_in}" for f in report.files)
    return f"batch {report.batch_id}: {files}"


def _failed(engine, report, username: str, error: Exception) -> None:
    """Record the failed attempt (best effort) and raise LoadError naming the cause."""
    cause = str(getattr(error, "orig", None) or error).splitlines()[0][:300]
    report.outcome, report.message = "failed", say("failed_rolled_back", cause=cause)
    for result in report.files:
        result.outcome, result.load_id, result.written, result.replaced = "failed", None, 0, 0
        result.message = result.message or report.message
    try:
        history.record_refusal(engine, report, username, outcome="failed")
        audit.record(engine, username, "upload", report.message[:500], success=False)
    except Exception:  # the warehouse may be unreachable: the error below still says what happened
        pass
    raise LoadError(report.message) from error
