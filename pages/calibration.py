"""预测校准 — how good are the win probabilities and the frozen forecasts? Shown, not assumed."""

from __future__ import annotations

import streamlit as st

from analytics.pages import PAGE_CALLS
from ui import data
from ui.charts_forecast import frozen_history_chart, reliability_chart
from ui.filters import sidebar_filters
from ui.format import count, pct
from ui.i18n import t
from ui.session import page_viewer
from ui.tables import show_table
from ui.widgets import freshness_caption, metric

calls = PAGE_CALLS["calibration"]

viewer = page_viewer()
filters, as_of = sidebar_filters(viewer.scope)
ctx = data.make_context(viewer.scope, filters, as_of)

st.title(t("page_calibration"))
st.caption(f"{t('scope_caption')}: {viewer.scope.label} · {t('as_of')}: {as_of}")
freshness_caption(data.compute(calls.data_freshness, ctx))

result = data.compute(calls.calibration, ctx)
summary = result["summary"]
cols = st.columns(5)
metric(cols[0], "cal_brier", f"{summary['brier_score']:.4f}" if summary["predictions"] else "—", "cal_brier")
metric(
    cols[1],
    "cal_baseline",
    f"{summary['brier_baseline']:.4f}" if summary["predictions"] else "—",
    "cal_baseline",
)
metric(cols[2], "cal_skill", pct(summary["brier_skill"]), "cal_skill")
metric(cols[3], "cal_predictions", count(summary["predictions"]), "cal_brier")
metric(cols[4], "cal_dates", count(summary["backtest_dates"]), "cal_brier")

if not summary["predictions"]:
    st.info(t("cal_no_backtest"))
else:
    st.caption(t("cal_selection_note"))
    reliability = result["reliability"].assign(
        model_name=lambda f: f["model"].map(lambda m: t(f"cal_model_{m}")),
        bucket_name=lambda f: f["bucket"].map(lambda b: t("cal_bucket_all") if b == "all" else b),
    )
    labels = {
        "calibrated": t("cal_model_calibrated"),
        "stage_only": t("cal_model_stage_only"),
        "perfect": t("cal_perfect"),
        "predicted": t("cal_predicted"),
        "observed": t("cal_observed"),
    }
    left, right = st.columns(2)
    left.plotly_chart(
        reliability_chart(reliability, labels, t("cal_reliability")), key="cal_reliability_chart"
    )
    with right:
        st.markdown(f"**{t('cal_reliability_table')}**")
        show_table(
            reliability,
            [
                ("model_name", "cal_model", None, "text"),
                ("bucket_name", "cal_bucket", None, "text"),
                ("predictions", "cal_predictions", None, "int"),
                ("predicted", "cal_predicted", "fc_p_win", "pct"),
                ("observed", "cal_observed", None, "pct"),
                ("observed_low", "cal_observed_low", "cal_observed_interval", "pct"),
                ("observed_high", "cal_observed_high", "cal_observed_interval", "pct"),
                ("brier_score", "cal_brier", "cal_brier", "num"),
            ],
            key="cal_reliability_table",
        )
        if summary["curve_within"] is not None:  # the curve judged as a whole (calibration.curve_verdict)
            verdict = "cal_curve_within" if summary["curve_within"] else "cal_curve_outside"
            buckets, outside = summary["curve_buckets"], "、".join(summary["curve_outside"])
            st.caption(t(verdict).format(buckets=buckets, outside=outside))
    st.subheader(t("cal_by_date"))
    show_table(
        result["by_date"],
        [
            ("as_of_date", "cal_as_of_date", None, "text"),
            ("predictions", "cal_predictions", None, "int"),
            ("expected_wins", "cal_expected_wins", "fc_p_win", "dec"),
            ("wins", "cal_wins", None, "int"),
            ("brier_score", "cal_brier", "cal_brier", "num"),
            ("brier_baseline", "cal_baseline", "cal_baseline", "num"),
        ],
        key="cal_by_date_table",
    )

st.subheader(t("cal_frozen"))
frozen = result["frozen_summary"]
if not result["frozen_in_scope"]:
    st.info(t("cal_frozen_scope"))
    st.stop()
cols = st.columns(4)
metric(cols[0], "cal_frozen_scored", count(frozen["scored"]), "cal_coverage")
metric(cols[1], "cal_mape", pct(frozen["mape"]), "cal_mape")
metric(cols[2], "cal_bias", pct(frozen["bias"]), "cal_bias")
metric(cols[3], "cal_coverage", pct(frozen["coverage"]), "cal_coverage")
company = result["frozen_company_summary"]
if company["scored"]:  # the company total's own band (lines summed run by run)
    cols = st.columns(4)
    metric(cols[0], "cal_company_scored", count(company["scored"]), "cal_company_coverage")
    metric(cols[1], "cal_mape", pct(company["mape"]), "cal_mape")
    metric(cols[2], "cal_bias", pct(company["bias"]), "cal_bias")
    metric(cols[3], "cal_company_coverage", pct(company["coverage"]), "cal_company_coverage")
elif not result["frozen_company_in_scope"]:
    st.caption(t("cal_company_none"))
st.subheader(t("cal_by_horizon"))
st.caption(t("cal_by_horizon_note"))
by_horizon = result["frozen_by_horizon"]
if by_horizon.empty:
    st.info(t("cal_horizon_none"))
else:
    show_table(
        by_horizon.assign(
            horizon_name=lambda f: f["horizon"].map(lambda h: t(f"fc_horizon_{h}")),
            level_name=lambda f: f["level"].map(lambda level: t(f"cal_level_{level}")),
        ),
        [
            ("horizon_name", "fc_horizon", "fc_horizon", "text"),
            ("level_name", "cal_level", None, "text"),
            ("rows", "cal_horizon_rows", None, "int"),
            ("effective", "cal_effective", "cal_effective", "dec"),
            ("coverage", "cal_coverage", "cal_coverage", "pct"),
            ("low", "cal_coverage_low", "cal_effective", "pct"),
            ("high", "cal_coverage_high", "cal_effective", "pct"),
            ("mape", "cal_p50_mape", "cal_p50_mape", "pct"),
            ("bias", "cal_p50_bias", "cal_p50_bias", "signed_pct"),
            *[
                (f"{name}_{score}", f"cal_{name}_{score}", f"cal_{name}_{score}", kind)
                for name in ("naive_pipeline", "naive_last_year")
                for score, kind in (("mape", "pct"), ("bias", "signed_pct"))
            ],
        ],
        key="cal_horizon_table",
    )
history = result["frozen_history"]
if not history.empty:
    today = data.compute(calls.year_end_expected, ctx)
    history_labels = {"frozen": t("cal_expected"), "today": t("fc_forecast_expected")}
    st.plotly_chart(
        frozen_history_chart(history, today, history_labels, t("cal_history")), key="cal_history_chart"
    )
if not frozen["scored"]:
    st.info(t("cal_no_frozen"))
else:
    show_table(
        result["frozen_by_snapshot"],
        [
            ("snapshot_date", "cal_snapshot_date", None, "text"),
            ("month", "cal_month", None, "int"),
            ("lines", "cal_lines", None, "int"),
            ("expected", "cal_expected", None, "wan"),
            ("actual", "cal_actual", None, "wan"),
            ("error", "cal_error", "cal_bias", "wan"),
            ("bias", "cal_bias", "cal_bias", "signed_pct"),
            ("coverage", "cal_coverage", "cal_coverage", "pct"),
        ],
        key="cal_frozen_table",
    )
    st.subheader(t("cal_by_lead"))
    st.caption(t("cal_lead_note"))
    show_table(
        result["frozen_by_lead"],
        [
            ("months_ahead", "cal_lead_months", "cal_lead_months", "int"),
            ("lines_scored", "cal_frozen_scored", None, "int"),
            ("lines_coverage", "cal_coverage", "cal_coverage", "pct"),
            ("company_scored", "cal_company_scored", None, "int"),
            ("company_coverage", "cal_company_coverage", "cal_company_coverage", "pct"),
        ],
        key="cal_lead_table",
    )
