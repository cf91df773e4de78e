"""The weekly review's widgets and tables (周例会): snapshot pickers, the waterfall with its
bar drill-down, the movement table's controls, groups, key deals, removed deals, trend.

Everything here renders what ``analytics.metrics.movement`` computed (the page
asks for it through ``ui.data.compute``); a click on a waterfall bar fills the
bar selector through a callback, and the selector also works on its own, which
is what tests and keyboard users use.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics.forecast.bridge import BRIDGE_PARTS, ForecastBridge
from analytics.metrics.movement import LABELS, SORTS, WATERFALL_PARTS, Movement, SnapshotPair
from ui.charts_weekly import bridge_figure, fen_to_wan, trend_figure, waterfall_figure
from ui.format import count, wan
from ui.funnel_widgets import code_names
from ui.i18n import h, language, t
from ui.tables import Column, show_table
from ui.widgets import metric

BAR_PARTS = (*WATERFALL_PARTS, "unchanged")
PAGE_SIZES = (25, 50, 100, 200)
MOVEMENT_COLUMNS: list[Column] = [
    ("opportunity_id", "opportunity_id", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("label_names", "wk_labels", "wk_labels", "text"),
    ("effect", "wk_effect", "wk_effect", "wan"),
    ("owner_name", "owner_name", "wk_attribution", "text"),
    ("team", "team", "wk_attribution", "text"),
    ("product", "product", "wk_attribution", "text"),
    ("status_a_name", "wk_status_a", None, "text"),
    ("status_b_name", "wk_status_b", None, "text"),
    ("stage_a_name", "wk_stage_a", None, "text"),
    ("stage_b_name", "wk_stage_b", None, "text"),
    ("value_a", "wk_value_a", None, "wan"),
    ("value_b", "wk_value_b", None, "wan"),
    ("close_a", "wk_close_a", None, "date"),
    ("close_b", "wk_close_b", None, "date"),
    ("class_a_name", "wk_class_a", "opportunity_class", "text"),
    ("class_b_name", "wk_class_b", "opportunity_class", "text"),
    ("owner_a", "wk_owner_a", None, "text"),
    ("owner_b", "wk_owner_b", None, "text"),
]
KEY_COLUMNS: list[Column] = [
    ("flag", "wk_highlighted", "wk_key_deals", "text"),
    ("opportunity_id", "opportunity_id", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("label_names", "wk_labels", "wk_labels", "text"),
    ("owner_name", "owner_name", None, "text"),
    ("status_a_name", "wk_status_a", None, "text"),
    ("status_b_name", "wk_status_b", None, "text"),
    ("stage_a_name", "wk_stage_a", None, "text"),
    ("stage_b_name", "wk_stage_b", None, "text"),
    ("value_a", "wk_value_a", None, "wan"),
    ("value_b", "wk_value_b", None, "wan"),
    ("close_a", "wk_close_a", None, "date"),
    ("close_b", "wk_close_b", None, "date"),
    ("slip_count", "slip_count", "slip_count", "int"),
    ("last_activity_date", "wk_last_activity", None, "date"),
    ("support_open", "wl_support_open", "wl_support_open", "int"),
]
REMOVED_COLUMNS: list[Column] = [
    ("opportunity_id", "opportunity_id", None, "text"),
    ("name", "name", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("owner_name", "owner_name", None, "text"),
    ("team", "team", None, "text"),
    ("status_a_name", "wk_status_a", None, "text"),
    ("stage_a_name", "wk_stage_a", None, "text"),
    ("value_a", "wk_value_a", None, "wan"),
    ("close_a", "wk_close_a", None, "date"),
    ("last_activity_date", "wk_last_activity", None, "date"),
]
GROUP_KEYS: dict[str, list[Column]] = {
    "team": [("branch", "branch", None, "text"), ("team", "team", None, "text")],
    "owner": [("owner_name", "owner_name", None, "text"), ("owner_id", "wk_owner_b", None, "text")],
    "product": [("product", "product", None, "text")],
}


def part_name(part: str) -> str:
    return t(f"wk_part_{part}")


def joined(codes: str, prefix: str) -> str:
    """'advanced,slipped' → '推进、延期' (each code's label, in the viewer's language)."""
    sep = "、" if language() == "zh" else ", "
    return sep.join(t(f"{prefix}{code}") for code in codes.split(",") if code)


def label_names(labels: pd.Series) -> pd.Series:
    """Movement label codes → their names."""
    return labels.fillna("").map(lambda text: joined(text, "wk_label_"))


def pick_snapshots(held: list[date]) -> tuple[date | None, date | None]:
    """Snapshot B and A pickers over the snapshots held, newest first; None = the default."""
    newest_first = sorted(held, reverse=True)
    left, right = st.columns(2)
    b = left.selectbox(
        t("wk_snapshot_b"), [None, *newest_first], format_func=_date_or_default, key="wk_snapshot_b",
        help=h("wk_pair"),
    )  # fmt: skip
    a = right.selectbox(
        t("wk_snapshot_a"), [None, *newest_first], format_func=_date_or_default, key="wk_snapshot_a",
        help=h("wk_pair"),
    )  # fmt: skip
    return b, a


def _date_or_default(day: date | None) -> str:
    return t("wk_default") if day is None else day.isoformat()


def pair_caption(pair: SnapshotPair) -> None:
    st.caption(t("wk_pair").format(a=pair.a, b=pair.b, days=(pair.b - pair.a).days))


def headline(moved: Movement) -> None:
    """Open value at A and B, the net change and how many deals moved."""
    fall = moved.waterfall
    cols = st.columns(4)
    metric(cols[0], "wk_start_value", f"{fen_to_wan(fall.fen['start']):,.1f}", "wk_waterfall")
    metric(cols[1], "wk_end_value", f"{fen_to_wan(fall.fen['end']):,.1f}", "wk_waterfall")
    metric(
        cols[2], "wk_change_value", f"{fen_to_wan(fall.fen['end'] - fall.fen['start']):+,.1f}", "wk_waterfall"
    )
    metric(cols[3], "wk_labelled", count(moved.labelled), "wk_labels")


def show_waterfall(moved: Movement) -> None:
    """The waterfall in value or count; clicking a bar chooses it in the bar selector."""
    measure = st.radio(
        t("wk_measure"), ["value", "count"], format_func=lambda m: t(f"wk_measure_{m}"), horizontal=True,
        key="wk_measure", help=h("wk_waterfall"),
    )  # fmt: skip
    names = {p: part_name(p) for p in WATERFALL_PARTS}

    def on_click() -> None:
        points = st.session_state["wk_waterfall_chart"].selection.get("points", [])
        index = points[0].get("point_index", points[0].get("point_number")) if points else None
        if index is not None and 0 <= int(index) < len(WATERFALL_PARTS):
            st.session_state["wk_part"] = WATERFALL_PARTS[int(index)]

    st.plotly_chart(
        waterfall_figure(moved.waterfall, measure, names, t("wk_waterfall")),
        key="wk_waterfall_chart",
        on_select=on_click,
        selection_mode="points",
    )
    counts = pd.DataFrame(
        {"label": [t(f"wk_label_{k}") for k in LABELS], "n": [moved.counts[k] for k in LABELS]}
    )
    st.caption(t("wk_counts") + "：" + " · ".join(f"{r.label} {r.n:,}" for r in counts.itertuples()))


def choose_bar() -> str | None:
    """The waterfall bar whose deals to list (set by a click or chosen here)."""
    st.caption(t("wk_bar_hint"))
    return st.selectbox(
        t("wk_bar"), [None, *BAR_PARTS], format_func=lambda p: t("choose") if p is None else part_name(p),
        key="wk_part",
    )  # fmt: skip


def list_controls(prefix: str, with_label: bool = True) -> tuple[str | None, str, int, int]:
    """Movement list controls: label filter (optional), sort, rows per page, page (0-based)."""
    cols = st.columns(4)
    label = None
    if with_label:
        label = cols[0].selectbox(
            t("wk_filter_label"),
            [None, *LABELS],
            format_func=lambda k: t("wk_any_label") if k is None else t(f"wk_label_{k}"),
            key=f"{prefix}_label",
        )
    sort_by = cols[1].radio(
        t("wk_sort"),
        list(SORTS),
        format_func=lambda s: t(f"wk_sort_{s}"),
        horizontal=True,
        key=f"{prefix}_sort",
    )
    page_rows = cols[2].selectbox(t("wk_page_rows"), PAGE_SIZES, index=1, key=f"{prefix}_rows")
    page = cols[3].number_input(t("wk_page"), min_value=1, value=1, step=1, key=f"{prefix}_page")
    return label, sort_by, int(page_rows), int(page) - 1


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes named, fen in yuan (show_table shows 万元)."""
    out = frame.copy()
    out["label_names"] = label_names(out["labels"])
    for side in ("a", "b"):
        out[f"value_{side}"] = out[f"value_{side}_fen"].astype("Float64") / 100
        out[f"status_{side}_name"] = code_names(out[f"status_{side}"], "status").where(
            out[f"status_{side}"].notna(), "—"
        )
        if f"stage_{side}" in out:  # a stage 0-5 as text, so a side without one reads — (not None)
            stage = out[f"stage_{side}"]
            out[f"stage_{side}_name"] = stage.map(lambda v: "—" if pd.isna(v) else str(int(v)))
        if f"class_{side}" in out:
            out[f"class_{side}_name"] = code_names(out[f"class_{side}"], "class").where(
                out[f"class_{side}"].notna(), "—"
            )
    if "pipeline_effect_fen" in out:
        out["effect"] = out["pipeline_effect_fen"].astype("Float64") / 100
    return out


def show_movements(frame: pd.DataFrame, total: int, page_rows: int, page: int, key: str) -> None:
    """One page of movements (or a sentence when there is none)."""
    if frame.empty:
        st.info(t("wk_nothing_moved"))
        return
    first = page * page_rows + 1
    st.caption(t("wk_rows").format(n=f"{total:,}", first=f"{first:,}", last=f"{first + len(frame) - 1:,}"))
    show_table(_shown(frame), MOVEMENT_COLUMNS, key=key)


def show_groups(moved: Movement) -> None:
    """The waterfall and label counts per team, owner and product, one tab each."""
    st.subheader(t("wk_groups"))
    value_columns: list[Column] = [
        (f"{p}_value", f"wk_part_{p}", "wk_waterfall", "wan") for p in WATERFALL_PARTS
    ] + [(f"label_{k}", f"wk_label_{k}", "wk_labels", "int") for k in LABELS]
    tabs = st.tabs([t("wk_by_team"), t("wk_by_owner"), t("wk_by_product")])
    for tab, (grouping, frame) in zip(
        tabs, (("team", moved.by_team), ("owner", moved.by_owner), ("product", moved.by_product)), strict=True
    ):
        with tab:
            shown = frame.assign(**{f"{p}_value": frame[f"{p}_fen"] / 100 for p in WATERFALL_PARTS})
            show_table(shown, GROUP_KEYS[grouping] + value_columns, key=f"wk_group_{grouping}")


def key_deal_controls() -> tuple[int, int]:
    """The key deals' heading and paging: rows per page and page (0-based)."""
    st.subheader(t("wk_key_deals"), help=h("wk_key_deals"))
    cols = st.columns(4)
    page_rows = cols[2].selectbox(t("wk_page_rows"), PAGE_SIZES, index=1, key="wk_key_rows")
    page = cols[3].number_input(t("wk_page"), min_value=1, value=1, step=1, key="wk_key_page")
    return int(page_rows), int(page) - 1


def show_key_deals(frame: pd.DataFrame, page_rows: int, page: int) -> None:
    """One page of key deals, slipped or regressed first (marked ⚠)."""
    if frame.empty:
        st.info(t("wk_no_key_deals"))
        return
    st.caption(t("wk_key_highlight"))
    first = page * page_rows + 1
    total = int(frame["key_deals"].iloc[0])
    st.caption(t("wk_rows").format(n=f"{total:,}", first=f"{first:,}", last=f"{first + len(frame) - 1:,}"))
    shown = _shown(frame.assign(class_a=None, class_b=None))
    shown["flag"] = frame["highlighted"].map(lambda flagged: "⚠" if flagged else "")
    show_table(shown, KEY_COLUMNS, key="wk_key_table")


def show_removed(frame: pd.DataFrame | None) -> None:
    """Open deals missing from B's export, with their last known state (a data question)."""
    st.subheader(t("wk_removed"), help=h("wk_removed"))
    if frame is None or frame.empty:
        st.success(t("wk_no_removed"))
        return
    show_table(_shown(frame), REMOVED_COLUMNS, key="wk_removed_table")


def trend_wanted() -> bool:
    """The trend's heading and its switch (it compares every pair of snapshots held)."""
    st.subheader(t("wk_trend"), help=h("wk_trend"))
    return st.toggle(t("wk_show_trend"), value=False, key="wk_show_trend")


def show_trend(trend: pd.DataFrame) -> None:
    """Open pipeline and movements per week over every snapshot held, with the numbers."""
    if trend.empty:
        st.info(t("wk_no_trend"))
        return
    moves = {
        f"label_{k}": t(f"wk_label_{k}") for k in ("new", "won", "lost", "slipped", "regressed", "removed")
    }
    st.plotly_chart(trend_figure(trend, t("wk_trend_open"), moves, t("wk_trend")), key="wk_trend_chart")
    numbers: list[Column] = [
        ("snapshot_a", "wk_snapshot_a", None, "date"),
        ("snapshot_b", "wk_snapshot_b", None, "date"),
        ("start_count", "wk_part_start", "wk_trend", "int"),
        ("start_value", "wk_start_value", "wk_trend", "wan"),
        ("end_count", "wk_part_end", "wk_trend", "int"),
        ("end_value", "wk_end_value", "wk_trend", "wan"),
    ] + [(f"label_{k}", f"wk_label_{k}", "wk_labels", "int") for k in LABELS]
    with st.expander(t("wk_trend_numbers")):
        shown = trend.assign(start_value=trend["start_fen"] / 100, end_value=trend["end_fen"] / 100)
        show_table(shown, numbers, key="wk_trend_table")


def show_bridge(bridge: ForecastBridge) -> None:
    """The year-end forecast frozen at A and at B (or, where none covers the scope, the open
    pipeline's expected revenue), the bridge between them and the deals that moved it most."""
    frozen = bridge.basis == "frozen"
    st.subheader(t("wk_bridge"), help=h("wk_bridge" if frozen else "wk_bridge_pipeline"))
    if not bridge.available:
        st.info(t("wk_bridge_na"))
        return
    if not frozen:
        st.caption(t("wk_bridge_pipeline_note"))
    prefix = "wk_bridge_" if frozen else "wk_bridge_pipeline_"
    help_key = "wk_bridge" if frozen else "wk_bridge_pipeline"
    cols = st.columns(3)
    metric(cols[0], f"{prefix}a", f"{fen_to_wan(bridge.expected_a_fen):,.1f}", help_key)
    metric(cols[1], f"{prefix}b", f"{fen_to_wan(bridge.expected_b_fen):,.1f}", help_key)
    if bridge.p50_a is not None and bridge.p50_b is not None:
        metric(cols[2], "wk_bridge_p50", f"{wan(bridge.p50_a)} → {wan(bridge.p50_b)}", "fc_p50")
    parts = BRIDGE_PARTS if frozen else tuple(p for p in BRIDGE_PARTS if p != "booked")
    names = {p: t(f"wk_bridge_part_{p}") for p in parts}
    names |= {p: t(f"{prefix}part_{p}") for p in ("start", "end")}
    st.plotly_chart(bridge_figure(bridge, parts, names, t("wk_bridge")), key="wk_bridge_chart")
    st.caption(t("wk_movers"))
    movers = bridge.movers.assign(
        why=bridge.movers["parts"].map(lambda parts: joined(parts, "wk_bridge_part_"))
    )
    show_table(
        movers,
        [
            ("opportunity_id", "opportunity_id", None, "text"),
            ("customer_name", "customer_name", None, "text"),
            ("owner_name", "owner_name", None, "text"),
            ("amount", "wk_mover_amount", "wk_bridge", "wan"),
            ("why", "wk_mover_parts", "wk_bridge", "text"),
        ],
        key="wk_movers_table",
    )
