"""Reading fixture worlds written as text tables: shared by every *_world.py."""

from __future__ import annotations

import io

import pandas as pd


def read_table(text: str) -> pd.DataFrame:
    """A CSV text block as strings, empty cells as None."""
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).replace("", None)


def parse_dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Turn ISO date text columns into dates, in place."""
    for column in columns:
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame
