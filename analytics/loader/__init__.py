"""The loader: export files (data-contract.md) into the warehouse, losing nothing.

``inspect`` previews a batch without writing; ``load`` writes it all or
nothing and returns the validation report; ``history`` lists loads and undoes
them.  The upload page and ``python -m analytics load`` call these same
functions.  Modules, in the order a file passes through them:

sources (zip, limits) → detect/decode/transcode (encoding) → read/lines (DuckDB
CSV reader, line numbers) → headers (synonyms, 万元) → parse/cells (typed
values, SQL macros) → rules (quarantine) → summary → write/apply/transfer (one
warehouse transaction; replacement counts what it replaces first) → checks
(warnings, column diff) → report / history.
"""

from __future__ import annotations

from analytics.loader.batch import Announce, inspect, load
from analytics.loader.history import UndoRefused, loads, notes, quarantine_rows, undo, undo_plan
from analytics.loader.kinds import KINDS, ORDER
from analytics.loader.parse import Overrides
from analytics.loader.replacement import Replacement
from analytics.loader.report import (
    BatchReport,
    FileResult,
    Step,
    quarantine_for_people,
    to_excel,
    write_quarantine,
)
from analytics.loader.sources import Input
from analytics.loader.write import LoadError

__all__ = [
    "KINDS",
    "ORDER",
    "Announce",
    "BatchReport",
    "FileResult",
    "Input",
    "LoadError",
    "Overrides",
    "Replacement",
    "Step",
    "UndoRefused",
    "inspect",
    "load",
    "loads",
    "notes",
    "quarantine_for_people",
    "quarantine_rows",
    "to_excel",
    "undo",
    "undo_plan",
    "write_quarantine",
]
