"""The meeting pack's content: the picture of one scope at one data date (issue 18).

Leaders take the pack into the weekly meeting and the monthly budget review, so
it must say exactly what the dashboard says for the same viewer and date.  It
therefore computes nothing itself: every number comes from the metric functions
the pages and ``report`` call (attainment, year-end forecast, the week's
movement and, when present, the forecast bridge, problems, the workload
scorecard with its team medians, the funnel and stage durations), run through
the reader's own ``Context`` (their scope, their filters).  Money stays in yuan
here; the Excel and PDF writers show it in 万元 through ``analytics.money``.

Texts come from the UI's label catalogue through a :class:`Texts` the caller
passes (this package may not import ``ui``), so headings and each section's
definitions are the page tooltips word for word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from analytics.context import Context
from analytics.forecast.bridge import forecast_change, pipeline_change
from analytics.forecast.yearend import year_end_forecast
from analytics.metrics.attainment import budget_attainment, period_end, time_progress
from analytics.metrics.durations import stage_durations
from analytics.metrics.funnel import funnel
from analytics.metrics.movement import (
    PART_SIGNS,
    WATERFALL_PARTS,
    Movement,
    SnapshotPair,
    movement,
    movement_key_deals,
    pair_or_none,
)
from analytics.metrics.overview import overview
from analytics.metrics.problems import problem_opportunities
from analytics.metrics.workload import workload


@dataclass(frozen=True)
class Texts:
    """Catalogue look-ups in the reader's language: ``label(key)`` and ``help(key)`` (a
    metric's definition, as its page tooltip)."""

    label: Callable[[str], str]
    help: Callable[[str], str]


@dataclass(frozen=True)
class Col:
    """A table column: frame column, header (already in the reader's language), kind as in
    ``analytics.xlsx.KINDS`` (money_wan holds yuan and is shown in 万元)."""

    source: str
    header: str
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    """A table of a section: at most ``pack_table_rows`` rows of ``total`` (``where`` says
    where the rest is)."""

    key: str
    title: str
    frame: pd.DataFrame
    columns: list[Col]
    total: int
    where: str = ""

    @property
    def left_out(self) -> int:
        return max(self.total - len(self.frame), 0)


@dataclass(frozen=True)
class Chart:
    """A chart both writers draw: ``kind`` 'waterfall' (categories, signed steps, start and
    end totals) or 'attainment' (categories, attainment bars and the time-progress line)."""

    kind: str
    title: str
    categories: list[str]
    values: list[float]
    reference: float | None = None
    unit: str = ""


@dataclass(frozen=True)
class Section:
    """One part of the pack: its tables, charts, notes and the definitions behind it."""

    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    definitions: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CoverItem:
    """A headline figure: label, value (yuan for money) and kind (money_wan, percent, int, text)."""

    key: str
    label: str
    value: object
    kind: str


@dataclass(frozen=True)
class Pack:
    """Everything both formats show: the cover, then the sections in order."""

    as_of: date
    recipient: str
    scope_label: str
    built_at: datetime
    cover: list[CoverItem]
    sections: list[Section]
    title: str

    @property
    def rows(self) -> int:
        return sum(len(t.frame) for s in self.sections for t in s.tables)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _definitions(texts: Texts, keys: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(term, definition) pairs: the label key names the term, the help key gives the tooltip."""
    return [(texts.label(term), texts.help(key)) for term, key in keys]


def _cap(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return frame.head(ctx.settings.pack_table_rows).reset_index(drop=True)


def _table(
    ctx: Context, texts: Texts, key: str, frame: pd.DataFrame, columns: list[Col], where: str, total=None
) -> Table:
    return Table(
        key, texts.label(key), _cap(frame, ctx), columns, len(frame) if total is None else total, where
    )


def _where(texts: Texts, page_key: str, report: str, user: str) -> str:
    """Where the rows a table leaves out are: the page and the report command."""
    return texts.label("pk_where").format(
        page=texts.label(page_key), command=f"python -m analytics report {report} --as-user {user}"
    )


# ----------------------------------------------------------------------------- cover


def _filters_text(ctx: Context, texts: Texts) -> str:
    active = ctx.filters.active()
    if not active:
        return texts.label("pk_no_filters")
    return "; ".join(f"{name}={value}" for name, value in sorted(active.items()))


def _cover(ctx: Context, texts: Texts, recipient: str, head: dict, forecast: dict) -> list[CoverItem]:
    """Who, what scope, which filters and data, then the headline numbers (as on 总览 and 收入预测)."""
    att, fresh, overall = head["attainment"], head["freshness"], forecast["overall"]
    items = [
        ("pk_recipient", recipient, "text"),
        ("scope_caption", ctx.scope.label, "text"),
        ("filters", _filters_text(ctx, texts), "text"),
        ("as_of", ctx.as_of.isoformat(), "text"),
        ("pk_revenue_periods", _periods_text(fresh, forecast), "text"),
        ("last_loaded_at", _stamp(fresh.get("last_loaded_at")), "text"),
        ("actual_ytd", att.get("actual_ytd"), "money_wan"),
        ("attainment", att.get("attainment"), "percent"),
        ("att_period_progress", att.get("period_progress"), "percent"),
        ("att_period_gap", att.get("period_gap"), "percent"),
        ("pk_progress_basis", _progress_basis(ctx, texts, att), "text"),
        ("fc_forecast_expected", overall.get("forecast_expected"), "money_wan"),
        ("fc_p10", overall.get("p10"), "money_wan"),
        ("fc_p50", overall.get("p50"), "money_wan"),
        ("fc_p90", overall.get("p90"), "money_wan"),
        ("fc_gap", overall.get("gap"), "money_wan"),
        ("open_count", head.get("open_count"), "int"),
        ("open_value", head.get("open_value"), "money_wan"),
        ("key_open_count", head.get("key_open_count"), "int"),
        ("problem_count", head.get("problem_count"), "int"),
        ("pk_key_problem_count", head.get("key_problem_count"), "int"),
    ]
    return [CoverItem(key, texts.label(key), _plain(value), kind) for key, value, kind in items]


def _progress_basis(ctx: Context, texts: Texts, att: dict) -> str:
    """The pages' one line under the headline: attainment is compared with time progress to the
    end of the last loaded period, and the as_of figure is named beside it (issue 17 item 3)."""
    through, progress = att.get("data_through"), att.get("period_progress")
    if through is None or pd.isna(through) or progress is None or pd.isna(progress):
        return texts.label("att_no_revenue")
    return texts.label("att_headline_basis").format(
        period=int(through),
        end=period_end(int(through)).isoformat(),
        progress=f"{float(progress) * 100:.1f}%",
        as_of=ctx.as_of.isoformat(),
        as_of_progress=f"{float(att.get('time_progress', time_progress(ctx.as_of))) * 100:.1f}%",
    )


def _plain(value: Any) -> object:
    """numpy / Decimal scalars as Python numbers; NaN as None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return float(value) if type(value).__name__ == "Decimal" else value


def _stamp(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


def _period(value: Any) -> str:
    if value is None or pd.isna(value):
        return "—"
    value = int(value)
    return f"{value // 100}-{value % 100:02d}"


def _periods_text(fresh: dict, forecast: dict) -> str:
    """The revenue periods the year's figures use: January through the last loaded period."""
    last = forecast.get("data_through") or fresh.get("last_revenue_period")
    if last is None or pd.isna(last):
        return "—"
    return f"{int(last) // 100}-01 … {_period(last)}"


# ----------------------------------------------------------------------------- sections


def level_name(texts: Texts, level: str) -> str:
    """An attainment level's name (overall, product, branch, branch × product)."""
    return texts.label("pk_level_overall" if level == "overall" else f"att_level_{level}")


def _attainment_section(ctx: Context, texts: Texts, user: str) -> Section:
    frame = budget_attainment(ctx)
    order = {"overall": 0, "branch": 1, "product": 2, "branch_product": 3}
    frame = frame.sort_values(
        ["level", "branch", "product"], key=lambda s: s.map(order) if s.name == "level" else s
    )
    frame = frame.assign(level_name=frame["level"].map(lambda v: level_name(texts, v)))
    frame = frame.reset_index(drop=True)
    columns = [
        Col("level_name", texts.label("att_level")),
        Col("branch", texts.label("branch")),
        Col("product", texts.label("product")),
        Col("actual_ytd", texts.label("actual_ytd"), "money_wan"),
        Col("budget_annual", texts.label("pk_budget_annual_wan"), "money_wan"),
        Col("budget_ytd", texts.label("pk_budget_ytd_wan"), "money_wan"),
        Col("attainment", texts.label("attainment"), "percent"),
        Col("ytd_attainment", texts.label("ytd_attainment"), "percent"),
        Col("period_progress", texts.label("att_period_progress"), "percent"),
        Col("period_gap", texts.label("att_period_gap"), "percent"),
        Col("time_progress", texts.label("time_progress"), "percent"),
        Col("progress_gap", texts.label("progress_gap"), "percent"),
    ]
    branches = frame[(frame["level"] == "branch") & (frame["budget_annual"] > 0)]
    charts = []
    if len(branches):
        charts.append(
            Chart(
                "attainment",
                texts.label("attainment_by_branch"),
                [str(b) for b in branches["branch"]],
                [float(v) for v in branches["attainment"]],
                reference=float(branches["period_progress"].iloc[0]),
                unit="%",
            )
        )
    return Section(
        "attainment",
        texts.label("pk_section_attainment"),
        tables=[
            _table(
                ctx,
                texts,
                "pk_table_attainment",
                frame,
                columns,
                _where(texts, "page_attainment", "attainment", user),
            )
        ],
        charts=charts,
        definitions=_definitions(
            texts,
            [
                ("actual_ytd", "actual_ytd"),
                ("budget_annual", "budget_annual"),
                ("budget_ytd", "budget_ytd"),
                ("attainment", "attainment"),
                ("ytd_attainment", "ytd_attainment"),
                ("att_period_progress", "period_progress"),
                ("att_period_gap", "period_gap"),
                ("time_progress", "time_progress"),
                ("progress_gap", "progress_gap"),
            ],
        ),
    )


def _forecast_section(
    ctx: Context, texts: Texts, user: str, forecast: dict, pair: SnapshotPair | None
) -> Section:
    levels = forecast["levels"]
    levels = levels[levels["level"].isin(["overall", "branch"])].reset_index(drop=True)
    levels = levels.assign(level_name=levels["level"].map(lambda v: level_name(texts, v)))
    money = ["actual_ytd", "run_rate", "pipeline_expected", "forecast_expected", "p10", "p50", "p90"]
    money += ["budget_annual", "gap"]
    columns = [Col("level_name", texts.label("att_level")), Col("branch", texts.label("branch"))]
    columns += [Col(c, texts.label(_forecast_label(c)), "money_wan") for c in money]
    tables = [
        _table(
            ctx, texts, "pk_table_forecast", levels, columns, _where(texts, "page_forecast", "forecast", user)
        )
    ]
    notes, definitions = (
        [],
        [
            ("fc_forecast_expected", "fc_forecast_expected"),
            ("fc_run_rate", "fc_run_rate"),
            ("fc_pipeline_expected", "fc_pipeline_expected"),
            ("fc_band", "fc_band"),
            ("fc_gap", "fc_gap"),
        ],
    )
    if pair is not None:
        bridge = forecast_change(ctx, pair)
        if not bridge.available:  # as 周例会 does for a team or owner
            bridge = pipeline_change(ctx, pair)
            if bridge.available:
                notes.append(texts.label("wk_bridge_pipeline_note"))
        if bridge.available:
            tables.append(_bridge_table(ctx, texts, bridge))
            definitions.append(("wk_bridge", "wk_bridge"))
        else:
            notes.append(texts.label("wk_bridge_na"))
    return Section(
        "forecast",
        texts.label("pk_section_forecast"),
        tables=tables,
        notes=notes,
        definitions=_definitions(texts, definitions),
    )


def _forecast_label(column: str) -> str:
    return {"actual_ytd": "fc_actual_ytd", "budget_annual": "fc_budget_annual"}.get(column, f"fc_{column}")


def _bridge_table(ctx: Context, texts: Texts, bridge) -> Table:
    """Why the forecast moved: A's frozen expected, each part, B's (yuan, exact to the fen)."""
    rows = [("start", bridge.expected_a_fen), *bridge.parts_fen.items(), ("end", bridge.expected_b_fen)]
    frame = pd.DataFrame(
        {"part": [texts.label(f"wk_bridge_part_{p}") for p, _ in rows], "value": [v / 100 for _, v in rows]}
    )
    columns = [Col("part", texts.label("pk_part")), Col("value", texts.label("pk_value_wan"), "money_wan")]
    return Table("pk_table_bridge", texts.label("wk_bridge"), frame, columns, len(frame))


def _waterfall_chart(texts: Texts, moved: Movement) -> Chart:
    """Start and end as totals, each part signed by how it moves the open value (yuan)."""
    fen = moved.waterfall.fen
    return Chart(
        "waterfall",
        texts.label("wk_waterfall"),
        [texts.label(f"wk_part_{p}") for p in WATERFALL_PARTS],
        [PART_SIGNS.get(p, 1) * fen[p] / 100 for p in WATERFALL_PARTS],
        unit="wan",
    )


KEY_DEAL_COLUMNS = [
    ("flag", "wk_highlighted", "text"),
    ("opportunity_id", "opportunity_id", "text"),
    ("customer_name", "customer_name", "text"),
    ("label_names", "wk_labels", "text"),
    ("owner_name", "owner_name", "text"),
    ("stage_a", "wk_stage_a", "int"),
    ("stage_b", "wk_stage_b", "int"),
    ("value_a", "wk_value_a", "money_wan"),
    ("value_b", "wk_value_b", "money_wan"),
    ("close_a", "wk_close_a", "date"),
    ("close_b", "wk_close_b", "date"),
    ("slip_count", "slip_count", "int"),
    ("last_activity_date", "wk_last_activity", "date"),
    ("support_open", "wl_support_open", "int"),
]


def label_names(texts: Texts, codes: pd.Series) -> pd.Series:
    """Movement label codes ('advanced,slipped') → their names ('推进、延期')."""
    return codes.fillna("").map(
        lambda text: "、".join(texts.label(f"wk_label_{c}") for c in text.split(",") if c)
    )


def _movement_section(ctx: Context, texts: Texts, user: str, pair: SnapshotPair | None) -> Section:
    title = texts.label("pk_section_movement")
    if pair is None:
        return Section("movement", title, notes=[texts.label("wk_no_pair")])
    moved = movement(ctx, pair)
    parts = pd.DataFrame(
        {
            "part": [texts.label(f"wk_part_{p}") for p in WATERFALL_PARTS],
            "value": [moved.waterfall.fen[p] / 100 for p in WATERFALL_PARTS],
            "count": [moved.waterfall.counts[p] for p in WATERFALL_PARTS],
        }
    )
    part_columns = [
        Col("part", texts.label("pk_part")),
        Col("value", texts.label("pk_value_wan"), "money_wan"),
        Col("count", texts.label("wk_measure_count"), "int"),
    ]
    keys = movement_key_deals(ctx, pair, ctx.settings.pack_table_rows)  # capped in the warehouse
    every = int(keys["key_deals"].iloc[0]) if "key_deals" in keys and len(keys) else len(keys)
    keys = keys.assign(
        flag=keys["highlighted"].map(lambda v: "！" if v else ""),
        label_names=label_names(texts, keys["labels"]),
        value_a=keys["value_a_fen"].astype("Float64") / 100,
        value_b=keys["value_b_fen"].astype("Float64") / 100,
    )
    key_columns = [Col(s, texts.label(k), kind) for s, k, kind in KEY_DEAL_COLUMNS]
    pair_text = texts.label("wk_pair").format(a=pair.a, b=pair.b, days=(pair.b - pair.a).days)
    return Section(
        "movement",
        title,
        tables=[
            Table("pk_table_waterfall", texts.label("wk_waterfall"), parts, part_columns, len(parts)),
            _table(
                ctx,
                texts,
                "wk_key_deals",
                keys,
                key_columns,
                _where(texts, "page_weekly", "movement", user),
                total=every,
            ),
        ],
        charts=[_waterfall_chart(texts, moved)],
        notes=[pair_text],
        definitions=_definitions(
            texts,
            [("wk_waterfall", "wk_waterfall"), ("wk_labels", "wk_labels"), ("wk_key_deals", "wk_key_deals")],
        ),
    )


REASONS = ("overdue", "stale", "idle", "abnormal")


def _problems_section(ctx: Context, texts: Texts, user: str, total: int) -> Section:
    rows = problem_opportunities(ctx, ctx.settings.pack_table_rows)
    rows = rows.assign(
        reasons=rows[list(REASONS)].apply(
            lambda r: "、".join(texts.label(k) for k in REASONS if r[k]), axis=1
        )
        if len(rows)
        else pd.Series(dtype=object),
        key=rows["is_key"].map(lambda v: texts.label("is_key") if v else ""),
    )
    columns = [
        Col("key", texts.label("is_key")),
        Col("opportunity_id", texts.label("opportunity_id")),
        Col("customer_name", texts.label("customer_name")),
        Col("name", texts.label("name")),
        Col("owner_name", texts.label("owner_name")),
        Col("team", texts.label("team")),
        Col("stage", texts.label("stage"), "int"),
        Col("annual_value", texts.label("annual_value"), "money_wan"),
        Col("expected_close_date", texts.label("expected_close_date"), "date"),
        Col("reasons", texts.label("reasons")),
        Col("slip_count", texts.label("slip_count"), "int"),
    ]
    where = _where(texts, "page_problems", "problems", user)
    table = Table("pk_table_problems", texts.label("pk_table_problems"), rows, columns, total, where)
    return Section(
        "problems",
        texts.label("pk_section_problems"),
        tables=[table],
        definitions=_definitions(
            texts,
            [
                ("problem_count", "problem_count"),
                ("col_reasons", "problem_reasons"),
                ("value_at_risk", "value_at_risk"),
            ],
        ),
    )


SCORECARD = (
    ("open_count", "int"),
    ("open_value", "money_wan"),
    ("key_open", "int"),
    ("activities_per_week", "number"),
    ("won_count", "int"),
    ("won_value", "money_wan"),
    ("win_rate", "percent"),
    ("win_rate_adjusted", "percent"),
    ("stale", "int"),
    ("overdue", "int"),
    ("target", "money_wan"),
    ("won_value_ytd", "money_wan"),
    ("target_attainment", "percent"),
    ("coverage", "percent"),
)


def _workload_section(ctx: Context, texts: Texts, user: str) -> Section:
    table = workload(ctx)
    table = table.assign(_owner=table["owner_name"].fillna(table["owner_id"]))
    columns = [Col("_owner", texts.label("wl_owner")), Col("team", texts.label("wl_team"))]
    for name, kind in SCORECARD:
        columns.append(Col(name, texts.label(f"wl_{name}"), kind))
        median = f"{name}_team_median"
        if median in table:
            kind_m = "number" if kind == "int" else kind
            columns.append(Col(median, texts.label(f"wl_{name}") + texts.label("wl_median_suffix"), kind_m))
    definitions = [(f"wl_{n}", f"wl_{n}") for n, _ in SCORECARD if n not in ("key_open",)]
    return Section(
        "workload",
        texts.label("pk_section_workload"),
        tables=[
            _table(
                ctx,
                texts,
                "pk_table_workload",
                table,
                columns,
                _where(texts, "page_workload", "workload", user),
            )
        ],
        definitions=_definitions(texts, [("wl_team_median", "wl_team"), *definitions]),
    )


def _funnel_section(ctx: Context, texts: Texts, user: str) -> Section:
    stages = funnel(ctx)
    stages = stages.assign(stage_name=stages["stage"].map(lambda s: texts.label(f"stage_{s}")))
    funnel_columns = [
        Col("stage_name", texts.label("col_stage")),
        Col("reached", texts.label("col_reached"), "int"),
        Col("reached_value", texts.label("col_reached_value"), "money_wan"),
        Col("conversion", texts.label("col_conversion"), "percent"),
        Col("won", texts.label("col_won"), "int"),
        Col("won_value", texts.label("won_value"), "money_wan"),
        Col("win_rate_cohort", texts.label("col_win_rate_cohort"), "percent"),
        Col("win_rate_closed", texts.label("col_win_rate_closed"), "percent"),
    ]
    durations = stage_durations(ctx)
    durations = durations.assign(stage_name=durations["stage"].map(lambda s: texts.label(f"stage_{s}")))
    duration_columns = [
        Col("stage_name", texts.label("col_stage")),
        Col("ended_stints", texts.label("col_ended_stints"), "int"),
        Col("median_days", texts.label("col_median_days"), "number"),
        Col("p90_days", texts.label("col_p90_days"), "number"),
        Col("stale_days", texts.label("col_stale_days"), "number"),
        Col("open_stints", texts.label("col_open_stints"), "int"),
        Col("stale_count", texts.label("col_stale_count"), "int"),
    ]
    notes = []
    if len(stages):
        notes.append(
            texts.label("pk_cohort").format(
                start=stages["cohort_start"].iloc[0], end=stages["cohort_end"].iloc[0]
            )
        )
    return Section(
        "funnel",
        texts.label("pk_section_funnel"),
        tables=[
            _table(
                ctx,
                texts,
                "funnel_stage_table",
                stages,
                funnel_columns,
                _where(texts, "page_funnel", "funnel", user),
            ),
            _table(
                ctx,
                texts,
                "durations_chart",
                durations,
                duration_columns,
                _where(texts, "page_durations", "durations", user),
            ),
        ],
        notes=notes,
        definitions=_definitions(
            texts,
            [
                ("col_reached", "reached"),
                ("col_conversion", "conversion"),
                ("col_win_rate_cohort", "win_rate_cohort"),
                ("col_median_days", "median_days"),
                ("col_p90_days", "p90_days"),
                ("col_stale_days", "stale_days"),
            ],
        ),
    )


# ----------------------------------------------------------------------------- the pack


def build_pack(
    ctx: Context,
    texts: Texts,
    recipient: str,
    alerts: Section | None = None,
    now: datetime | None = None,
) -> Pack:
    """The pack for ``recipient`` (a username, whose scope ``ctx`` carries) at ``ctx.as_of``.

    ``alerts``: the alert section (analytics.pack.alerts), placed after the cover when given.
    """
    head = overview(ctx)
    forecast = year_end_forecast(ctx)
    pair = pair_or_none(ctx)
    sections = [alerts] if alerts is not None else []
    sections += [
        _attainment_section(ctx, texts, recipient),
        _forecast_section(ctx, texts, recipient, forecast, pair),
        _movement_section(ctx, texts, recipient, pair),
        _problems_section(ctx, texts, recipient, int(head.get("problem_count") or 0)),
        _workload_section(ctx, texts, recipient),
        _funnel_section(ctx, texts, recipient),
    ]
    return Pack(
        as_of=ctx.as_of,
        recipient=recipient,
        scope_label=ctx.scope.label,
        built_at=now or datetime.now(),
        cover=_cover(ctx, texts, recipient, head, forecast),
        sections=sections,
        title=texts.label("pk_title"),
    )
