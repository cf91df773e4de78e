"""The loader's named SQL files and the one way identifiers get into them.

Loader SQL lives in ``analytics/loader/sql/`` (one statement list per file,
named after what it does).  A file may hold ``{{ name }}`` slots for table and
column names; :func:`render` fills them only with identifiers that pass
:func:`analytics.sqlnames.quote_identifier` (our own field and table names),
or with fragments built here from such identifiers.  Values (including every
header name and cell value from a file) travel as bound parameters.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from analytics.sqlnames import quote_identifier

SQL_DIR = Path(__file__).resolve().parent / "sql"
_SLOT = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


class Fragment(str):
    """SQL text assembled from quoted identifiers only (see the helpers below)."""


@cache
def read(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"bad loader SQL name {name!r}")
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def ident(name: str) -> Fragment:
    """A quoted identifier, or a schema-qualified one (``f0.clean``)."""
    return Fragment(".".join(quote_identifier(part) for part in name.split(".")))


def column_list(names: list[str] | tuple[str, ...], alias: str | None = None) -> Fragment:
    prefix = f"{quote_identifier(alias)}." if alias else ""
    return Fragment(", ".join(prefix + quote_identifier(n) for n in names))


def render(name: str, **slots: Fragment) -> str:
    """The named SQL with its slots filled; every slot value must be a Fragment."""
    for key, value in slots.items():
        if not isinstance(value, Fragment):
            raise TypeError(f"slot {key} must be built from identifiers")

    def fill(match: re.Match) -> str:
        return slots[match.group(1)]

    return _SLOT.sub(fill, read(name))


def statements(sql: str) -> list[str]:
    """Split a file into statements on lines ending with ';' (comments dropped)."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [part.strip() for part in re.split(r";\s*(?:\n|$)", body) if part.strip()]
