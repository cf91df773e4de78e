"""The warehouse schema, declared once through SQLAlchemy Core.

Declaring tables here (not in dialect-specific DDL) means the same structure is
created on DuckDB and PostgreSQL.  Raw tables hold what the exports said, typed
and cleaned by the loader; ``stg_*`` views (analytics/staging.py) are the only
thing metric queries read.  Every loaded row carries the ``load_id`` that
brought it, so a load can be undone exactly.

A warehouse reaches these declarations through the migrations in
analytics/migrations: a table or column added here needs a revision there
(tests/test_migrations.py fails, naming it, until one adds it).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
)

from analytics.dialect import date_index_on_postgresql_only, primary_key_on_postgresql_only

metadata = MetaData()

MONEY = Numeric(18, 2)


def _load_id() -> Column:
    return Column("load_id", BigInteger, nullable=True)


org = Table(
    "org",
    metadata,
    Column("staff_id", String(32), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("role", String(16), nullable=False),  # normalised role code, see analytics/kinds
    Column("team", String(64)),
    Column("branch", String(32)),
    Column("active", Boolean, nullable=False),
    _load_id(),
)

# Who was in which team from when: past periods report under the team of that time.
org_history = Table(
    "org_history",
    metadata,
    Column("staff_id", String(32), nullable=False),
    Column("team", String(64)),
    Column("branch", String(32)),
    Column("role", String(16)),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),  # null: still valid
    _load_id(),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("snapshot_date", Date, primary_key=True),
    Column("row_count", Integer, nullable=False),
    _load_id(),
)

opportunity_snapshot = Table(
    "opportunity_snapshot",
    metadata,
    Column("snapshot_date", Date, primary_key=True),
    Column("opportunity_id", String(40), primary_key=True),
    Column("name", String(200)),
    Column("customer_id", String(40)),
    Column("customer_name", String(200), nullable=False),
    Column("customer_tier", String(16)),
    Column("industry", String(32)),
    Column("product", String(32), nullable=False),
    Column("business_type", String(16)),  # basic | transformation
    Column("origin", String(16)),  # mined | dispatched
    Column("campaign", String(64)),
    Column("owner_id", String(32), nullable=False),
    Column("stage", SmallInteger, nullable=False),
    Column("status", String(12), nullable=False),  # open | won | lost | terminated
    Column("annual_value", MONEY, nullable=False),
    Column("expected_close_date", Date),
    Column("created_date", Date, nullable=False),
    Column("closed_date", Date),
    Column("competitor", String(64)),
    Column("user_count", Integer),
    Column("demonstration", Boolean, nullable=False),
    Column("influence", Boolean, nullable=False),
    Column("key_flag", Boolean, nullable=False),
    Column("abnormal", Boolean, nullable=False),
    Column("presales_id", String(32)),
    _load_id(),
)
# The key (snapshot_date, opportunity_id) is enforced by PostgreSQL only (why:
# dialect.primary_key_on_postgresql_only); the loader keeps it unique on DuckDB.
primary_key_on_postgresql_only(opportunity_snapshot)
LOADER_KEYS = {"opportunity_snapshot": ("snapshot_date", "opportunity_id")}
"""Keys no database enforces on every backend: the loader checks them after each write."""

stage_history = Table(
    "stage_history",
    metadata,
    Column("opportunity_id", String(40), nullable=False),
    Column("from_stage", SmallInteger),  # null on creation
    Column("to_stage", SmallInteger),  # null when the change is to a terminal status
    Column("to_status", String(12), nullable=False),  # open | won | lost | terminated
    Column("changed_at", DateTime, nullable=False),
    Column("changed_by", String(32)),
    _load_id(),
)

activities = Table(
    "activities",
    metadata,
    Column("activity_id", String(40), primary_key=True),
    Column("opportunity_id", String(40)),
    Column("customer_id", String(40)),
    Column("staff_id", String(32), nullable=False),
    Column("type", String(16), nullable=False),
    Column("activity_date", Date, nullable=False),
    _load_id(),
)

support_requests = Table(
    "support_requests",
    metadata,
    Column("request_id", String(40), primary_key=True),
    Column("opportunity_id", String(40), nullable=False),
    Column("type", String(16), nullable=False),  # technical | resource | business
    Column("requested_date", Date, nullable=False),
    Column("resolved_date", Date),
    _load_id(),
)

contracts = Table(
    "contracts",
    metadata,
    Column("contract_id", String(40), primary_key=True),
    Column("opportunity_id", String(40)),
    Column("customer_id", String(40)),
    Column("product", String(32)),
    Column("signed_date", Date, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("term_months", Integer),
    Column("owner_id", String(32)),
    _load_id(),
)

revenue = Table(
    "revenue",
    metadata,
    Column("period", Integer, nullable=False),  # YYYYMM
    Column("contract_id", String(40)),
    Column("branch", String(32), nullable=False),
    Column("product", String(32), nullable=False),
    Column("fee_item", String(32)),
    Column("amount", MONEY, nullable=False),
    Column("owner_id", String(32)),
    _load_id(),
)

budget = Table(
    "budget",
    metadata,
    Column("year", Integer, nullable=False),
    Column("branch", String(32), nullable=False),
    Column("product", String(32), nullable=False),
    Column("month", SmallInteger),  # null: annual figure, phased by setting
    Column("amount", MONEY, nullable=False),
    _load_id(),
)

targets = Table(
    "targets",
    metadata,
    Column("year", Integer, nullable=False),
    Column("staff_id", String(32), nullable=False),
    Column("amount", MONEY, nullable=False),
    _load_id(),
)

load_history = Table(
    "load_history",
    metadata,
    Column("load_id", BigInteger, primary_key=True, autoincrement=False),
    Column("batch_id", String(40), nullable=False),
    Column("loaded_by", String(64), nullable=False),
    Column("loaded_at", DateTime, nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("file_size", BigInteger),
    Column("sha256", String(64)),
    Column("kind", String(24), nullable=False),
    Column("encoding", String(16)),
    Column("rows_in", Integer, nullable=False),
    Column("rows_loaded", Integer, nullable=False),
    Column("rows_quarantined", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),  # loaded | refused | undone | demo
    Column("message", Text),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("load_id", BigInteger, nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("field", String(64)),
    Column("raw_value", Text),
    Column("reason", Text, nullable=False),
    Column("raw_row", Text),
)

app_meta = Table(
    "app_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text),
)

DATA_TABLES = (
    "org",
    "org_history",
    "snapshots",
    "opportunity_snapshot",
    "stage_history",
    "activities",
    "support_requests",
    "contracts",
    "revenue",
    "budget",
    "targets",
)

# --- Sign-in and layered access (analytics/auth/, analytics/audit.py) --------------
# Not data tables: loading or undoing data never touches them.

app_users = Table(
    "app_users",
    metadata,
    Column("username", String(64), primary_key=True),
    # → org.staff_id; a logical reference only (no FOREIGN KEY) because loading org
    # replaces the whole table.  Scope and role follow the org rows as loaded now.
    Column("staff_id", String(32)),
    # Role override: used only when staff_id is null, or for analyst/director accounts.
    Column("role", String(16)),
    Column("password_hash", String(255), nullable=False),  # argon2id; never clear text
    Column("active", Boolean, nullable=False),
    Column("failed_attempts", Integer, nullable=False),
    Column("locked_until", DateTime),
    Column("must_change_password", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

user_sessions = Table(
    "user_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 hex of the token, never the token
    Column("username", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("revoked", Boolean, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    # No BIGSERIAL on DuckDB: the writer allocates max(id) + 1 inside its transaction.
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("at", DateTime, nullable=False, quote=True),  # AT is a keyword in DuckDB
    Column("username", String(64)),
    Column("action", String(32), nullable=False),
    Column("detail", Text),
    Column("success", Boolean, nullable=False),
)

# --- Frozen forecasts (analytics/forecast/freeze.py) ------------------------------------
# Each week's year-end forecast as it stood when that snapshot was loaded, per
# branch x product and per month (cumulative revenue from January through
# ``month``; month 12 is the year-end), so the calibration page can score it
# against the revenue that arrived later.  Derived data: recomputing one
# snapshot's rows replaces them (idempotent per snapshot_date).  Each row carries
# the load_id of the snapshot it was frozen from; a freeze for a snapshot that a
# later load replaced keeps the earlier rows in ``forecast_snapshots_replaced``,
# so undoing that load takes its frozen rows out and puts the earlier ones back
# (analytics/loader/history.py, FROZEN_TABLES below).
from sqlalchemy import Double  # noqa: E402  (appended section: keeps the import block above untouched)

forecast_snapshots = Table(
    "forecast_snapshots",
    metadata,
    Column("snapshot_date", Date, nullable=False),
    Column("year", Integer, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("branch", String(32), nullable=False),
    Column("product", String(32), nullable=False),
    Column("data_through", Integer),  # last revenue period the forecast knew (YYYYMM)
    Column("expected", Double, nullable=False),
    Column("p10", Double, nullable=False),
    Column("p50", Double, nullable=False),
    Column("p90", Double, nullable=False),
    Column("frozen_at", DateTime, nullable=False),
    _load_id(),  # added by migration r0002 (analytics/migrations)
    # year_end | next_quarter | next_12_months (r0013): a window's rows are cumulative from
    # its first month (the year-end's from January), one per line x window month.
    Column("horizon", String(16), nullable=False, server_default="year_end"),
    # The two naive baselines frozen beside the P50 (r0019, analytics/forecast/naive.py):
    # year-end rows frozen since; NULL in older rows and the windows' (scored without them).
    Column("naive_pipeline", Double),
    Column("naive_last_year", Double),
)

forecast_snapshots_replaced = Table(
    "forecast_snapshots_replaced",
    metadata,
    *(Column(c.name, c.type, nullable=True) for c in forecast_snapshots.columns),
    Column("replaced_by", BigInteger, nullable=False),
)

forecast_freezes = Table(
    "forecast_freezes",
    metadata,
    # One row per completed freeze: the snapshot date as loaded by load_id has its
    # forecast in forecast_snapshots (possibly no rows: no line to forecast).  A
    # snapshot without one is a freeze still to do (analytics/ingest.py resumes it).
    Column("snapshot_date", Date, nullable=False),
    Column("load_id", BigInteger, nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("seconds", Double),
    Column("frozen_at", DateTime, nullable=False),
)

forecast_snapshot_totals = Table(
    "forecast_snapshot_totals",
    metadata,
    # The company total of each frozen forecast (issue 16): its band comes from the
    # lines summed run by run, which the per-line rows of forecast_snapshots cannot
    # give (a sum of P10s is not a P10).  Written with them by the same freeze.
    Column("snapshot_date", Date, nullable=False),
    Column("year", Integer, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("data_through", Integer),
    Column("lines", Integer, nullable=False),
    Column("expected", Double, nullable=False),
    Column("p10", Double, nullable=False),
    Column("p50", Double, nullable=False),
    Column("p90", Double, nullable=False),
    Column("frozen_at", DateTime, nullable=False),
    _load_id(),  # added by migration r0008: the snapshot's load, so undo takes the totals out too
    Column("horizon", String(16), nullable=False, server_default="year_end"),  # r0013, as above
    Column("naive_pipeline", Double),  # r0019: the lines' baselines summed, as above
    Column("naive_last_year", Double),
)

forecast_snapshot_totals_replaced = Table(
    "forecast_snapshot_totals_replaced",
    metadata,
    # The company totals a later load's freeze replaced, put back when that load is undone.
    *(Column(c.name, c.type, nullable=True) for c in forecast_snapshot_totals.columns),
    Column("replaced_by", BigInteger, nullable=False),
)

# What undoing a load takes out besides its data: (table, shadow or None).
FROZEN_TABLES = (
    (forecast_snapshots, forecast_snapshots_replaced),
    (forecast_snapshot_totals, forecast_snapshot_totals_replaced),
    (forecast_freezes, None),
)

# --- The loader (analytics/loader/): raw copies, load details, and undo ------------------
# Not in DATA_TABLES: replace_all (demo, fixtures) leaves them alone.

raw_rows = Table(
    "raw_rows",
    metadata,
    # Columns of a loaded file that the contract does not name, kept per row as JSON
    # {header: value} so that nothing in a file is lost (data-contract.md, extra columns).
    Column("load_id", BigInteger, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("extra", Text),
)

load_columns = Table(
    "load_columns",
    metadata,
    # How each header of a loaded file was read: the preview's column diff compares these.
    Column("load_id", BigInteger, nullable=False),
    Column("col_index", Integer, nullable=False),
    Column("header", Text, nullable=False),
    Column("field", String(32)),  # null: an extra column
    Column("unit", String(16)),
)

load_notes = Table(
    "load_notes",
    metadata,
    # Warnings that are not errors (unknown owner ids, a budget year with no revenue …).
    Column("load_id", BigInteger, nullable=False),
    Column("code", String(32), nullable=False),
    Column("message", Text, nullable=False),
)

load_dependencies = Table(
    "load_dependencies",
    metadata,
    # load_id replaced (or found already held) rows that depends_on had loaded:
    # undoing depends_on first undoes load_id.
    Column("load_id", BigInteger, nullable=False),
    Column("depends_on", BigInteger, nullable=False),
)


def _shadow(name: str) -> Table:
    """<table>_replaced: rows a load replaced, kept with the replacing load so undo can restore them."""
    columns = [Column(c.name, c.type, nullable=True) for c in metadata.tables[name].columns]
    return Table(f"{name}_replaced", metadata, *columns, Column("replaced_by", BigInteger, nullable=False))


SHADOW_TABLES = {name: _shadow(name) for name in DATA_TABLES}

# --- Derived tables (analytics/derived.py): caches of expensive fragments -----------------
# Rebuilt from the tables above whenever the data version changes; never loaded,
# never undone, never read before analytics.derived.ensure has built them.

cache_registry = Table(
    "cache_registry",
    metadata,
    # One row per built cache: which model, for which as_of (NULL: all dates),
    # from which data version.  A row here means the cache rows are complete.
    Column("model", String(40), nullable=False),
    Column("as_of", Date),
    Column("data_version", String(200), nullable=False),  # and the settings it was built with
    Column("built_at", DateTime, nullable=False),
)

cache_stage_stints = Table(
    "cache_stage_stints",
    metadata,
    # Every stint of the whole stage history (metrics.md, Stage duration): entered
    # by a change to an open stage, left at the next change.  Independent of as_of:
    # a query at as_of keeps stints entered by then and forgets later leavings.
    Column("opportunity_id", String(40), nullable=False),
    Column("opportunity_key", BigInteger, nullable=False),  # a number for the id: fast joins
    Column("stage", SmallInteger, nullable=False),
    Column("entered_date", Date, nullable=False),
    Column("left_date", Date),
    Column("length_days", Integer),  # left_date - entered_date: the stint's length
    Column("left_period", Integer),  # YYYYMM of left_date: the month the stint ended
)

cache_stage_thresholds = Table(
    "cache_stage_thresholds",
    metadata,
    # Per as_of and stage: median and p90 days of the company's stints that ended
    # in the stale window (stale_window_days, a setting, is part of its build key).
    Column("as_of", Date, nullable=False),
    Column("stage", SmallInteger, nullable=False),
    Column("ended_stints", BigInteger, nullable=False),
    Column("median_days", Double),
    Column("p90_days", Double),
)


cache_duration_histogram = Table(
    "cache_duration_histogram",
    metadata,
    # Per as_of: the company's stints that ended in the stale window, counted per month
    # they ended x stage x whole-day length (the duration_ended fragment, built by
    # build_duration_histogram.sql): 阶段时长 for the whole company with no filter takes
    # its medians and p90s from these few thousand rows (issue 19, r0016).
    Column("as_of", Date, nullable=False),
    Column("period", Integer),
    Column("stage", SmallInteger, nullable=False),
    Column("days", Integer),
    Column("stints", BigInteger, nullable=False),
)


cache_book_visits = Table(
    "cache_book_visits",
    metadata,
    # Per as_of: per account manager x customer, the last activity on or before as_of
    # (build_book_visits.sql): 我的商机's book of customers with no open deal reads a
    # manager's few rows instead of every activity (issue 19, r0018).
    Column("as_of", Date, nullable=False),
    Column("staff_id", activities.c.staff_id.type, nullable=False),
    Column("customer_id", activities.c.customer_id.type),
    Column("last_activity_date", Date),
)


def _facts_columns() -> list[Column]:
    """stg_opportunity_snapshot's columns (the view adds owner name, team, branch)."""
    columns = [
        Column(c.name, Double if c.name == "annual_value" else c.type)
        for c in opportunity_snapshot.columns
        if c.name != "load_id"
    ]
    at = [c.name for c in columns].index("owner_id") + 1
    org_names = [Column("owner_name", org.c.name.type), Column("team", org.c.team.type)]
    return [*columns[:at], *org_names, Column("branch", org.c.branch.type), *columns[at:]]


cache_opportunity_facts = Table(
    "cache_opportunity_facts",
    metadata,
    # The state of every opportunity in the snapshot in force at as_of, with the
    # facts that otherwise need the whole history: the highest stage known, the
    # current stint's start, close-date slips, last activity, the stage changes
    # (all, skipping, backward) known by as_of, and an open deal's value rank.
    # Rows are stored in value_order, so a list by value reads only its first
    # blocks (DuckDB skips the others by their min/max).
    Column("as_of", Date, nullable=False),
    *_facts_columns(),
    Column("opportunity_key", BigInteger),  # cache_stage_stints' number for the id, if any
    Column("known_max_stage", SmallInteger),
    Column("known_stint_entered_date", Date),
    Column("known_slip_count", Integer, nullable=False),
    Column("known_last_activity_date", Date),
    Column("known_stage_changes", Integer, nullable=False),
    Column("known_skipped_stages", Integer, nullable=False),
    Column("known_backward_moves", Integer, nullable=False),
    Column("known_open_value_rank", BigInteger),
    Column("known_open_total", BigInteger),
    Column("value_order", BigInteger, nullable=False),  # place by value among all, largest first
)


BACKTEST_STATE_COLUMNS = (
    *("opportunity_id", "branch", "team", "owner_id", "product", "industry", "business_type"),
    *("origin", "campaign", "created_date", "stage", "status", "closed_date", "annual_value"),
    *("user_count", "demonstration", "influence", "known_max_stage", "known_stint_entered_date"),
)
"""cache_opportunity_facts' columns the calibration backtest reads: p(o)'s inputs, the
class's inputs and the scope's columns (analytics/queries/build_backtest_states.sql).
A column p(o)'s fragments start to read must be added here and built there."""

cache_backtest_states = Table(
    "cache_backtest_states",
    metadata,
    # The narrow state the calibration backtest reads (analytics/forecast/calibration.py):
    # per as_of, the columns above of every opportunity in the snapshot in force then, with
    # the highest stage known and the current stint's start as cache_opportunity_facts has
    # them.  Built for all the backtest dates of the newest snapshot in one pass, at load.
    Column("as_of", Date, nullable=False),
    *(
        Column(c.name, c.type, nullable=c.nullable)
        for c in cache_opportunity_facts.columns
        if c.name in BACKTEST_STATE_COLUMNS
    ),
)


cache_win_rates = Table(
    "cache_win_rates",
    metadata,
    # Per as_of: the company-wide rate tables p(o) learns from (the win_rates fragment,
    # built by build_win_rates.sql; read through win_rates_cached), one row per
    # kind 'stage' (stage), 'segment' (stage x class x product), 'cohort' (stage x
    # age_bin) or 'cohort_stage' (stage): closed deals and wins.  They depend on as_of
    # and settings only, never on the viewer's scope; the settings are in its build key.
    Column("as_of", Date, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("stage", SmallInteger, nullable=False),
    Column("age_bin", Integer),
    Column("opportunity_class", String(32)),
    Column("product", String(32)),
    Column("closed", BigInteger, nullable=False),
    Column("won", BigInteger, nullable=False),
)

cache_past_win_rates = Table(
    "cache_past_win_rates",
    metadata,
    # Per earlier snapshot date: cache_win_rates' rows, built from the backtest states the
    # load keeps per date (build_past_win_rates.sql over past_state) instead of that date's
    # full opportunity facts, which nothing keeps after a newer load: what 周例会's bridge
    # reads A's p(o) from (issue 19; the rates over the history took 2.5 s a query at 1 M).
    Column("as_of", Date, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("stage", SmallInteger, nullable=False),
    Column("age_bin", Integer),
    Column("opportunity_class", String(32)),
    Column("product", String(32)),
    Column("closed", BigInteger, nullable=False),
    Column("won", BigInteger, nullable=False),
)

cache_past_deal_values = Table(
    "cache_past_deal_values",
    metadata,
    # Per earlier snapshot date (the 周例会 pair's A, built by the load): each open deal's
    # p(o), value, m(o) and expected revenue then (build_past_deal_values.sql, as
    # forecast_pipeline_values.sql gives them over A's kept state), with the scope's
    # columns: what the forecast bridge adds up at A (issue 19: computed on every view,
    # 0.27-0.32 s at 1 M).
    Column("as_of", Date, nullable=False),
    Column("opportunity_id", String(40), nullable=False),
    Column("branch", String(32)),
    Column("team", String(64)),
    Column("owner_id", String(32)),
    Column("p_win", Double),
    Column("annual_value", Double),
    Column("months_this_year", Integer),
    Column("expected_revenue", Double),
)


# A per-date derived table is read by its date (an index on PostgreSQL only: why in
# dialect.date_index_on_postgresql_only).
for _table in (
    cache_opportunity_facts,
    cache_stage_thresholds,
    cache_duration_histogram,
    cache_book_visits,
    cache_backtest_states,
    cache_win_rates,
    cache_past_win_rates,
    cache_past_deal_values,
):
    date_index_on_postgresql_only(_table, "as_of")


# --- Meeting-pack subscriptions (analytics/pack/subscriptions.py, issue 18) -------------
# Not data tables: loading or undoing data never touches them.  SMTP credentials are
# settings/environment only, never stored here.

pack_subscriptions = Table(
    "pack_subscriptions",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),  # max(id) + 1, as audit_log
    Column("recipient", String(64), nullable=False),  # a dashboard user: the pack is in their scope
    Column("email", String(254)),  # where an e-mailed pack goes (null: outbox only)
    Column("formats", String(16), nullable=False),  # 'xlsx', 'pdf' or 'xlsx,pdf'
    Column("schedule", String(8), nullable=False),  # 'weekly' or 'monthly'
    Column("weekday", SmallInteger),  # weekly: 0 = Monday … 6 = Sunday
    Column("day_of_month", SmallInteger),  # monthly: 1 … 31 (clamped to the month's last day)
    Column("at_time", String(5), nullable=False),  # 'HH:MM', local time
    Column("filters", Text, nullable=False),  # JSON list of 'FIELD=VALUE', as --filter
    Column("channel", String(8), nullable=False),  # 'smtp', 'outbox' or 'both'
    Column("paused", Boolean, nullable=False),
    Column("created_by", String(64)),
    Column("created_at", DateTime, nullable=False),
)

pack_deliveries = Table(
    "pack_deliveries",
    metadata,
    # One row per subscription and due time: written ('sending') before anything is sent,
    # so a second deliver, or the next one after a crash, knows what is done ('sent') and
    # what to retry ('sending' gone stale, 'failed').
    Column("subscription_id", BigInteger, primary_key=True, autoincrement=False),
    Column("due_at", DateTime, primary_key=True),
    Column("kind", String(8), nullable=False),  # 'due' (its schedule) or 'now' (deliver --now)
    Column("status", String(8), nullable=False),  # 'sending', 'sent' or 'failed'
    Column("attempts", Integer, nullable=False),
    Column("attempted_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
    Column("as_of", Date),  # the pack's data date: the next pack's alerts compare with it
    Column("detail", Text),  # files written, or the error
)


# --- Derived: the week-over-week movement of a pair of snapshots (周例会) ------------------

cache_movement_pairs = Table(
    "cache_movement_pairs",
    metadata,
    # Per snapshot B (as_of) and the snapshot A it is compared with (the newest at least
    # week_compare_days earlier, part of the build key): one row per opportunity held in A
    # or B, A beside B, with its labels and waterfall part (analytics/queries/
    # build_movement_pairs.sql), so the 周例会 page's queries scan one narrow table instead
    # of joining two million-row snapshots.  The class and key inputs of both sides are
    # kept (not the class): the class thresholds and key share are settings, applied
    # when the table is read (_movement_cached.sql), so changing them rebuilds nothing.
    Column("as_of", Date, nullable=False),
    Column("snapshot_a", Date, nullable=False),
    Column("opportunity_id", String(40), nullable=False),
    *(Column(f"in_{s}", Boolean, nullable=False) for s in "ab"),
    *(Column(f"open_{s}", Boolean, nullable=False) for s in "ab"),
    *(Column(f"status_{s}", String(12)) for s in "ab"),
    *(Column(f"stage_{s}", SmallInteger) for s in "ab"),
    *(Column(f"value_{s}_fen", BigInteger) for s in "ab"),  # annual value × 100, rounded
    *(Column(f"close_{s}", Date) for s in "ab"),
    *(Column(f"owner_{s}", String(32)) for s in "ab"),
    # The side's class and key inputs (the opportunity_class and opportunity_is_key fragments).
    *(Column(f"annual_value_{s}", Double) for s in "ab"),
    *(Column(f"business_type_{s}", String(16)) for s in "ab"),
    *(Column(f"user_count_{s}", Integer) for s in "ab"),
    *(Column(f"demonstration_{s}", Boolean) for s in "ab"),
    *(Column(f"influence_{s}", Boolean) for s in "ab"),
    *(Column(f"key_flag_{s}", Boolean) for s in "ab"),
    *(Column(f"open_value_rank_{s}", BigInteger) for s in "ab"),
    *(Column(f"open_total_{s}", BigInteger) for s in "ab"),
    Column("slip_count", Integer),  # close-date slips known at B (at A for a deal B lacks)
    Column("last_activity_date", Date),
    # The side the deal is attributed to (B's row, A's when B lacks it): scope and names.
    Column("name", String(200)),
    Column("customer_name", String(200)),
    Column("owner_id", String(32)),
    Column("owner_name", String(64)),
    Column("team", String(64)),
    Column("branch", String(64)),
    Column("product", String(32)),
    Column("industry", String(32)),
    Column("business_type", String(16)),
    Column("origin", String(16)),
    Column("campaign", String(64)),
    Column("created_date", Date),
    *(
        Column(f"is_{label}", Boolean)  # as the movement_labels fragment computes it
        for label in (
            "new",
            "won",
            "lost",
            "terminated",
            "removed",
            "reopened",
            "advanced",
            "regressed",
            "slipped",
            "pulled_in",
            "value_changed",
            "labelled",
        )
    ),
    Column("waterfall_part", String(12)),
    Column("pipeline_effect_fen", BigInteger),
)
date_index_on_postgresql_only(cache_movement_pairs, "as_of")

cache_movement_trend = Table(
    "cache_movement_trend",
    metadata,
    # The 周例会 trend's sums (analytics/queries/build_movement_trend.sql): per pair of
    # consecutive snapshots (as_of: the later one, B) x the branch, team and account
    # manager a deal is attributed to x waterfall part x is_new, the movement_counts
    # sums (0.34 M rows for 11 pairs at 1 M deals).  A scope's trend sums these
    # (movement_trend_kept.sql) instead of joining every snapshot with the one before.
    # Each pair's rows are kept by their inputs (analytics/derived.py), so a load of a
    # new snapshot builds its pair alone.
    Column("as_of", Date, nullable=False),
    Column("branch", String(64)),
    Column("team", String(64)),
    Column("owner_id", String(32)),
    Column("waterfall_part", String(12)),
    Column("is_new", Boolean),
    *(
        Column(name, BigInteger)
        for name in (
            "deals",
            "value_a_fen",
            "value_b_fen",
            "advanced",
            "regressed",
            "slipped",
            "pulled_in",
            "labelled",
        )
    ),
)
date_index_on_postgresql_only(cache_movement_trend, "as_of")


# --- Derived: the workload scorecard's per-manager facts (客户经理, 团队, 我的商机) ---------

WORKLOAD_FACT_COUNTS = (
    *("open_count", "key_open", "new_mined", "new_dispatched", "activities", "won_count"),
    *("lost_count", "closed_count", "late_registered_count", "stale", "overdue", "support_open"),
)
WORKLOAD_FACT_AMOUNTS = (
    *("open_value", "won_value", "target", "won_value_ytd", "open_expected_value", "pipeline_expected"),
)

cache_workload_facts = Table(
    "cache_workload_facts",
    metadata,
    # Per as_of: the scorecard's additive sums and median cycle
    # (analytics/queries/_workload_fact_columns.sql) per account manager x the team and
    # branch they counted under, company-wide and unfiltered (build_workload_facts.sql);
    # a manager who won under several teams has their wins split by cycle_days too
    # (null on every other row), so a scope's median is still known.  A scope's scorecard
    # sums some thousands of rows instead of reading ~6 M activities.  The windows, stale
    # and class thresholds and p(o) it was built with are settings in its build key; the
    # prior, interval and ranking are applied when it is read (_workload_rows.sql).
    Column("as_of", Date, nullable=False),
    Column("owner_id", String(32)),
    Column("team", String(64)),
    Column("branch", String(64)),
    Column("cycle_days", Integer),
    *(Column(name, BigInteger, nullable=False) for name in WORKLOAD_FACT_COUNTS),
    *(Column(name, Double, nullable=name == "target") for name in WORKLOAD_FACT_AMOUNTS),
    Column("median_cycle_days", Double),
)
date_index_on_postgresql_only(cache_workload_facts, "as_of")


# --- Derived: the open deals as the pages list them (问题商机, 团队, 首页; issue 19) ------------

OPEN_DEAL_FACT_COLUMNS = (
    *("opportunity_id", "name", "customer_name", "owner_id", "owner_name", "team", "branch"),
    *("product", "industry", "business_type", "origin", "campaign", "created_date", "stage"),
    *("annual_value", "expected_close_date", "abnormal", "value_order"),
)
"""cache_opportunity_facts' columns cache_open_deals keeps as they are: what the lists show
and every column a scope or filter names (scope.ENTITY_COLUMNS['opportunity'])."""

_FACT_TYPES = {c.name: c.type for c in cache_opportunity_facts.columns}

cache_open_deals = Table(
    "cache_open_deals",
    metadata,
    # Per as_of: every open opportunity of the company with its class and key label,
    # problem reasons, p(o), expected value and open support requests (the open_deals
    # fragment, built by build_open_deals.sql; read through open_deals_cached).  None of
    # it depends on the viewer (the key label, stale thresholds and p(o)'s rates are
    # company-wide), so a scope's key deals, problem list and problem groups are a filter
    # over ~13 % of the snapshot's rows instead of the facts, thresholds and rates joined
    # on every view.  The windows and thresholds it was built with are in its build key.
    Column("as_of", Date, nullable=False),
    *(Column(name, _FACT_TYPES[name]) for name in OPEN_DEAL_FACT_COLUMNS),
    Column("opportunity_class", String(16)),
    *(Column(name, Boolean) for name in ("is_key", "is_competitive", "overdue", "stale", "idle")),
    Column("is_problem", Boolean),
    Column("stint_age_days", BigInteger),
    Column("stale_threshold_days", Double),
    Column("last_activity_date", Date),
    Column("slip_count", Integer),
    Column("p_win", Double),
    Column("expected_value", Double),
    Column("support_open", BigInteger),
)
date_index_on_postgresql_only(cache_open_deals, "as_of")


SUPPORT_OPEN_FACT_COLUMNS = (
    *("opportunity_id", "name", "customer_name", "owner_id", "owner_name", "team", "branch"),
    *("status", "stage", "annual_value", "closed_date", "product", "industry", "business_type"),
    *("origin", "campaign", "created_date"),
)
"""cache_opportunity_facts' columns cache_support_open keeps of a request's deal."""

cache_support_open = Table(
    "cache_support_open",
    metadata,
    # Per as_of: every support request open then (requested by as_of, not resolved by
    # then) with its deal's columns, class and key label (the support_open fragment, built
    # by build_support_open.sql; read through support_open_cached), so the team page's two
    # support lists are a filter over some thousands of rows instead of a join of the
    # requests with every opportunity's facts.
    Column("as_of", Date, nullable=False),
    Column("request_id", support_requests.c.request_id.type),
    Column("type", support_requests.c.type.type),
    Column("requested_date", Date),
    Column("waited_days", Integer),
    *(Column(name, _FACT_TYPES[name]) for name in SUPPORT_OPEN_FACT_COLUMNS),
    Column("opportunity_class", String(16)),
    Column("is_key", Boolean),
    Column("on_closed_deal", Boolean),
)
date_index_on_postgresql_only(cache_support_open, "as_of")


# --- Derived: the calibration backtest summed per scope key (预测校准, issue 20 item 5) ------

cache_calibration_sums = Table(
    "cache_calibration_sums",
    metadata,
    # Per viewed as_of: the calibration backtest (analytics/forecast/calibration.py) summed
    # company-wide and unfiltered (build_calibration_sums.sql, from cache_calibration_deals
    # below) per backtest date, model,
    # reliability bucket and the deal's branch, team and account manager at the backtest
    # date and at as_of (a deal counts where it was in scope at both).  p(o) does not depend
    # on the viewer, so a scope's sums are a filter and a sum over these rows; a filter on
    # single deals (product, class, ...) reads the backtest itself.
    Column("as_of", Date, nullable=False),
    Column("backtest_date", Date, nullable=False),
    Column("model", String(16), nullable=False),
    Column("bucket", Integer, nullable=False),
    Column("branch", String(32)),
    Column("team", String(64)),
    Column("owner_id", String(32)),
    Column("outcome_branch", String(32)),
    Column("outcome_team", String(64)),
    Column("outcome_owner_id", String(32)),
    Column("predictions", BigInteger, nullable=False),
    Column("p_sum", Double, nullable=False),
    Column("wins", BigInteger, nullable=False),
    Column("squared_error_sum", Double, nullable=False),
)
date_index_on_postgresql_only(cache_calibration_sums, "as_of")

cache_calibration_deals = Table(
    "cache_calibration_deals",
    metadata,
    # Per viewed as_of: each deal the company's backtest scored at each backtest date (p(o)
    # computed as the forecast did then, its outcome by as_of), with its branch, team and
    # account manager then and at as_of (build_calibration_deals.sql): the sums above are
    # built from these rows, and how many distinct deals a scope's backtest scored (the
    # reliability interval counts deals) is a filter and a distinct count over them.
    Column("as_of", Date, nullable=False),
    Column("backtest_date", Date, nullable=False),
    Column("opportunity_id", String(40), nullable=False),
    Column("branch", String(32)),
    Column("team", String(64)),
    Column("owner_id", String(32)),
    Column("outcome_branch", String(32)),
    Column("outcome_team", String(64)),
    Column("outcome_owner_id", String(32)),
    Column("p_win", Double, nullable=False),
    Column("stage_rate", Double, nullable=False),
    Column("won", Integer, nullable=False),
)
date_index_on_postgresql_only(cache_calibration_deals, "as_of")


# --- Derived: the year-end forecast's inputs kept at load (收入预测, issue 19) ------------

cache_forecast_revenue = Table(
    "cache_forecast_revenue",
    metadata,
    # Per data version (and the one-off fee items it was built with): the revenue per
    # branch x product x period of the whole company and every period loaded, as the
    # revenue_line_periods fragment sums it (build_forecast_revenue.sql): amount,
    # recurring (no one-off item) and recurring_base (no contract with a term).  The
    # run-rate, its history and the book's history read these sums over their periods
    # instead of every revenue line joined to the org and the contracts; a team or
    # account manager (whose revenue follows the owner's team) reads the lines.
    Column("branch", revenue.c.branch.type),
    Column("product", revenue.c.product.type),
    Column("period", Integer, nullable=False),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("amount", Double),
    Column("recurring", Double),
    Column("recurring_base", Double),
)

cache_forecast_won_sums = Table(
    "cache_forecast_won_sums",
    metadata,
    # Per as_of: the company's deals won in the look-back window, each at its first open
    # snapshot, summed per slip in months (the forecast_won_sums fragment, built by
    # build_forecast_won_sums.sql): deals, and of those first seen with a value their won
    # and pipeline values.  The slip distribution and the value ratio are company-wide,
    # like p(o), so every viewer reads the same few rows.
    Column("as_of", Date, nullable=False),
    # Null on the pooled rows; on the timing's per-stage rows (r0020, no won deals or
    # values) the stage the deal had when first seen.
    Column("stage", SmallInteger),
    Column("slip_months", Integer),
    Column("deals", BigInteger, nullable=False),
    Column("valued_deals", BigInteger, nullable=False),
    Column("won_value", Double, nullable=False),
    Column("pipeline_value", Double, nullable=False),
    # The life table of every deal first seen open in the window, closed or still open
    # (the forecast_timing fragment, r0015): closes won / lost in this slip month and
    # the deals at risk in it (first seen or still open that month count half).
    Column("timing_wins", BigInteger, nullable=False),
    Column("timing_losses", BigInteger, nullable=False),
    Column("timing_at_risk", Double, nullable=False),
)
date_index_on_postgresql_only(cache_forecast_won_sums, "as_of")
