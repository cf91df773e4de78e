"""Schema migrations (Alembic): how a warehouse of any earlier release reaches today's schema.

``analytics/schema.py`` declares the tables as they are now; each revision in
``versions/`` is one step from the previous release's schema (revision r0001,
git ad034b2) towards it, with the table definitions it needs frozen inside it.
:func:`upgrade` runs the missing steps on the caller's connection, inside the
caller's transaction: db.ensure_schema runs it at every start and
``python -m analytics migrate`` runs it on demand; a step that fails takes the
whole upgrade back with it (both backends run DDL transactionally).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from analytics.dialect import serialise_migrations

HERE = Path(__file__).resolve().parent
INI = HERE / "alembic.ini"


def config(conn: Connection | None = None) -> Config:
    """Alembic's configuration, from the file shipped beside this module; env.py takes ``conn``."""
    cfg = Config(str(INI))
    cfg.attributes["connection"] = conn
    cfg.attributes["applied"] = []
    return cfg


@lru_cache(maxsize=1)
def head() -> str:
    """The newest revision: what analytics/schema.py declares (read once per process)."""
    revision = ScriptDirectory.from_config(config()).get_current_head()
    if revision is None:
        raise RuntimeError(f"no migration revisions under {HERE / 'versions'}")
    return revision


def current(conn: Connection) -> str | None:
    """The revision a warehouse is at; None when it has never been migrated."""
    return MigrationContext.configure(conn).get_current_revision()


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """What a comparison with analytics/schema.py looks at: all but the indexes DDL events
    create (dialect.date_index_on_postgresql_only), which the metadata does not list.
    Autogenerate would otherwise propose dropping them."""
    return not (type_ == "index" and reflected and compare_to is None)


def upgrade(conn: Connection, target: str = "head") -> list[str]:
    """Run the revisions the warehouse lacks, up to ``target``, in the caller's transaction.

    Returns the revisions applied (none when it is already there: one small query,
    so every start can afford it).  Concurrent starts on PostgreSQL wait for each
    other instead of racing to create the same table.
    """
    serialise_migrations(conn)
    if current(conn) == (head() if target == "head" else target):
        return []
    cfg = config(conn)
    command.upgrade(cfg, target)
    return list(cfg.attributes["applied"])
