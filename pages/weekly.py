"""周例会 — the weekly sales review: what moved from snapshot A to snapshot B, adding up to the cent.

The open-pipeline waterfall (each bar opens its deals), the movement table
(paged in the warehouse), by team / owner / product, key deals one by one,
deals removed from the export while open, why the forecast moved, and the trend over every snapshot
(metrics.md, Week-over-week movement).
"""

from __future__ import annotations

import streamlit as st

from analytics.pages import PAGE_CALLS
from ui import data
from ui.filters import sidebar_filters
from ui.i18n import h, t
from ui.pack_button import pack_button
from ui.session import page_viewer
from ui.weekly_view import (
    choose_bar,
    headline,
    key_deal_controls,
    list_controls,
    pair_caption,
    pick_snapshots,
    show_bridge,
    show_groups,
    show_key_deals,
    show_movements,
    show_removed,
    show_trend,
    show_waterfall,
    trend_wanted,
)
from ui.widgets import freshness_caption

calls = PAGE_CALLS["weekly"]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)

st.title(t("page_weekly"))
st.caption(f"{t('scope_caption')}: {viewer.scope.label} · {t('as_of')}: {as_of}")
freshness_caption(data.compute(calls.data_freshness, ctx))
pack_button(viewer, ctx)  # 下载会议材料 (issue 18)

snapshot_b, snapshot_a = pick_snapshots(data.compute(calls.snapshots_held, ctx))
pair = data.compute(calls.pair_or_none, ctx, snapshot_b, snapshot_a)
if pair is None:
    st.info(t("wk_no_pair"))
    st.stop()
pair_caption(pair)

moved = data.compute(calls.movement, ctx, pair)
headline(moved)
show_waterfall(moved)

part = choose_bar()
if part is not None:
    _, bar_sort, bar_rows, bar_page = list_controls("wk_bar", with_label=False)
    bar = data.compute(calls.movement_list, ctx, pair, None, part, bar_sort, bar_rows, bar_page)
    show_movements(bar, moved.waterfall.bar_count(part), bar_rows, bar_page, key="wk_bar_table")

st.subheader(t("wk_table"), help=h("wk_labels"))
label, sort_by, page_rows, page = list_controls("wk_table")
rows = data.compute(calls.movement_list, ctx, pair, label, None, sort_by, page_rows, page)
show_movements(rows, moved.counts[label] if label else moved.labelled, page_rows, page, key="wk_table_list")

show_groups(moved)
key_rows, key_page = key_deal_controls()
show_key_deals(data.compute(calls.movement_key_deals, ctx, pair, key_rows, key_page), key_rows, key_page)
removed = moved.counts["removed"]
show_removed(
    data.compute(calls.movement_list, ctx, pair, "removed", None, "value", removed, 0) if removed else None
)
bridge = data.compute(calls.forecast_change, ctx, pair)
if not bridge.available:  # no frozen forecast covers a team or an owner: their pipeline's part
    bridge = data.compute(calls.pipeline_change, ctx, pair)
show_bridge(bridge)
if trend_wanted():  # every pair of snapshots held: costly at scale, so on demand
    show_trend(data.compute(calls.movement_trend, ctx))
