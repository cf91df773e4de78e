"""How a field's cell is read, parsed and reported: the SQL expressions for one field.

parse.py reads every cell as text.  A text field keeps ``r_<field>``, its cell
trimmed (NULL when blank).  Any other field keeps ``cell_<field>``, the cell as
read, and ``<field>``, the value its parser (sql/macros.sql) made of it.  The
rules and the quarantine report need a field's trimmed text only for the rows
they report, so they trim there (:func:`raw_text`).  Every expression is built
from our own field names (quoted identifiers) and macro names only.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.loader.headers import Mapping
from analytics.loader.kinds import Kind
from analytics.loader.sqlfiles import Fragment, ident

PARSERS = {
    "date": "parse_date({raw})",
    "datetime": "parse_datetime({raw})",
    "period": "parse_period({raw})",
    "amount": "parse_amount({raw}, {scale})",
    "int": "parse_int({raw})",
    "year": "parse_year({raw})",
    "month": "parse_month({raw})",
    "flag": "parse_flag({raw})",
    "stage": "parse_stage({raw})",
    "to_stage": "parse_stage({raw})",
}


def parser_sql(field_type: str) -> str:
    """The parser macro call for a field type, with ``{raw}`` (and ``{scale}``) to fill."""
    if field_type.startswith("code:"):
        vocab = field_type[5:]
        if not vocab.isidentifier():
            raise ValueError(field_type)
        return f"parse_{vocab}({{raw}})"
    return PARSERS[field_type]


@dataclass(frozen=True)
class Retry:
    """A parsed column whose cells that did not parse as read are parsed again, trimmed."""

    target: Fragment  # the parsed column
    cell: Fragment  # the cell as read
    parser: str  # the parser, with {raw} for its argument

    @property
    def failed(self) -> str:
        """No value from a cell that is not blank as read."""
        return f"({self.target} IS NULL AND {self.cell} IS NOT NULL)"

    @property
    def trimmed(self) -> str:
        """The trimmed cell when the cell failed and trimming changes it, else NULL.

        A CASE: DuckDB evaluates only its matching rows (an AND outside WHERE computes
        both sides for every row).
        """
        return f"CASE WHEN {self.failed} THEN nullif(clean_text({self.cell}), {self.cell}) END"


def retry_counts(table: str, retries: list[Retry], failed: str) -> str:
    """Per retried column, the cells worth parsing again, over the rows flagged ``failed``."""
    counts = ", ".join(f"count({r.trimmed})" for r in retries)
    return f"SELECT {counts} FROM {ident(table)} WHERE {ident(failed)}"


def field_columns(kind: Kind, mapping: Mapping, offset: int) -> tuple[list[str], list[str], list[Retry]]:
    """The two projections parse.py reads a file through, and the columns to retry trimmed.

    ``cells`` names each field's cell (``c<i>``, shifted by ``offset`` when a leading
    column holds sheet row numbers); ``values`` keeps the text and parses the rest.
    A parser either ignores the spaces around a value or refuses it, and trimming every
    cell costs more than most parsers, so a cell is parsed as read and only the ones that
    fail, and that trimming would change, are parsed again, trimmed (:func:`retry_counts`,
    :func:`retry_trimmed`): a few rows, if any.  Text fields are trimmed here: their
    trimmed text is their value.
    """
    cells, values, retries = [], [], []
    for f in kind.fields:
        column = mapping.column_for(f.name)
        cell = f"c{column.position + offset}" if column else "CAST(NULL AS VARCHAR)"
        if f.type == "text":
            cells.append(f"clean_text({cell}) AS {ident(f'r_{f.name}')}")
            values.append(str(ident(f"r_{f.name}")))
            continue
        raw = ident(f"cell_{f.name}")
        cells.append(f"{cell} AS {raw}")
        values.append(str(raw))
        parsers = {f.name: parser_sql(f.type).replace("{scale}", str(int(column.scale) if column else 1))}
        if f.status_column:
            parsers[f.status_column] = "parse_to_status({raw})"
        for target, parser in parsers.items():
            values.append(f"{parser.format(raw=raw)} AS {ident(target)}")
            retries.append(Retry(ident(target), raw, parser))
    for c in mapping.extras:
        cells.append(f"c{c.position + offset} AS x{c.position}")
        values.append(f"x{c.position}")
    return cells, values, retries


def retry_trimmed(table: str, retries: list[Retry], also: dict[str, str]) -> str:
    """The UPDATE parsing again, trimmed, the cells of ``table`` that did not parse as read.

    The trimmed text is a column of a subquery, not an argument written into the parser:
    macros are expanded in place, and a parser mentions its argument many times, so
    ``parse_date(clean_text(x))`` alone takes DuckDB a second to plan.  ``also``: more
    columns to set on those rows, over ``p`` (old values) and ``f`` (retried values).
    Only rows a retry gave a value are written: usually none.
    """
    trimmed = ", ".join(f"{r.trimmed} AS t{i}" for i, r in enumerate(retries))
    values = ", ".join(f"{r.parser.format(raw=f't{i}')} AS v{i}" for i, r in enumerate(retries))
    sets = [f"{r.target} = coalesce(p.{r.target}, f.v{i})" for i, r in enumerate(retries)]
    sets += [f"{ident(k)} = {v}" for k, v in also.items()]
    failed = " OR ".join(r.failed for r in retries)
    parsed = " OR ".join(f"v{i} IS NOT NULL" for i in range(len(retries)))
    return (
        f"UPDATE {ident(table)} AS p SET {', '.join(sets)} FROM (SELECT * FROM (SELECT id, {values} FROM "
        f"(SELECT rowid AS id, {trimmed} FROM {ident(table)} WHERE {failed}) AS t) AS v WHERE {parsed}) AS f "
        "WHERE p.rowid = f.id"
    )


def raw_text(kind: Kind, name: str, alias: str | None = None) -> Fragment:
    """SQL for the trimmed text of field ``name``'s cell (NULL when blank), for rules and reports."""
    prefix = f"{ident(alias)}." if alias else ""
    if kind.field(name).type == "text":
        return Fragment(f"{prefix}{ident(f'r_{name}')}")
    return Fragment(f"clean_text({prefix}{ident(f'cell_{name}')})")


def blank(kind: Kind, name: str) -> Fragment:
    """SQL true when field ``name``'s cell is blank; a parsed value proves it is not."""
    field = kind.field(name)
    if field.type == "text":
        return Fragment(f"{raw_text(kind, name)} IS NULL")
    parsed = ident(field.status_column or name)
    return Fragment(f"{parsed} IS NULL AND {raw_text(kind, name)} IS NULL")
