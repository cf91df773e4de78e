"""Shape generated columns into frames that match analytics/schema.py exactly.

The generators work in plain numpy (days as integers since 1970-01-01, -1 for
missing); this module is the one place that turns them into the warehouse's
column order and dtypes, read from the schema itself so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, SmallInteger, String

from analytics import schema

NO_DAY = -1
EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01, the integer form every generator uses."""
    return (day - EPOCH).days


def to_dates(days: np.ndarray) -> np.ndarray:
    """Integer days (NO_DAY for missing) to datetime64[ms] with NaT."""
    days = np.asarray(days, dtype=np.int64)
    out = days.astype("datetime64[D]").astype("datetime64[ms]")
    out[days == NO_DAY] = np.datetime64("NaT")
    return out


def year_of(days: np.ndarray) -> np.ndarray:
    """Calendar year of integer days."""
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970


def month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 (year * 12 + month - 1 relative to 1970)."""
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype(int)


def yearly_ids(prefix: str, days: np.ndarray, width: int, rng: np.random.Generator) -> np.ndarray:
    """IDs like OPP2025000123: prefix, year, a sequence per year in the given order.

    The sequence advances by 1-3 so numbers look like a shared CRM counter.
    """
    years, numbers = yearly_numbers(days, rng)
    return id_texts(prefix, years, numbers, width)


def yearly_numbers(days: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The year and the per-year sequence number of :func:`yearly_ids`, as integers (the
    activities format them a slice at a time: six million id strings at demo scale 50)."""
    years = year_of(days)
    steps = rng.integers(1, 4, size=len(years))
    numbers = np.empty(len(years), dtype=np.int64)
    for year in np.unique(years):
        mask = years == year
        numbers[mask] = np.cumsum(steps[mask])
    return years, numbers


def id_texts(prefix: str, years: np.ndarray, numbers: np.ndarray, width: int) -> np.ndarray:
    """``prefix`` + year + the number zero-padded to ``width``, as an object array of str."""
    return np.array(
        [f"{prefix}{year}{n:0{width}d}" for year, n in zip(years.tolist(), numbers.tolist(), strict=True)],
        dtype=object,
    )


def _column(values, col) -> pd.Series | np.ndarray:
    """One column converted to the dtype its schema type calls for."""
    kind = col.type
    if isinstance(kind, String):
        return _text(values)
    if isinstance(kind, DateTime):
        return pd.Series(values).astype("datetime64[ms]")
    if isinstance(kind, Date):
        return pd.Series(values).astype("datetime64[ms]").dt.normalize()
    if isinstance(kind, Boolean):
        return pd.Series(values).astype(bool)
    if isinstance(kind, Numeric):
        return pd.Series(values, dtype=float).round(2)
    if isinstance(kind, (SmallInteger, Integer)):
        small = isinstance(kind, SmallInteger)
        if col.nullable and not col.primary_key:
            return pd.Series(values).astype("Int16" if small else "Int64")
        return pd.Series(values).astype(np.int16 if small else np.int64)
    return pd.Series(values)


def _text(values) -> pd.Series:
    """A text column: str values, None for missing (None or NaN).

    Values that are already text (or missing) are kept as they are, checked in C
    (``infer_dtype``); only other values go through ``str`` one by one.  The
    per-value loop took a third of the generator's time at demo scale 5.
    """
    series = pd.Series(values, dtype=object)
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        missing = series.isna().to_numpy()
        if missing.any():
            series = series.copy()
            series[missing] = None
        return series
    return pd.Series([None if v is None or v != v else str(v) for v in values], dtype=object)


def typed_columns(table_name: str, data: dict) -> dict[str, pd.Series]:
    """The given columns converted as :func:`conform` converts them, to be taken from
    row by row later (``taken``): the snapshot exports convert the columns that do
    not change between weeks once, not once per export."""
    table = schema.metadata.tables[table_name]
    return {name: pd.Series(_column(values, table.columns[name])) for name, values in data.items()}


def taken(columns: dict[str, pd.Series], rows: np.ndarray) -> dict[str, pd.Series]:
    """Rows of typed columns (positions), each a new column indexed from 0."""
    return {name: pd.Series(series.array.take(rows), dtype=series.dtype) for name, series in columns.items()}


def conform(
    table_name: str, data: dict, consume: bool = False, typed: dict[str, pd.Series] | None = None
) -> pd.DataFrame:
    """A frame with exactly the schema's columns (minus load_id), in order, typed.

    The columns are not stacked into one block per dtype (``copy=False``): the
    stacking copied the whole frame while the columns were still held, which at
    millions of snapshot rows was gigabytes.  With ``consume`` each input column
    is dropped from ``data`` as soon as it is converted, for the same reason.  A nullable
    column the generator does not make is empty, as when an export leaves out an
    optional field: a column added to the schema needs no change here.  Columns in
    ``typed`` (from :func:`taken`) are converted already and used as they are.
    """
    table = schema.metadata.tables[table_name]
    rows = len(next(iter(data.values())))
    cols = {}
    for col in table.columns:
        if col.name == "load_id":
            continue
        if typed and col.name in typed:  # converted already (typed_columns), rows taken
            cols[col.name] = typed.pop(col.name)
            continue
        if col.name not in data and col.nullable:
            values = [None] * rows
        else:
            values = data.pop(col.name) if consume else data[col.name]
        cols[col.name] = pd.Series(_column(values, col)).reset_index(drop=True)
        del values
    return pd.DataFrame(cols, copy=False)
