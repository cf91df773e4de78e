"""收入预测 — revenue forecast: the year-end (parts, band, gap, new pipeline needed, drivers) or a
forward window (next quarter, next 12 months, next year: ui/forecast_horizon.py)."""

from __future__ import annotations

import streamlit as st

from analytics.forecast.horizons import HORIZONS
from analytics.pages import PAGE_CALLS
from analytics.scope import FILTER_COLUMNS
from ui import data
from ui.budget_basis import basis_of, budget_basis_note, budget_label
from ui.charts_forecast import forecast_fan, forecast_stack, sensitivity_steps
from ui.filters import sidebar_filters
from ui.forecast_horizon import horizon_selector, show_window
from ui.forecast_tables import backtest_warnings, band_note
from ui.format import pct, wan
from ui.i18n import t
from ui.session import page_viewer
from ui.tables import show_table
from ui.widgets import freshness_caption, metric

calls = PAGE_CALLS["forecast"]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)

st.title(t("page_forecast"))
st.caption(f"{t('scope_caption')}: {viewer.scope.label} · {t('as_of')}: {as_of}")
freshness_caption(data.compute(calls.data_freshness, ctx))

lead = data.compute(calls.lead_horizon, ctx)
horizon = horizon_selector(HORIZONS, lead)
if horizon != "year_end":
    show_window(data.compute(calls.window_forecast, ctx, horizon), lead)
    st.stop()

result = data.compute(calls.year_end_forecast, ctx)
overall, basis, sim = result["overall"], result["basis"], result["simulation"]
through = result["data_through"]
st.info(t("att_through_note").format(period=through, as_of=as_of) if through else t("att_no_revenue"))
if result["ignored_filters"]:
    st.caption(t("att_revenue_filters") + "、".join(t(FILTER_COLUMNS[n]) for n in result["ignored_filters"]))
if not overall["forecast_expected"] and not overall["budget_annual"]:
    st.info(t("empty_filter"))
    st.stop()

cols = st.columns(4)
metric(cols[0], "fc_forecast_expected", wan(overall["forecast_expected"]), "fc_forecast_expected")
metric(cols[1], "fc_actual_ytd", wan(overall["actual_ytd"]), "actual_ytd")
metric(cols[2], "fc_run_rate", wan(overall["run_rate"]), "fc_run_rate")
metric(cols[3], "fc_pipeline_expected", wan(overall["pipeline_expected"]), "fc_pipeline_expected")
cols = st.columns(3)
budget_key = "fc_budget_annual" if basis_of(overall) == "budget" else budget_label(overall)
metric(cols[0], budget_key, wan(overall["budget_annual"]), "budget_annual")
metric(cols[1], "fc_gap", wan(overall["gap"]), "fc_gap")
metric(cols[2], "fc_new_pipeline_needed", wan(overall["new_pipeline_needed"]), "fc_new_pipeline_needed")
cols = st.columns(3)  # the band as three whole figures: never cut off
metric(cols[0], "fc_p10", wan(overall["p10"]), "fc_band")
metric(cols[1], "fc_p50", wan(overall["p50"]), "fc_p50")
metric(cols[2], "fc_p90", wan(overall["p90"]), "fc_band")
if overall["expected_vs_band"] != "inside":
    st.caption(t(f"fc_expected_{overall['expected_vs_band']}_band"))
for warning in backtest_warnings(result["backtest"]):
    st.warning(warning)
if basis_of(overall) != "budget":
    budget_basis_note(overall)

note = basis["note"]
if note == "needed":
    st.caption(
        t("fc_needed_note").format(
            rate=pct(basis["stage1_win_rate"]),
            days=basis["median_cycle_days"],
            close=basis["new_deal_close_date"],
            months=basis["new_deal_months"],
        )
    )
elif note == "too_late":
    st.warning(t("fc_too_late").format(days=basis["median_cycle_days"], close=basis["new_deal_close_date"]))
else:
    {"no_gap": st.success, "no_history": st.warning, "no_budget": st.caption}[note](t(f"fc_{note}"))
st.caption(band_note(sim, mean=wan(sim["simulated_mean"]), share=pct(sim["exact_variance_share"])))

parts = {
    "actual": t("fc_part_actual"),
    "run_rate": t("fc_part_run_rate"),
    "pipeline": t("fc_part_pipeline"),
    "budget": t("fc_budget_marker"),
}
left, right = st.columns(2)
with left:
    group = st.radio(
        t("fc_by"),
        ["product", "branch"],
        format_func=lambda c: t(f"att_level_{c}"),
        horizontal=True,
        key="fc_by",
    )
    levels = result["levels"]
    st.plotly_chart(
        forecast_stack(levels[levels["level"] == group], group, parts, t("fc_stack")), key="fc_stack"
    )
with right:
    fan_labels = {
        "band": t("fc_band_label"),
        "p50": t("fc_p50_line"),
        "expected": t("fc_expected_line"),
        "budget": t("att_budget_cumulative"),
        "actual": t("att_actual_cumulative"),
        "month": t("att_month"),
    }
    st.plotly_chart(forecast_fan(result["months"], fan_labels, t("fc_fan")), key="fc_fan")

st.subheader(t("fc_levels"))
show_table(
    levels[levels["level"] == group],
    [
        (group, group, None, "text"),
        ("actual_ytd", "fc_actual_ytd", "actual_ytd", "wan"),
        ("run_rate", "fc_run_rate", "fc_run_rate", "wan"),
        ("pipeline_expected", "fc_pipeline_expected", "fc_pipeline_expected", "wan"),
        ("forecast_expected", "fc_forecast_expected", "fc_forecast_expected", "wan"),
        ("budget_annual", budget_key, "budget_annual", "wan"),
        ("gap", "fc_gap", "fc_gap", "wan"),
        ("p10", "fc_p10", "fc_band", "wan"),
        ("p90", "fc_p90", "fc_band", "wan"),
        ("new_pipeline_needed", "fc_new_pipeline_needed", "fc_new_pipeline_needed", "wan"),
    ],
    key="fc_levels_table",
)

deal_columns = [
    ("opportunity_id", "opportunity_id", None, "text"),
    ("customer_name", "customer_name", None, "text"),
    ("owner_name", "owner_name", None, "text"),
    ("stage", "stage", None, "int"),
    ("annual_value", "annual_value", None, "wan"),
    ("expected_close_date", "expected_close_date", None, "text"),
    ("p_win", "fc_p_win", "fc_p_win", "pct"),
    ("months_this_year", "fc_months_this_year", "fc_pipeline_expected", "int"),
    ("expected_revenue", "fc_expected_revenue", "fc_expected_revenue", "wan"),
]
st.subheader(t("fc_contributors"))
if result["contributors"].empty:
    st.info(t("fc_no_pipeline"))
else:
    show_table(
        result["contributors"], [*deal_columns, ("share_of_pipeline", "fc_share", None, "pct")], key="fc_top"
    )

st.subheader(t("fc_sensitivity"))
steps = result["sensitivity"]
if steps.empty:
    st.info(t("fc_no_key"))
else:
    step_labels = {
        "forecast": t("fc_forecast_if_lost"),
        "budget": t("fc_budget_marker"),
        "deals_lost": t("fc_deals_lost"),
    }
    st.plotly_chart(
        sensitivity_steps(
            steps,
            overall["forecast_expected"],
            overall["budget_annual"],
            step_labels,
            t("fc_sensitivity_chart"),
        ),
        key="fc_sensitivity_chart",
    )
    show_table(
        steps,
        [
            ("deals_lost", "fc_deals_lost", None, "int"),
            *deal_columns,
            ("forecast_if_lost", "fc_forecast_if_lost", "fc_forecast_if_lost", "wan"),
            ("gap_if_lost", "fc_gap_if_lost", "fc_gap", "wan"),
        ],
        key="fc_sensitivity_table",
    )
