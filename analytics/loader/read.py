"""Getting a source file ready for DuckDB's CSV reader: decoded, header read, sheet chosen.

Spreadsheets are written out as UTF-8 CSV with their sheet row numbers in a
leading column; text files are decoded (detect.py, decode.py).  :func:`csv_scan`
is the ``read_csv`` call parse.py reads them with: every column as text
(``c0``, ``c1`` … — header names never become SQL names), ragged rows set aside
by DuckDB (``store_rejects``) to become quarantined lines.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from analytics.loader import detect
from analytics.loader.decode import Decoded, DecodeError, decode_file
from analytics.loader.messages import say
from analytics.loader.mixed import decode_sample_lines
from analytics.loader.sources import Source


@dataclass
class Reading:
    encoding: str | None = None
    delimiter: str | None = None
    headers: list[str] = field(default_factory=list)
    path: Path | None = None  # the UTF-8 CSV DuckDB reads
    decoded: Decoded | None = None  # text files: newline counts for line numbers
    line_column: bool = False  # spreadsheets: c0 holds the sheet row number
    records: int = 0
    refusal: str | None = None
    choices: tuple[str, ...] = ()  # encodings or sheets the analyst may pick
    sheet: str | None = None  # spreadsheets: the sheet read
    notes: list[str] = field(default_factory=list)


class Refused(Exception):
    def __init__(self, message: str, choices: tuple[str, ...] = ()):
        super().__init__(message)
        self.choices = choices


def read_source(
    con, source: Source, schema: str, encoding: str | None, sheet: str | None, workdir: Path
) -> Reading:
    """Fill ``<schema>.rows``; a Reading with ``refusal`` set when the file cannot be read."""
    reading = Reading()
    try:
        if source.suffix in (".xlsx", ".xls"):
            _read_sheet(con, source, schema, sheet, workdir, reading)
        else:
            _read_text(con, source, schema, encoding, workdir, reading)
    except Refused as refusal:
        reading.refusal, reading.choices = str(refusal), refusal.choices
    except detect.HeaderError as error:
        reading.refusal = str(error)
    except Exception as error:
        if not _broken_workbook(error):
            raise
        reading.refusal = say("refused_unreadable_workbook", error=error)
    return reading


def _broken_workbook(error: Exception) -> bool:
    """The spreadsheet reader's own errors: a broken part may surface only when a sheet is read."""
    from python_calamine import CalamineError

    return isinstance(error, CalamineError)


def _read_text(
    con, source: Source, schema: str, encoding: str | None, workdir: Path, reading: Reading
) -> None:
    with open(source.path, "rb") as handle:
        sample = handle.read(detect.SAMPLE_BYTES)
    if not sample.strip(b"\xef\xbb\xbf \t\r\n"):
        raise Refused(say("refused_empty"))
    decoded, text = _decode(source, sample, encoding, workdir)
    if source.digest is None:
        source.digest = decoded.sha256
    reading.encoding = decoded.encoding
    if decoded.boms_removed:
        reading.notes.append(say("note_boms_removed", count=decoded.boms_removed))
    reading.headers, reading.delimiter = detect.header_fields(text)
    if not any(reading.headers):
        raise Refused(say("refused_no_header"))
    reading.path, reading.decoded = decoded.path, decoded


def _decode(source: Source, sample: bytes, encoding: str | None, workdir: Path) -> tuple[Decoded, str]:
    """Decode with the analyst's codec, or walk the automatic chain; refuse when in doubt.

    A codec that leaves lines it cannot decode (quarantined, decode.py) gives way to a
    later one of the chain that decodes them (GBK to GB18030), else the one leaving fewest.
    """
    complete = source.size <= len(sample)
    if encoding:  # the analyst's choice: strict, with the bad lines or the first bad byte named
        try:
            codec = detect.canonical(encoding)
            return decode_file(source.path, codec, workdir), _sample_text(sample, codec, complete)
        except ValueError as error:
            raise Refused(str(error), detect.KNOWN) from error
        except DecodeError as error:
            raise Refused(str(error), detect.KNOWN) from error
    found = detect.guess(sample, complete)
    if isinstance(found, detect.Doubt):
        raise Refused(say("refused_encoding_doubt", reason=found.reason), found.candidates)
    first = found[0]
    chain = (
        list(detect.AUTO_CHAIN[detect.AUTO_CHAIN.index(first) :]) if first in detect.AUTO_CHAIN else [first]
    )
    best: tuple[Decoded, str] | None = None
    for codec in chain:
        text = found[1] if codec == first else detect.decode_sample(sample, codec, complete)
        if text is None or (codec != first and not detect.looks_chinese(text)):
            continue
        try:
            decoded = decode_file(source.path, codec, workdir)
        except DecodeError:
            continue
        if not decoded.undecodable:
            return decoded, text
        if best is None or decoded.undecodable < best[0].undecodable:
            best = decoded, text
    if best is not None:
        return best
    raise Refused(say("refused_encoding_tail"), detect.candidates(sample))


def _sample_text(sample: bytes, codec: str, complete: bool) -> str:
    """The sample as text for the header: strictly, else line by line (bad lines set apart)."""
    text = detect.decode_sample(sample, codec, complete)
    if text is None and (lines := decode_sample_lines(sample, codec, complete)) is not None:
        text = lines.text
    return text or ""


def csv_scan(schema: str, reading: Reading) -> tuple[str, dict]:
    """The ``read_csv`` table function for a prepared source, and its parameters.

    Every column is text; ragged lines go to the reject table ``<schema>_errors``.
    """
    ncols = len(reading.headers) + (1 if reading.line_column else 0)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols)) + "}"
    sql = (
        f"read_csv($path, delim = $delim, quote = '\"', escape = '\"', header = false, skip = 1, "
        f"auto_detect = false, columns = {columns}, store_rejects = true, rejects_table = '{schema}_errors', "
        f"rejects_scan = '{schema}_scans', max_line_size = 4194304)"
    )
    return sql, {"path": str(reading.path), "delim": reading.delimiter}


def _read_sheet(con, source: Source, schema: str, sheet: str | None, workdir: Path, reading: Reading) -> None:
    """The named sheet, else the first (data-contract.md) that is not blank.

    The others are named in a note and offered as ``choices``: a workbook's 填写说明
    sheet never stops a batch, and the analyst can still pick it.
    """
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(source.path))
    except Exception as error:  # calamine raises its own error types for broken files
        raise Refused(say("refused_spreadsheet", error=error)) from error
    names = [m.name for m in book.sheets_metadata if str(m.visible).endswith("Visible")] or book.sheet_names
    if sheet is not None and sheet not in book.sheet_names:
        raise Refused(say("refused_no_sheet", sheet=sheet, sheets="、".join(names)), tuple(names))
    if sheet is None:  # the first sheet holding anything: a blank leading sheet is no data
        sheet = next((n for n in names if book.get_sheet_by_name(n).height > 0), None)
        if sheet is None:
            raise Refused(say("refused_empty"))
    others = [n for n in names if n != sheet]
    reading.sheet, reading.choices = sheet, (tuple(names) if others else ())
    table = book.get_sheet_by_name(sheet)
    if table.height == 0:
        raise Refused(say("refused_empty_sheet", sheet=sheet, others="、".join(others)), reading.choices)
    target = workdir / f"{schema}_sheet.csv"
    reading.encoding, reading.delimiter = "xlsx", ","
    reading.headers = _write_sheet(table, target)
    if not any(reading.headers):
        raise Refused(say("refused_sheet_no_header", sheet=sheet), reading.choices)
    reading.notes.append(sheet_note(sheet, others))
    reading.path, reading.line_column = target, True


def sheet_note(sheet: str, others: list[str]) -> str:
    """Which sheet was read, and which others the workbook holds (preview and load report)."""
    if not others:
        return say("note_reading_sheet", sheet=sheet)
    return say("note_reading_sheet_others", sheet=sheet, others="、".join(others))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M:%S")
            if value.time() != datetime.min.time()
            else f"{value:%Y-%m-%d}"
        )
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    text = str(value)
    return text.replace("\ufeff", "") if "\ufeff" in text else text  # a BOM pasted into a cell


def _write_sheet(table, target: Path) -> list[str]:
    """The sheet as CSV with its row numbers first; blank rows are not rows."""
    start = table.start[0] if table.start else 0
    rows = table.iter_rows()
    headers = [_cell(v).strip() for v in next(rows, [])]
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", *headers])
        for offset, row in enumerate(rows, start=start + 2):
            cells = [_cell(v) for v in row]
            if any(c.strip() for c in cells):
                writer.writerow([offset, *cells])
    return headers
