"""What a load will replace, said before anything is written (issue 17: a partial upload wiped a week).

A 200-row export dated 2026-11-20 once replaced that snapshot's 19,571 rows
without a word.  So, for every file whose kind replaces held data, the preview
and the load first count — in the warehouse, against the file's keys copied
into a temporary table — the rows and value held under each key (snapshot
date, period, year; ids and the org in one line) against the file's own rows
and value (aggregated in the scratch DuckDB).  :func:`plan` is what the upload
page's preview and ``python -m analytics load`` both call; a replacement that
shrinks by more than ``replace_shrink_confirm_share`` is only written when the
caller confirms it (:func:`unconfirmed`).

Partial exports (branches export separately): an opportunities file whose
owners all belong to branches and which leaves out a branch the snapshot
holds replaces only its own branches' rows of that date (``sql/replace_scope.sql``),
plus any opportunity it carries wherever the snapshot held it (a deal that
moved branch stays one row).  A file with an owner of no known branch, or one
covering every branch held, replaces the whole date as before.  :func:`stage`
builds the very predicate the write uses (apply.py), so the preview counts
exactly what the load moves to ``<table>_replaced`` — and undo puts back.

The texts people read are the loader's messages (``replace_*`` in
analytics/loader/messages.py, Chinese and English).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from analytics.loader.kinds import ORDER, Kind
from analytics.loader.messages import say
from analytics.loader.parse import Parsed, target_columns
from analytics.loader.sqlfiles import Fragment, ident, render, statements
from analytics.loader.transfer import copy_rows, create_incoming, drop_incoming, scratch_select
from analytics.money import to_wan

GROUPED = {"opportunities": "snapshot_date", "revenue": "period", "budget": "year", "targets": "year"}
"""Kinds replacing whole key values (data-contract.md): the preview has a line per value."""
VALUES = {"opportunities": "annual_value", "revenue": "amount", "budget": "amount", "targets": "amount"}
VALUES["contracts"] = "amount"
SCOPE = "incoming_replace_scope"
ID_KEYS = ("contract_id", "request_id")


@dataclass(frozen=True)
class Replacement:
    """One key value of one file: what is held under it now, and what the file brings.

    Values are yuan (None for kinds without an amount: support requests, org).
    ``branches``: non-empty when only these branches' rows are replaced (a partial
    export); ``kept_rows`` rows of the same date stay.
    """

    file_name: str
    kind: str
    key_name: str  # snapshot_date | period | year | contract_id | request_id | org
    key: str  # 2026-11-20, 202611, 2026, or the number of ids
    old_rows: int
    old_value: float | None
    new_rows: int
    new_value: float | None
    branches: tuple[str, ...] = ()
    kept_rows: int = 0

    @property
    def shrink(self) -> float:
        """The share of what is replaced that the load takes away: the larger of rows and value."""
        if self.old_rows <= 0:
            return 0.0
        shares = [1 - self.new_rows / self.old_rows]
        if self.old_value is not None and self.new_value is not None and self.old_value > 0:
            shares.append(1 - self.new_value / self.old_value)
        return max(0.0, *shares)

    def needs_confirmation(self, share: float) -> bool:
        """Shrinks by more than ``share`` where rows not in the file go: by key value or the org.

        A file of contract or request ids replaces only those ids, so it can take
        nothing else away; a lower amount there is a correction, shown but not held up.
        """
        return self.key_name not in ID_KEYS and self.shrink > share

    def amount(self, rows: int, value: float | None) -> str:
        if value is None:
            return say("replace_rows", rows=rows)
        return say("replace_amount", rows=rows, wan=to_wan(value))

    @property
    def old(self) -> str:
        return self.amount(self.old_rows, self.old_value)

    @property
    def new(self) -> str:
        return self.amount(self.new_rows, self.new_value)

    @property
    def label(self) -> str:
        return say(f"replace_key_{self.key_name}")

    def sentence(self) -> str:
        """One line for the command line: key, old → new, the shrink, the branches replaced."""
        line = say("replace_line", label=self.label, key=self.key, old=self.old, new=self.new)
        if self.shrink > 0:
            line += say("replace_shrink", share=self.shrink)
        if self.branches:
            line += say("replace_separator") + self.branch_note()
        return line

    def branch_note(self) -> str:
        return say("replace_branches", branches="、".join(self.branches), kept=self.kept_rows)

    def confirmation(self) -> str:
        """What the analyst confirms, numbers included (the page's checkbox label in Chinese)."""
        branches = " " + "、".join(self.branches) if self.branches else ""
        return say(
            "replace_confirm", new=self.new, label=self.label, key=self.key, branches=branches, old=self.old
        )


@dataclass
class Staged:
    """A file's replacement predicate in the warehouse, and the temporary tables behind it."""

    matches: Fragment  # over alias t of the target: the rows the load replaces
    keyed: Fragment | None  # over alias t: every row held under the file's key values
    tables: tuple[str, ...]
    partial: bool = False


SENTINELS = {"to_stage": "-1"}  # nullable key columns: compared through coalesce so indexes still serve


def key_equal(key: tuple[str, ...]) -> Fragment:
    """``i.k = t.k`` for every key column (the incoming keys ``i`` against the target ``t``)."""
    parts = []
    for column in key:
        i, t = f"i.{ident(column)}", f"t.{ident(column)}"
        if column in SENTINELS:
            i, t = f"coalesce({i}, {SENTINELS[column]})", f"coalesce({t}, {SENTINELS[column]})"
        parts.append(f"{i} = {t}")
    return Fragment(" AND ".join(parts) or "1 = 1")


def key_match(keys: str, key: tuple[str, ...]) -> Fragment:
    """EXISTS over the keys table: the row's key value is one of the file's."""
    return Fragment(f"EXISTS (SELECT 1 FROM {ident(keys)} AS i WHERE {key_equal(key)})")


def stage(conn: Connection, scratch, parsed: Parsed, workdir: Path) -> Staged:
    """Copy the file's keys into the warehouse and return the predicate of the rows it replaces.

    No keys (org): every row.  Opportunities: per date, the whole date or only the
    file's branches (sql/replace_scope.sql).  The caller drops ``tables`` when done.
    """
    kind, clean = parsed.known_kind, f"{parsed.schema}.clean"
    if not kind.key:
        return Staged(Fragment("1 = 1"), None, ())
    keys = create_incoming(conn, f"{kind.table}_keys", kind.table, list(kind.key))
    copy_rows(
        conn, scratch, scratch_select(clean, list(kind.key), distinct=True), keys, list(kind.key), workdir
    )
    keyed = key_match(keys, kind.key)
    if kind.name != "opportunities":
        return Staged(keyed, keyed, (keys,))
    owners = create_incoming(conn, "replace_owners", kind.table, ["snapshot_date", "owner_id"])
    columns = ["snapshot_date", "owner_id"]
    copy_rows(conn, scratch, scratch_select(clean, columns, distinct=True), owners, columns, workdir)
    scope = SCOPE
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {ident(scope)}")
    for statement in statements(render("replace_scope", scope=ident(scope), owners=ident(owners))):
        conn.execute(text(statement))
    partial = conn.execute(text(f"SELECT count(*) FROM {ident(scope)} WHERE NOT whole")).scalar_one()
    if not partial:
        return Staged(keyed, keyed, (keys, owners, scope))
    ids = create_incoming(conn, "replace_ids", kind.table, ["snapshot_date", "opportunity_id"])
    columns = ["snapshot_date", "opportunity_id"]
    copy_rows(conn, scratch, scratch_select(clean, columns), ids, columns, workdir)
    matches = Fragment(
        f"(EXISTS (SELECT 1 FROM {ident(scope)} AS w WHERE w.whole AND w.snapshot_date = t.snapshot_date)"
        f" OR EXISTS (SELECT 1 FROM {ident(scope)} AS b JOIN org AS s ON s.branch = b.branch"
        " WHERE NOT b.whole AND b.snapshot_date = t.snapshot_date AND s.staff_id = t.owner_id)"
        f" OR EXISTS (SELECT 1 FROM {ident(ids)} AS n"
        " WHERE n.snapshot_date = t.snapshot_date AND n.opportunity_id = t.opportunity_id))"
    )
    return Staged(matches, keyed, (keys, owners, scope, ids), partial=True)


def drop(conn: Connection, staged: Staged) -> None:
    for table in staged.tables:
        drop_incoming(conn, table)


def _held(conn: Connection, kind: Kind, matches: Fragment) -> dict:
    """{key value or None: (rows, yuan)} of the held rows ``matches`` selects."""
    column, value = GROUPED.get(kind.name), VALUES.get(kind.name)
    sql = render(
        "replace_held",
        key=Fragment(f"t.{ident(column)}") if column else Fragment("NULL"),
        value=Fragment(f"sum(t.{ident(value)})") if value else Fragment("NULL"),
        target=ident(kind.table),
        matches=matches,
        group=Fragment(f"GROUP BY t.{ident(column)}") if column else Fragment(""),
    )
    out = {}
    for key, rows, amount in conn.execute(text(sql)):
        out[_text(key) if column else None] = (int(rows), None if amount is None else float(amount))
    return out


def _new(scratch, parsed: Parsed) -> dict:
    """{key value or None: (rows, yuan)} of the file's clean rows (scratch DuckDB)."""
    kind = parsed.known_kind
    column, value = GROUPED.get(kind.name), VALUES.get(kind.name)
    key = ident(column) if column else "NULL"
    total = f"sum({ident(value)})" if value else "NULL"
    group = f"GROUP BY {ident(column)}" if column else ""
    sql = f"SELECT {key}, count(*), {total} FROM {ident(parsed.schema + '.clean')} {group}"
    return {
        (_text(k) if column else None): (int(n), None if v is None else float(v))
        for k, n, v in scratch.execute(sql).fetchall()
    }


def _text(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _file_plan(conn: Connection, scratch, parsed: Parsed, workdir: Path) -> list[Replacement]:
    """The replacements of one file, counted with the predicate its load would use."""
    kind = parsed.known_kind
    staged = stage(conn, scratch, parsed, workdir)
    try:
        old = _held(conn, kind, staged.matches)
        total = _held(conn, kind, staged.keyed) if staged.partial and staged.keyed else old
        branches = _partial_branches(conn) if staged.partial else {}
    finally:
        drop(conn, staged)
    new = _new(scratch, parsed)
    column = GROUPED.get(kind.name) or (kind.key[0] if kind.key else "org")
    out = []
    for key in sorted(set(new) | set(old), key=lambda k: "" if k is None else k):
        old_rows, old_value = old.get(key, (0, None))
        new_rows, new_value = new.get(key, (0, None))
        if VALUES.get(kind.name):
            old_value, new_value = old_value or 0.0, new_value or 0.0
        shown = key if key is not None else _ungrouped_key(kind, new_rows)
        out.append(
            Replacement(
                parsed.source.name, kind.name, column, shown, old_rows, old_value, new_rows, new_value,
                tuple(branches.get(key, ())), total.get(key, (old_rows, None))[0] - old_rows,
            )
        )  # fmt: skip
    return out


def _ungrouped_key(kind: Kind, rows: int) -> str:
    return say("replace_org") if not kind.key else say("replace_ids", count=rows)


def _partial_branches(conn: Connection) -> dict[str, list[str]]:
    """{snapshot date: its branches} of the dates replaced branch by branch (the scope table)."""
    sql = f"SELECT snapshot_date, branch FROM {SCOPE} WHERE NOT whole ORDER BY snapshot_date, branch"
    out: dict[str, list[str]] = {}
    for day, branch in conn.execute(text(sql)):
        out.setdefault(_text(day), []).append(branch)
    return out


def replaces(parsed: Parsed) -> bool:
    """True when loading this file replaces held rows (every kind but the appended ones)."""
    return parsed.refusal is None and parsed.kind is not None and parsed.kind.mode != "append"


def plan(engine: Engine, scratch, parsed: list[Parsed], workdir: Path) -> list[list[Replacement]]:
    """Each file's replacements, as the load would make them; nothing is written.

    Runs in one transaction rolled back at the end (the keys are copied into
    temporary tables there).  Files are counted in the load's order (kinds.ORDER),
    and an org file in the batch stands in for the held org before the files after
    it are counted: the load writes the org first, so a partial export's branches
    are those of the new org, and the preview must say the same.  Files that
    append, or are refused, get an empty list; the result is in ``parsed``'s order.
    """
    out: list[list[Replacement]] = [[] for _ in parsed]
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            for index in sorted(range(len(parsed)), key=lambda i: _load_order(parsed[i])):
                item = parsed[index]
                if replaces(item):
                    out[index] = _file_plan(conn, scratch, item, workdir)
                    if item.known_kind.name == "org":
                        _stand_in_org(conn, scratch, item, workdir)
            return out
        finally:
            transaction.rollback()


def _load_order(parsed: Parsed) -> int:
    """Where the load writes this file (kinds.ORDER); unknown kinds last."""
    return ORDER.index(parsed.kind.name) if parsed.kind is not None else len(ORDER)


def _stand_in_org(conn: Connection, scratch, parsed: Parsed, workdir: Path) -> None:
    """Replace the held org by the file's rows, inside the plan's rolled-back transaction."""
    columns = target_columns(parsed.known_kind)
    conn.exec_driver_sql(f"DELETE FROM {ident(parsed.known_kind.table)}")
    select = scratch_select(f"{parsed.schema}.clean", columns, load_id=0)
    copy_rows(conn, scratch, select, parsed.known_kind.table, [*columns, "load_id"], workdir)


def unconfirmed(replacements: list[Replacement], share: float) -> list[Replacement]:
    """The replacements that shrink by more than ``share``: loaded only when confirmed."""
    return [r for r in replacements if r.needs_confirmation(share)]


def refusal(shrinking: list[Replacement], share: float) -> str:
    """The load command's refusal, every number named."""
    lines = "\n".join(say("replace_file", file=r.file_name, sentence=r.sentence()) for r in shrinking)
    return say("replace_refused", share=share, lines=lines)
