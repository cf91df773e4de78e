"""Widgets the funnel-area pages share: code names, flags, cached calls with parameters.

Tables are ``ui.tables.show_table``.  ``bound`` lets a page cache an analytics
function that takes parameters besides the context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from analytics.context import Context
from ui.i18n import t


def bound(function: Callable[..., Any], **params: Any) -> Callable[[Context], Any]:
    """``function(ctx, **params)`` as a one-argument function whose name carries the params.

    ui.data.compute keys its cache on the function's module and qualified name,
    so each distinct set of parameters gets an entry of its own.
    """

    def run(ctx: Context) -> Any:
        return function(ctx, **params)

    run.__module__ = function.__module__
    run.__qualname__ = f"{function.__qualname__}{sorted(params.items())!r}"
    return run


def stage_name(stage: Any) -> str:
    return t(f"stage_{stage}")


def code_names(values: pd.Series, prefix: str) -> pd.Series:
    """Codes (status, class, origin) → labels; unknown codes shown as they are."""
    return values.map(lambda code: t(f"{prefix}_{code}") if pd.notna(code) else t("segment_none"))


def segment_names(dimension: str, values: pd.Series) -> pd.Series:
    """A breakdown's segment values as shown: class and origin translated, blanks named."""
    prefix = {"class": "class", "origin": "origin"}.get(dimension)
    if prefix:
        return code_names(values, prefix)
    return values.fillna(t("segment_none"))


def flag_text(frame: pd.DataFrame, columns: dict[str, str]) -> pd.Series:
    """'重点、竞争' from boolean columns (column → label key), column by column."""
    text = pd.Series("", index=frame.index, dtype=object)
    for column, key in columns.items():
        text = text + np.where(frame[column].astype("boolean").fillna(False), t(key) + "、", "")
    return text.str.rstrip("、")
