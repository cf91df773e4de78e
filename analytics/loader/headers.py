"""Matching a file's headers to a kind's fields.

Real exports write the same header many ways: ``金额（万元）``, ``金额(万元)``,
`` 金额 ``, ``Amount``.  Headers are compared after NFKC normalisation (full
width to half width, so ``（）`` become ``()``), case folding and removing
spaces, underscores and hyphens, with a bracketed unit suffix split off.  A
unit of 万元 multiplies an amount column by 10,000.  Header names are data:
they are only ever compared here and passed to SQL as bound parameters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from analytics.loader.kinds import KINDS, Kind

WAN = 10_000
_UNIT = re.compile(r"^(?P<base>.*?)\s*(?:[(\[](?P<unit>[^()\[\]]*)[)\]]|/(?P<slash>万元|元|万))$")
_IGNORED = re.compile(r"[\s_\-]+")


def normalise(header: str) -> str:
    """Width, case and spaces folded: the form synonyms are compared in."""
    text = unicodedata.normalize("NFKC", header or "").replace("\ufeff", "")
    return _IGNORED.sub("", text).casefold()


def split_unit(header: str) -> tuple[str, str | None]:
    """(normalised base, unit) for ``金额（万元）`` → ("金额", "万元")."""
    text = unicodedata.normalize("NFKC", header or "").strip()
    match = _UNIT.match(text)
    if match:
        unit = (match.group("unit") or match.group("slash") or "").strip()
        return normalise(match.group("base")), unit or None
    base = normalise(text)
    if base.endswith("万元") and len(base) > 2:
        return base[:-2], "万元"
    return base, None


def scale_of(unit: str | None) -> int:
    """The multiplier a unit suffix implies for amounts."""
    return WAN if unit and "万" in unit else 1


@dataclass(frozen=True)
class Column:
    position: int
    header: str
    field: str | None  # None: an extra column, kept in the raw copy only
    unit: str | None = None

    @property
    def scale(self) -> int:
        return scale_of(self.unit)


@dataclass
class Mapping:
    kind: Kind
    columns: list[Column]
    missing: list[str] = field(default_factory=list)  # required fields without a column

    def column_for(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name), None)

    @property
    def extras(self) -> list[Column]:
        return [c for c in self.columns if c.field is None]


def _synonyms(kind: Kind) -> dict[str, str]:
    table: dict[str, str] = {}
    for f in kind.fields:
        for name in (f.name, *f.headers):
            table.setdefault(normalise(name), f.name)
    return table


def match(kind: Kind, headers: list[str], overrides: dict[str, str | None] | None = None) -> Mapping:
    """Map headers to the kind's fields; the first header claiming a field wins.

    ``overrides`` maps a header (as in the file) to a field name, or to None to
    ignore the column.
    """
    synonyms, taken, columns = _synonyms(kind), set(), []
    overrides = overrides or {}
    for position, header in enumerate(headers):
        base, unit = split_unit(header)
        if header in overrides:
            name = overrides[header]
            name = name if name in {f.name for f in kind.fields} else None
        else:
            exact = synonyms.get(normalise(header))
            name = exact or synonyms.get(base)
            unit = None if exact else unit
        if name in taken:
            name = None
        if name is not None:
            taken.add(name)
        columns.append(Column(position, header, name, unit if name else None))
    missing = [f.name for f in kind.required if f.name not in taken]
    return Mapping(kind, columns, missing)


def accepted_headers(kind: Kind, name: str) -> list[str]:
    """The header names that would have been accepted for a field."""
    return [*kind.field(name).headers, name]


def score(kind: Kind, headers: list[str]) -> tuple[int, int, int]:
    """How well headers fit a kind: (all required present, required found, fields found)."""
    mapping = match(kind, headers)
    found = sum(1 for c in mapping.columns if c.field)
    required = len(kind.required) - len(mapping.missing)
    return (int(not mapping.missing), required, found)


def best_kind(headers: list[str], file_name: str = "") -> tuple[Kind | None, list[tuple[str, tuple]]]:
    """The kind the headers fit best (None when nothing fits), with every score."""
    scored = []
    for kind in KINDS.values():
        hint = int(any(h in file_name.lower() for h in kind.hints))
        complete, required, found = score(kind, headers)
        ratio = found / len(kind.fields)
        scored.append((kind.name, (complete, required / len(kind.required), found, hint, ratio)))
    scored.sort(key=lambda item: item[1], reverse=True)
    name, best = scored[0]
    if best[0] or best[1] >= 0.5:
        return KINDS[name], scored
    return None, scored
