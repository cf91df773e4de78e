"""Upload rules: queries that return the offending rows, each with a reason a person can act on.

Each rule is a named SELECT in ``sql/rule_*.sql`` returning (line_no, field,
raw_value, reason); whatever any rule returns is quarantined, and a line with
several problems is listed once per problem.  Reasons (loader/messages.py, in
the loader's language: Chinese unless the viewer reads English) name
the header as the file wrote it and the value as it stood, e.g.
``预计签约日期 '2024-13-40' 不是有效日期``.  Header names reach SQL only as
bound parameters.
"""

from __future__ import annotations

import re

from analytics import schema as warehouse_schema
from analytics.loader.cells import blank, raw_text
from analytics.loader.headers import Mapping
from analytics.loader.kinds import CODE_CHOICES, Kind
from analytics.loader.messages import say
from analytics.loader.sqlfiles import Fragment, column_list, ident, render

FORMATS = ("date", "datetime", "period", "amount", "int", "year", "month", "flag", "stage", "to_stage")
"""The value types with a reason of their own (messages.py: format_<type>); codes: format_code."""


NEGATIVE_ALLOWED = frozenset({("revenue", "amount")})
"""(kind, field) pairs whose numbers may be below zero: revenue adjustments (收入调整).

Every other amount or count in the contract is a size (an opportunity's value,
a contract, a budget, a target, a user count, a term), so a negative one is a
typing error that would silently shrink the pipeline or a budget: rule_negative
quarantines it.
"""
NON_NEGATIVE_TYPES = ("amount", "int")


def must_not_be_negative(kind: Kind, field_name: str, field_type: str) -> bool:
    """True when the contract forbids a negative value in this field (see NEGATIVE_ALLOWED)."""
    return field_type in NON_NEGATIVE_TYPES and (kind.name, field_name) not in NEGATIVE_ALLOWED


def format_template(field_type: str) -> str:
    """The reason for a value of ``field_type`` that does not parse, ``{value}`` left for SQL."""
    if field_type.startswith("code:"):
        return say("format_code", choices=CODE_CHOICES[field_type[5:]])
    if field_type not in FORMATS:
        raise KeyError(field_type)
    return say(f"format_{field_type}")


def max_length(kind: Kind, column: str) -> int | None:
    table = warehouse_schema.metadata.tables[kind.table]
    if column not in table.columns:
        return None
    return getattr(table.columns[column].type, "length", None)


def run_rules(
    con, schema: str, kind: Kind, mapping: Mapping, ncols: int, keys: dict[str, str], control: bool = False,
    bad_lines: bool = False,
) -> None:  # fmt: skip
    """Fill ``<schema>.problems`` from every rule; ``keys`` maps key fields to typed columns.

    ``control``: the file holds control characters somewhere (decode.py), so every
    cell is also checked for them (rule_control).  ``bad_lines``: decoding set lines
    apart in ``<schema>.bad_lines`` (rule_encoding).

    The field rules run as one UNION ALL (one pass for DuckDB to parallelise); the
    duplicate rule runs after them, over the rows they left.
    """
    problems, typed = f"{schema}.problems", ident(f"{schema}.typed")
    con.execute(f"CREATE TABLE {problems} (line_no BIGINT, field VARCHAR, raw_value VARCHAR, reason VARCHAR)")
    parts: list[str] = []
    params: dict = {}

    def add(rule: str, values: dict, **slots: Fragment) -> None:
        sql = render(rule, typed=typed, **slots)
        n = len(parts)
        for name, value in values.items():
            sql = re.sub(rf"\${name}\b", f"${name}_{n}", sql)
            params[f"{name}_{n}"] = value
        parts.append(sql)

    ragged_words = {"cells": say("ragged_cells", columns=ncols), "unreadable": say("ragged_unreadable")}
    add("rule_ragged", ragged_words, ragged=ident(f"{schema}.ragged"))
    if bad_lines:
        add("rule_encoding", {}, bad=ident(f"{schema}.bad_lines"), ragged=ident(f"{schema}.ragged"))
    for field in kind.fields:
        column = mapping.column_for(field.name)
        if column is None:
            continue
        header, raw = column.header, raw_text(kind, field.name)
        parsed = ident(field.status_column or field.name)
        if field.required:
            add(
                "rule_required",
                {"field": header, "template": say("rule_required", header=header)},
                blank=blank(kind, field.name),
            )
        if field.type != "text":
            template = f"{header} {format_template(field.type)}"
            add("rule_format", {"field": header, "template": template}, raw=raw, parsed=parsed)
            if must_not_be_negative(kind, field.name, field.type):
                template = say("rule_negative", header=header)
                add("rule_negative", {"field": header, "template": template}, raw=raw, parsed=parsed)
        elif (length := max_length(kind, field.target)) is not None:
            template = say("rule_too_long", header=header, length=length)
            add("rule_too_long", {"field": header, "template": template, "max_length": length}, raw=raw)
    if control:
        _control(add, kind, mapping)
    if kind.name == "opportunities":
        closed = mapping.column_for("closed_date")
        header = closed.header if closed else say("rule_closed_date_header")
        template = say("rule_closed_date", header=header)
        add(
            "rule_closed_date",
            {"field": header, "template": template},
            status=raw_text(kind, "status"),
            closed_blank=blank(kind, "closed_date"),
        )
    body = "\nUNION ALL\n".join(_without_comments(part) for part in parts)
    con.execute(f"INSERT INTO {problems} {body}", params)
    if kind.unique:
        parts.clear()
        params.clear()
        _duplicates(add, schema, kind, mapping, keys)
        con.execute(f"INSERT INTO {problems} {parts[0]}", params)


def _control(add, kind: Kind, mapping: Mapping) -> None:
    for column in mapping.columns:
        if column.field is None:
            cell = ident(f"x{column.position}")
        else:
            cell = ident(f"{'r' if kind.field(column.field).type == 'text' else 'cell'}_{column.field}")
        template = say("rule_control", header=column.header)
        add("rule_control", {"field": column.header, "template": template}, cell=cell)


def _without_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.startswith("--"))


def _duplicates(add, schema: str, kind: Kind, mapping: Mapping, keys: dict[str, str]) -> None:
    shown = kind.unique[-1]
    column = mapping.column_for(shown)
    header = column.header if column else shown
    template = say("rule_duplicate", header=header)
    key = column_list([keys.get(name, name) for name in kind.unique], alias="t")
    add(
        "rule_duplicate",
        {"field": header, "template": template},
        raw=ident(f"r_{shown}"),
        key=key,
        problems=ident(f"{schema}.problems"),
    )
