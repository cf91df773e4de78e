"""One settings object for the whole product.

Every threshold, window and band that metrics.md names is declared here once,
with its default and the help text shown to users, so that no query carries a
literal.  Each setting can be overridden by an environment variable
``SJGK_<NAME>`` (upper case); lists are comma-separated.  The pattern follows
datasette's ``Setting(...)`` declarations.
"""

from __future__ import annotations

import copy
import difflib
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import partial
from typing import Any

ENV_PREFIX = "SJGK_"

# SJGK_* variables that are not settings but are read elsewhere, by name (anything
# else with the prefix is a typo and stops start-up): the test PostgreSQL URL
# (tests/conftest.py, Makefile), its port (scripts/pg_test_server.sh) and the
# loader's test-only pause (analytics/loader/write.py), and the SMTP password of pack
# delivery (analytics/pack/delivery.py: a secret, so never a setting that is shown or cached).
OTHER_ENV = frozenset({"SJGK_TEST_PG_URL", "SJGK_PG_PORT", "SJGK_TEST_LOAD_PAUSE", "SJGK_SMTP_PASSWORD"})


class SettingError(ValueError):
    """A setting's environment variable that cannot be used: start-up stops, naming it."""


class InvalidSettingError(SettingError):
    """An ``SJGK_*`` value that is not of its setting's type (``SJGK_MAX_UPLOAD_MB=abc``)."""


class UnknownSettingError(SettingError):
    """An ``SJGK_*`` environment variable that names no setting: a typo would be silently ignored."""


def _setting(default: Any, help: str) -> Any:
    """Declare a setting: its default and its help text live side by side."""
    if isinstance(default, (list, dict)):
        return field(default_factory=partial(copy.deepcopy, default), metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """All tunable values; see metrics.md for what each one means."""

    database_url: str = _setting(
        "duckdb:///data/warehouse.duckdb",
        "SQLAlchemy URL of the warehouse (DuckDB file or postgresql+psycopg://…).",
    )
    language: str = _setting("zh", "UI language: zh (简体中文) or en.")
    class_major_min: float = _setting(100_000.0, "重大商机: annual_value ≥ this (CNY/year).")
    class_important_min: float = _setting(
        80_000.0, "重要商机: transformation business with annual_value ≥ this (and < major)."
    )
    class_ordinary1_min: float = _setting(50_000.0, "I类普通商机: annual_value ≥ this (and < major).")
    class_ordinary2_min: float = _setting(10_000.0, "II类普通商机: annual_value ≥ this.")
    class_ordinary2_users: int = _setting(25, "II类普通商机 also when more than this many users were won.")
    key_top_share: float = _setting(
        0.10, "重点商机: share of open opportunities, by annual_value company-wide, that are key."
    )
    funnel_months: int = _setting(12, "Default funnel cohort: opportunities created in the last N months.")
    stale_min_days: int = _setting(
        14, "A stint is stale when older than stale_p90_factor × its stage's p90, but never under this."
    )
    stale_p90_factor: float = _setting(
        2.0,
        "停滞: a stint is stale when older than this many times its stage's p90 (of the stints that ended "
        "in the stale window). Open deals outlive the ones that closed, so at 1× a quarter of the demo's "
        "open deals were stale; at 2× the flag is for deals sitting twice as long as nine in ten took.",
    )
    stale_window_days: int = _setting(365, "Stints ending in this many days before as_of define the p90.")
    idle_days: int = _setting(
        60,
        "无跟进: no activity on an open opportunity in this many days: two monthly visits missed (in the "
        "demo 95 % of open deals had an activity in the last 53 days).",
    )
    overdue_grace_days: int = _setting(
        60,
        "逾期: an open opportunity whose expected close date is more than this many days before as_of (a "
        "deal a few weeks past its date is usually in contract paperwork, not lost track of).",
    )
    workload_window_weeks: int = _setting(13, "Workload window W in weeks.")
    trailing_months: int = _setting(12, "Trailing window T in months (win rates, cycle times).")
    win_rate_prior_weight: float = _setting(
        10.0, "Shrinkage weight toward the team rate in win_rate_adjusted."
    )
    late_registered_days: int = _setting(7, "藏单: won within this many days of creation.")
    late_registered_stage: int = _setting(3, "藏单: first seen at this stage or later.")
    probability_lookback_months: int = _setting(24, "Closed deals in this many months calibrate p(o).")
    probability_shrinkage: float = _setting(
        20.0,
        "p(o): pseudo-count pulling a thin time-in-stage bin's win rate to its stage's, and a "
        "segment's (class x product) to its stage rate before its lift is shrunk by its evidence.",
    )
    probability_open_max: float = _setting(
        0.95,
        "Highest p(o) of an open deal: every closed deal that reached 确认合同 was won (reaching it "
        "is winning), yet a deal still open is not won until it closes.",
    )
    probability_lift_by_evidence: bool = _setting(
        True,
        "p(o): a segment's (class x product) lift over its stage on the log-odds scale, shrunk by how "
        "much the stage's segments differ beyond chance (empirical Bayes); false: x segment rate / "
        "stage rate, shrunk with probability_shrinkage only.",
    )
    probability_won_stage_max: float = _setting(
        0.999,
        "Highest p(o) of an open deal at 确认合同 whose cohort (deals seen open there) always went on "
        "to win: below 1, so that 赢单概率 never reads 100.0 % for a deal not yet closed, yet inside "
        "the calibration's interval of an observed 100 %.",
    )
    run_rate_months: int = _setting(3, "Run-rate: mean recurring revenue over the last N loaded periods.")
    one_off_fee_items: list = _setting(
        ["调测费", "安装费", "一次性费用"], "Fee items excluded from the recurring run-rate."
    )
    budget_phasing: str = _setting("even", "How annual-only budget rows are phased by month: even.")
    week_compare_days: int = _setting(7, "Week-over-week: snapshot A is at least this many days before B.")
    demo_seed: int = _setting(20261125, "Seed of the demo data generator.")
    session_hours: int = _setting(8, "A sign-in session expires this many hours after sign-in.")
    session_cookie_secure: bool = _setting(
        True,
        "The sign-in cookie is sent over HTTPS only (browsers also accept it on http://localhost); "
        "false only for a plain-HTTP deployment on a trusted network.",
    )
    max_failed_logins: int = _setting(5, "Lock an account after this many consecutive failed sign-ins.")
    lockout_minutes: int = _setting(15, "A locked account stays locked for this many minutes.")
    read_roles_for_analyst: str = _setting(
        "none", "What an analyst account may read: none (upload only) or company (all data)."
    )
    longest_stints_shown: int = _setting(
        10, "Stage durations: the open deals sitting longest shown per stage."
    )
    simulation_runs: int = _setting(10_000, "Year-end forecast: Monte-Carlo runs behind P10/P50/P90.")
    simulation_seed: int = _setting(
        20261125, "Seed of the forecast simulation: the same data and seed give the same band."
    )
    slip_censored: bool = _setting(
        True,
        "Forecast: when a deal closes given that it wins, from the life table of every deal first seen "
        "open in the look-back window, those still open counting as exposure (issue 16); false: the "
        "slips of the won deals only, which miss the slow closes not yet closed.",
    )
    slip_shrinkage: float = _setting(
        1.0,
        "Forecast timing (slip_censored): deals that did not close added to each slip month's deals "
        "at risk, so a month with a handful of deals cannot close them all (a hazard of 1). Pulling "
        "toward the pooled hazard instead raised the forward windows' overshoot on the demo.",
    )
    slip_stage_prior: float = _setting(
        0.0,
        "Forecast timing by stage (slip_censored): pseudo-count of pooled deals added to each stage's "
        "slip month, pulling the stage's hazards toward the company's; 0: one company-wide timing "
        "(pooled only), the default: with 10 the demo's forward windows overshot more on both seeds.",
    )
    forecast_top_deals: int = _setting(
        10, "Forecast page: top contributors listed, and top key deals assumed lost in the sensitivity."
    )
    forecast_forward_from_month: int = _setting(
        12,
        "Forecast page: from this month of the year on it opens on next year (or the next 12 months "
        "when next year's budget is not loaded) instead of the year-end.",
    )
    forecast_forward_months_left: int = _setting(
        1,
        "Forecast page: it also opens on next year (or the next 12 months) once at most this many months "
        "of the year are still to be loaded: the year-end band has almost nothing left to vary.",
    )
    calibration_backtest_dates: int = _setting(
        12,
        "Calibration: the newest N snapshots at least probability_horizon_days before as_of at which "
        "p(o) is backtested.",
    )
    probability_horizon_days: int = _setting(
        60,
        "p(o): a cohort counts the deals at a stage on a past date that closed within this many days "
        "after it (the span over which the backtest sees outcomes).",
    )
    probability_cohort_step_days: int = _setting(
        14, "p(o): days between the past dates whose open deals form the cohorts."
    )
    probability_age_step_days: int = _setting(30, "p(o): width in days of a time-in-stage bin.")
    probability_age_bins: int = _setting(
        6, "p(o): time-in-stage bins per stage; the last one holds every longer stay."
    )
    forecast_coverage_min: float = _setting(
        0.7, "Forecast page: warn when fewer frozen forecasts than this fell inside their P10-P90 band."
    )
    forecast_coverage_max: float = _setting(
        0.9,
        "Forecast page: warn when more frozen forecasts than this fell inside their P10-P90 band (too wide).",
    )
    forecast_bias_max: float = _setting(
        0.03,
        "Forecast page: warn when the frozen forecasts scored so far missed by more than this share of "
        "the revenue (bias), either way.",
    )
    forecast_backtest_min_scored: int = _setting(
        30,
        "Forecast page: frozen forecasts of the horizon shown (line x month rows scored) needed before "
        "its own backtest sets the warnings; with fewer, the year-end's does.",
    )
    run_rate_noise_months: int = _setting(
        15,
        "Forecast band: loaded periods whose revenue is compared with the run-rate of the months "
        "before it, to learn how far the run-rate strays.",
    )
    forecast_parts: list = _setting(
        ["drift", "one_off", "won_not_billed", "new_business"],
        "Forecast: the parts added to run-rate and pipeline (drift of existing business, one-off fees, "
        "deals won but not billed yet, business not yet created); an empty list forecasts without them.",
    )
    value_ratio_min_deals: int = _setting(
        30, "Forecast: won deals needed before the won value / pipeline value ratio is used (else 1)."
    )
    win_rate_min_closed: int = _setting(
        5, "Workload: managers with fewer closed deals in T are marked 'too few deals' and not ranked."
    )
    win_rate_interval_level: float = _setting(
        0.9, "Workload: confidence level of the interval shown around win_rate_adjusted and 藏单."
    )
    late_registered_min_count: int = _setting(
        3, "藏单: a manager is highlighted only with at least this many late-registered wins in T."
    )
    workload_chart_rows: int = _setting(
        30, "客户经理 page: managers with the lowest target coverage shown in the targets chart."
    )
    chart_small_sample_n: int = _setting(
        20,
        "Charts: a rate or median resting on fewer observations than this is drawn muted (grey) "
        "and shows its count, so a small sample does not read as an alarm.",
    )
    workload_table_rows: int = _setting(
        1000,
        "客户经理 page: scorecard rows shown per page (ordered over every manager first); "
        "the charts and the export cover them all.",
    )
    workload_ranking_size: int = _setting(
        10,
        "客户经理 page: the ranking shows this many managers at the top and at the bottom of the "
        "measure chosen (adjusted win rate, effort, target coverage).",
    )

    max_upload_mb: int = _setting(
        200, "Largest export file the loader accepts, in MB (each file, and each file inside a zip)."
    )
    max_unzipped_mb: int = _setting(
        2000,
        "Most MB the members of one zip may inflate to together (also the parts of one .xlsx); "
        "inflating stops at the limit.",
    )
    max_zip_members: int = _setting(1000, "Most files one zip (or one .xlsx workbook) may hold.")
    max_zip_ratio: float = _setting(
        200.0,
        "A zip member (or .xlsx part) inflating to more than this many times its compressed size "
        "(past its first MB) is refused as a zip bomb.",
    )
    replace_shrink_confirm_share: float = _setting(
        0.20,
        "Upload: a load that would shrink the rows or the value it replaces (a snapshot date, a period, "
        "a year …) by more than this share needs explicit confirmation (the page's checkbox, the load "
        "command's --confirm-shrink).",
    )
    work_folder_stale_hours: float = _setting(
        24.0,
        "A loader work folder with no owner record is removed by the next load after this many hours "
        "(one whose owner process has died at once; a live one never).",
    )
    problem_list_rows: int = _setting(
        500,
        "Problem opportunities: rows a page lists (key first, then by value); counts and "
        "groups always cover all of them, and the report command prints every one.",
    )
    explorer_list_rows: int = _setting(
        1000,
        "商机明细 page: rows its table lists (in the chosen order); the counts cover every match.",
    )
    explorer_export_rows: int = _setting(
        100_000,
        "商机明细 page: most rows an Excel export holds (a sheet takes about a million at most).",
    )

    pack_table_rows: int = _setting(
        1000,
        "Meeting pack: most rows a table of the pack holds (a note says how many were left out "
        "and where to find them).",
    )
    pack_alert_relative: float = _setting(
        0.2,
        "Pack alerts: a money change alerts only when at least this share of its base (and the absolute).",
    )
    pack_alert_absolute: float = _setting(
        100_000.0, "Pack alerts: a money change alerts only when at least this many yuan (and the relative)."
    )
    pack_alert_gap_points: float = _setting(
        0.05, "Pack alerts: attainment falling behind time progress by more than this (0.05 = 5 points)."
    )
    pack_outbox_dir: str = _setting(
        "data/outbox", "Subscriptions: folder where delivered packs are written (outbox delivery)."
    )
    smtp_host: str = _setting("", "Subscriptions: SMTP server for e-mailed packs (empty: outbox only).")
    smtp_port: int = _setting(587, "Subscriptions: SMTP port.")
    smtp_tls: str = _setting("starttls", "Subscriptions: SMTP security: starttls, ssl or none.")
    smtp_user: str = _setting(
        "", "Subscriptions: SMTP user (the password only from SJGK_SMTP_PASSWORD, never stored)."
    )
    smtp_from: str = _setting("sjgk@localhost", "Subscriptions: sender address of e-mailed packs.")

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with some values changed (tests, command-line flags)."""
        return replace(self, **changes)


def _parse(raw: str, default: Any, name: str = "") -> Any:
    """Convert an environment string to the type of the declared default.

    A number that does not parse stops start-up naming the variable
    (``name``) and the value, instead of a bare ``int()`` traceback.
    """
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, (int, float)):
        kind, zh = (int, "整数") if isinstance(default, int) else (float, "数字")
        try:
            value = kind(raw.strip())
        except ValueError:
            raise InvalidSettingError(
                f"环境变量 {name} 的值 {raw!r} 不是{zh}（默认 {default}） / "
                f"environment variable {name}={raw!r} is not a {kind.__name__} (default {default})"
            ) from None
        if not math.isfinite(value):
            raise InvalidSettingError(
                f"环境变量 {name} 的值 {raw!r} 不是有限的数字 / {name}={raw!r} is not finite"
            )
        return value
    if isinstance(default, list):
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from defaults, overridden by ``SJGK_*`` environment variables."""
    env = os.environ if env is None else env
    _refuse_unknown(env)
    base = Settings()
    changes = {}
    for spec in fields(Settings):
        raw = env.get(env_name(spec.name))
        if raw is not None:
            changes[spec.name] = _parse(raw, getattr(base, spec.name), env_name(spec.name))
    return base.with_overrides(**changes)


def env_name(setting: str) -> str:
    """The environment variable that overrides a setting."""
    return ENV_PREFIX + setting.upper()


def _refuse_unknown(env: Any) -> None:
    """Stop at start-up on an ``SJGK_*`` variable that is no setting, naming the closest ones."""
    known = {env_name(spec.name) for spec in fields(Settings)} | OTHER_ENV
    unknown = sorted(name for name in env if name.startswith(ENV_PREFIX) and name not in known)
    if unknown:
        hints = [
            f"{name} (closest: {', '.join(difflib.get_close_matches(name, known, n=3)) or 'none'})"
            for name in unknown
        ]
        raise UnknownSettingError(
            "unknown environment variable " + "; ".join(hints) + ". Settings are listed in docs/settings.md."
        )


def describe() -> list[dict[str, Any]]:
    """Every setting with its default and help, for docs and the CLI."""
    base = Settings()
    return [
        {"name": s.name, "default": getattr(base, s.name), "help": s.metadata.get("help", "")}
        for s in fields(Settings)
    ]
