"""The validation report: what happened to every row of every file, as text and as Excel.

The same report object is printed by ``python -m analytics load``, rendered by
the upload page and downloaded as a workbook (summary, quarantined rows,
warnings).  ``rows_in = loaded + quarantined`` holds for each file by
construction: both counts come from the same parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics.loader.messages import say
from analytics.xlsx import Column, Sheet, workbook

OUTCOMES = ("loaded", "unchanged", "refused", "failed", "preview", "unconfirmed")
"""A file's or a batch's outcome; in words: messages.py outcome_<code>."""


def outcome_words(outcome: str) -> str:
    """An outcome code in the loader's language (an unknown one as it is)."""
    return say(f"outcome_{outcome}") if outcome in OUTCOMES else outcome


@dataclass
class FileResult:
    name: str
    size: int = 0
    sha256: str = ""
    kind: str | None = None
    kind_label: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rows_in: int = 0
    loaded: int = 0
    quarantined: int = 0
    written: int = 0  # rows new to the warehouse (loaded minus rows already held)
    replaced: int = 0  # rows of the warehouse this load replaced
    coverage: str = ""
    covered: list = field(default_factory=list)
    load_id: int | None = None
    outcome: str = "preview"
    message: str | None = None
    choices: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    mapping: list[dict] = field(default_factory=list)  # header, field, unit
    headers: list[str] = field(default_factory=list)
    preview: pd.DataFrame | None = None  # first rows as they will be stored
    sample: pd.DataFrame | None = None  # first quarantined problems (preview)
    diff: dict | None = None
    replacements: list = field(default_factory=list)  # replacement.Replacement: what it replaces


@dataclass
class Step:
    """One step run after the batch committed (analytics/ingest.py): what, for how long, and
    why it failed, if it did (the load stays committed; the step is retried later)."""

    code: str  # freeze | derived …: the label catalogue's key for the upload page is f"step_{code}"
    label: str  # as the command line prints it
    seconds: float
    detail: str = ""  # what it worked on (a snapshot date …)
    error: str | None = None


@dataclass
class BatchReport:
    batch_id: str
    outcome: str
    files: list[FileResult]
    warnings: list[str] = field(default_factory=list)
    quarantine: pd.DataFrame = field(default_factory=pd.DataFrame)
    message: str | None = None
    after_commit: list[Step] = field(default_factory=list)  # filled in by analytics/ingest.py

    @property
    def rows_in(self) -> int:
        return sum(f.rows_in for f in self.files)

    @property
    def loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.quarantined for f in self.files)

    @property
    def ok(self) -> bool:
        return self.outcome in ("loaded", "unchanged")

    def summary_frame(self) -> pd.DataFrame:
        """One row per file, headed in the loader's language (messages.py summary_<column>)."""
        rows = [
            {
                "file": f.name,
                "kind": f.kind_label or "",
                "encoding": f.encoding or "",
                "rows_in": f.rows_in,
                "loaded": f.loaded,
                "quarantined": f.quarantined,
                "written": f.written,
                "replaced": f.replaced,
                "coverage": f.coverage,
                "outcome": outcome_words(f.outcome),
                "message": f.message or "；".join(f.notes),
                "load_id": f.load_id,
            }
            for f in self.files
        ]
        frame = pd.DataFrame(rows, columns=list(SUMMARY_ORDER)).rename(columns=lambda c: say(f"summary_{c}"))
        return frame.assign(**{"SHA-256": [f.sha256 for f in self.files]})

    def text(self, max_rows: int = 50) -> str:
        """The report as the command line prints it."""
        lines = [f"导入结果 / outcome: {outcome_words(self.outcome)} ({self.outcome})"]
        if self.message:
            lines.append(self.message)
        for f in self.files:
            head = f"- {f.name}: {f.kind_label or '?'} ({f.kind or '?'}), {f.encoding or '?'}"
            lines.append(head + f" — {outcome_words(f.outcome)}")
            if f.outcome in ("loaded", "preview", "unchanged") or f.rows_in:
                lines.append(
                    f"    读入 {f.rows_in:,} 行 = 导入 {f.loaded:,} + 隔离 {f.quarantined:,}"
                    f"（新写入 {f.written:,}，替换 {f.replaced:,}）  rows in = loaded + quarantined"
                )
            for extra in (f.coverage, f.message, *f.notes):
                if extra:
                    lines.append(f"    {extra}")
            if f.choices:
                lines.append("    可选 / choices: " + ", ".join(f.choices))
        lines.append(
            f"合计 / total: in {self.rows_in:,} = loaded {self.loaded:,} + quarantined {self.quarantined:,}"
        )
        lines += [f"警告 / warning: {w}" for w in self.warnings]
        lines += steps_text(self.after_commit)
        if len(self.quarantine):
            lines.append("隔离的行 / quarantined rows (file, line, field, value, reason):")
            for row in self.quarantine.head(max_rows).itertuples(index=False):
                lines.append(
                    f"    {row.file_name}:{row.line_no} [{row.field or ''}] "
                    f"{row.raw_value or ''!r} — {row.reason}"
                )
            if len(self.quarantine) > max_rows:
                lines.append(f"    … 另有 {len(self.quarantine) - max_rows:,} 条（用 --report 文件查看全部）")
        return "\n".join(lines)


def steps_text(steps: list[Step]) -> list[str]:
    """The steps after a commit, each with its real time, as the command line prints them."""
    if not steps:
        return []
    total = sum(step.seconds for step in steps)
    return [f"提交后的步骤 / after the commit ({total:.2f} s):", *(step_line(step) for step in steps)]


def step_line(step: Step) -> str:
    """One post-commit step with its real time, or why it failed and when it is retried."""
    what = f"{step.label} {step.detail}".strip()
    if step.error is None:
        return f"    {what}: {step.seconds:.2f} s"
    return (
        f"    {what}: 失败 / failed after {step.seconds:.2f} s — {step.error}"
        "（数据已导入；下次导入或启动时自动补做 / the data is loaded; retried at the next load or start）"
    )


QUARANTINE_COLUMNS = ("file_name", "line_no", "field", "raw_value", "reason", "raw_row")
"""The quarantined rows' columns people read, headed by messages.py quarantine_<column>."""
SUMMARY_ORDER = (
    "file", "kind", "encoding", "rows_in", "loaded", "quarantined", "written", "replaced", "coverage",
    "outcome", "message", "load_id",
)  # fmt: skip
SUMMARY_NUMBERS = {"rows_in", "loaded", "quarantined", "written", "replaced", "load_id"}


def quarantine_for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """The quarantined rows as people read them: the columns that matter, headed in words."""
    columns = [c for c in QUARANTINE_COLUMNS if c in frame.columns]
    return frame[columns].rename(columns=lambda c: say(f"quarantine_{c}"))


def report_numbers() -> set[str]:
    """Headers of the report workbook's columns that hold counts; every other cell is text."""
    return {say(f"summary_{c}") for c in SUMMARY_NUMBERS} | {say("quarantine_line_no")}


def _report_sheet(name: str, frame: pd.DataFrame) -> Sheet:
    numbers = report_numbers()
    kinds = [Column(c, c, "int" if c in numbers else "text") for c in frame.columns]
    return Sheet(name, frame, kinds)


def to_excel(report: BatchReport) -> bytes:
    """The report as an .xlsx workbook: 汇总, 隔离行, 警告 — through the one writer, so a cell
    of an uploaded file (``=HYPERLINK(…)``) comes back as text, never as a formula or link."""
    return workbook(
        [
            _report_sheet("汇总", report.summary_frame()),
            _report_sheet("隔离行", quarantine_for_people(report.quarantine)),
            _report_sheet("警告", pd.DataFrame({"警告": report.warnings}, dtype=object)),
        ]
    )


def write_quarantine(report: BatchReport, path) -> None:
    """``--report FILE``: the quarantined rows as CSV (UTF-8 with BOM, opens in Excel) or .xlsx."""
    if str(path).lower().endswith(".xlsx"):
        with open(path, "wb") as handle:
            handle.write(to_excel(report))
        return
    quarantine_for_people(report.quarantine).to_csv(path, index=False, encoding="utf-8-sig")
