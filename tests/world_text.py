"""Reading fixture worlds written as text tables: shared by every *_world.py."""

from __future__ import annotations

import io

import pandas as pd

from analytics.loader.kinds import KINDS

NUMBERS = ("int", "year", "month", "period", "stage", "to_stage")


def read_table(text: str) -> pd.DataFrame:
    """A CSV text block as strings, empty cells as None."""
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).replace("", None)


def with_contract_fields(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """``frame`` with each optional field of the loader's ``kind`` it lacks, as an empty cell
    loads it: a flag as its default, a number as missing, anything else as None.

    A world writes only the columns it means; the rest come from the loader's field
    list (analytics/loader/kinds.py), so a column added there reaches every world.
    """
    for field in KINDS[kind].fields:
        if field.target in frame or field.required:
            continue
        if field.type == "flag":
            frame[field.target] = bool(field.default)
        elif field.type in NUMBERS:
            frame[field.target] = pd.array([None] * len(frame), dtype="Int64")
        else:
            frame[field.target] = None
    return frame


def parse_dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Turn ISO date text columns into dates, in place."""
    for column in columns:
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame
