"""The one helper that puts identifiers into SQL.

Values always travel as bound parameters; identifiers (table and column names)
cannot, so they pass through this whitelist check instead.  Nothing read from
an uploaded file is ever spliced into SQL.
"""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def quote_identifier(name: str) -> str:
    """Quote a known-safe identifier; refuse anything else."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return f'"{name}"'
