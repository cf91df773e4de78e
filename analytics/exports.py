"""Excel exports: frames → one workbook, and the audit row that says who took it.

Exports go through analytics so the command line, the pages and the meeting
pack share one writer; xlsxwriter writes native Excel (with dates as dates
and amounts as numbers), and every export a person takes is recorded in the
audit log with what was exported.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from sqlalchemy.engine import Engine

from analytics import audit

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31  # Excel's limit on sheet names


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("_", str(name))[:_SHEET_MAX] or "Sheet"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f"~{n}"
        candidate = base[: _SHEET_MAX - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def _for_excel(frame: pd.DataFrame) -> pd.DataFrame:
    """Timezone-aware datetimes are refused by Excel writers: drop the zone."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_localize(None)
    return out


def to_excel(frames: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per frame (sheet name = key), header row frozen, columns sized to fit."""
    buffer = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", date_format="yyyy-mm-dd") as writer:
        for name, frame in frames.items():
            sheet = _sheet_name(name, taken)
            _for_excel(frame).to_excel(writer, sheet_name=sheet, index=False)
            worksheet = writer.sheets[sheet]
            worksheet.freeze_panes(1, 0)
            for i, column in enumerate(frame.columns):
                sample = frame[column].head(200).astype(str).str.len()
                width = max(len(str(column)), int(sample.max()) if len(sample) else 0)
                worksheet.set_column(i, i, min(max(width + 2, 8), 60))
    return buffer.getvalue()


def export_workbook(engine: Engine, username: str, frames: dict[str, pd.DataFrame], detail: str) -> bytes:
    """The workbook of ``frames``, recorded in the audit log as an export by ``username``."""
    content = to_excel(frames)
    rows = sum(len(frame) for frame in frames.values())
    audit.record(engine, username, "export", f"{detail} ({rows} rows)")
    return content
