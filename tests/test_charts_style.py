"""Every Plotly figure in ui/ goes through ui/chart_style.py (issue 17 item 8).

Each builder is fed a small frame shaped as its analytics function returns it,
and the figure is checked for what a reader relies on: numeric axes titled
with a unit and never ticked in SI 'k'; time axes in time order; series
colours that stay apart (colour-blind readers too); small samples muted with
their count; bar labels that may draw past the plot area instead of being cut;
a legend above the plot, out of the axis titles' way; gauge labels inside.
"""

from __future__ import annotations

import itertools
import math
from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics.metrics.movement import WATERFALL_PARTS, Waterfall
from ui import chart_style
from ui.catalogue import label
from ui.chart_style import MUTED, PALETTE
from ui.charts import attainment_bars
from ui.charts_forecast import (
    attainment_bullets,
    attainment_gauge,
    cumulative_vs_budget,
    forecast_fan,
    forecast_stack,
    frozen_history_chart,
    reliability_chart,
    sensitivity_steps,
)
from ui.charts_funnel import (
    conversion_heatmap,
    durations_figure,
    funnel_figure,
    process_figure,
    story_stage_figure,
)
from ui.charts_funnel import trend_figure as durations_trend
from ui.charts_weekly import bridge_figure, waterfall_figure
from ui.charts_weekly import trend_figure as weekly_trend
from ui.charts_workload import effort_result_scatter, target_bars

PRODUCTS = [
    "数据专线",
    "ICT集成",
    "综合VPN",
    "互联网专线",
    "企业总机",
    "精品智能组网",
    "短信群发",
    "IPTV",
    "号百信息",
]
UNITS = ("万元", "%", "天", "个", "次", "次/周", "月")  # 月份: a month axis counts months


def _labels(*keys: str) -> dict[str, str]:
    return {key: f"标签{key}" for key in keys}


def _levels() -> pd.DataFrame:
    n = len(PRODUCTS)
    actual = [5_700_000.0 - 500_000 * i for i in range(n)]
    return pd.DataFrame(
        {
            "product": PRODUCTS,
            "attainment": [0.96 - 0.02 * i for i in range(n)],
            "actual_ytd": actual,
            "run_rate": [900_000.0] * n,
            "pipeline_expected": [20_000.0] * n,
            "forecast_expected": [a + 920_000.0 for a in actual],
            "budget_annual": [a * 1.1 for a in actual],
        }
    )


def _months() -> pd.DataFrame:
    months = list(range(1, 13))
    actual = [2_500_000.0 * m if m <= 10 else None for m in months]
    return pd.DataFrame(
        {
            "month": months,
            "budget": [2_600_000.0] * 12,
            "actual": [2_500_000.0 if m <= 10 else None for m in months],
            "budget_cumulative": [2_600_000.0 * m for m in months],
            "actual_cumulative": actual,
            "p10": [None] * 10 + [27_000_000.0, 29_000_000.0],
            "p50": [None] * 10 + [27_500_000.0, 30_000_000.0],
            "p90": [None] * 10 + [28_000_000.0, 31_000_000.0],
            "expected_cumulative": [None] * 10 + [27_500_000.0, 30_100_000.0],
        }
    )


def durations_trend_frame() -> pd.DataFrame:
    """Stage 1 ends stints from 202511 on, stage 0 only from 202603: the order traces meet months
    in is not time order (the account manager's zig-zag)."""
    rows = [
        (202603, 0, 3),
        (202605, 0, 25),
        (202511, 1, 30),
        (202512, 1, 4),
        (202604, 1, 22),
        (202602, 1, 21),
    ]
    return pd.DataFrame(
        {
            "period": [p for p, _, _ in rows],
            "stage": [s for _, s, _ in rows],
            "ended_stints": [n for _, _, n in rows],
            "median_days": [10.0, 12.0, 20.0, 30.0, 18.0, 25.0],
            "p90_days": [30.0, 35.0, 40.0, 50.0, 44.0, 48.0],
        }
    )


def heatmap_cells() -> pd.DataFrame:
    """Two segments × five steps; 号百信息 reaches stage 3 and 4 with 3 and 0 deals."""
    rows = []
    for segment, reached in (("综合VPN", [97, 90, 70, 50, 30]), ("号百信息", [40, 30, 21, 3, 0])):
        for stage, n in enumerate(reached):
            after = reached[stage + 1] if stage < 4 else 0
            rows.append(
                {
                    "segment_name": segment,
                    "stage": stage,
                    "reached": n,
                    "conversion": after / n if n else None,
                    "weakest_step": stage == 3,
                }
            )
    frame = pd.DataFrame(rows)
    frame.loc[(frame["segment_name"] == "号百信息") & (frame["stage"] == 3), "conversion"] = 0.0
    return frame


def _workload() -> pd.DataFrame:
    n = 6
    return pd.DataFrame(
        {
            "owner_id": [f"U{i}" for i in range(n)],
            "owner_name": [f"经理{i}" for i in range(n)],
            "branch": ["浦东", "浦东", "静安", "静安", "嘉定", "嘉定"],
            "team": ["金融一组", "金融一组", "金融一组", "政企二组", "制造一组", "制造一组"],
            "activities_per_week": [1.0, 2.5, 4.0, 6.0, 12.0, 15.5],
            "win_rate_adjusted": [0.3, 0.35, 0.5, 0.4, 0.38, 0.31],
            "win_rate_low": [0.2, 0.25, 0.4, 0.3, 0.28, 0.21],
            "win_rate_high": [0.4, 0.45, 0.6, 0.5, 0.48, 0.41],
            "open_value": [100_000.0, 300_000.0, 0.0, 50_000.0, 900_000.0, 400_000.0],
            "too_few_deals": [False, True, False, False, False, True],
            "won_value_ytd": [1_000_000.0, 2_000_000.0, 500_000.0, 0.0, 3_000_000.0, 800_000.0],
            "pipeline_expected": [200_000.0, 100_000.0, 50_000.0, 10_000.0, 400_000.0, 0.0],
            "target": [3_000_000.0, 2_000_000.0, 1_000_000.0, 500_000.0, 2_500_000.0, 1_000_000.0],
            "coverage": [0.4, 1.05, 0.55, 0.02, 1.36, 0.8],
            "expected_attainment": [0.4, 1.05, 0.55, 0.02, 1.36, 0.8],
        }
    )


def figures() -> dict[str, go.Figure]:
    """Every builder of ui/, on frames shaped as analytics returns them."""
    levels = _levels()
    stages = pd.DataFrame(
        {
            "reached": [533, 525, 405, 293, 162],
            "reached_value": [38_637_000.0, 38_328_000.0, 31_233_000.0, 26_056_000.0, 11_571_000.0],
            "conversion": [0.985, 0.771, 0.723, 0.553, 0.951],
        }
    )
    durations = pd.DataFrame(
        {
            "median_days": [13.0, 20.0, 20.0, 28.0, 10.0],
            "p90_days": [35.0, 40.4, 46.0, 60.0, 32.0],
            "stale_days": [35.0, 40.4, 46.0, 60.0, 32.0],
            "ended_stints": [59, 467, 342, 281, 7],
        }
    )
    stage_names = [f"{k} 阶段{k}" for k in range(5)]
    waterfall = Waterfall(
        counts={p: 10 + i for i, p in enumerate(WATERFALL_PARTS)},
        fen={p: 1_000_000_000 * (15 if p in ("start", "end") else 1) for p in WATERFALL_PARTS},
    )
    bridge = SimpleNamespace(
        expected_a_fen=3_266_000_000_00, expected_b_fen=3_270_000_000_00, parts_fen={"won": 4_000_000_00}
    )
    weekly = pd.DataFrame(
        {
            "snapshot_b": ["2026-11-20", "2026-09-25", "2026-10-30", "2026-11-13"],
            "end_fen": [14_098_000_00, 15_000_000_00, 15_300_000_00, 15_556_000_00],
            "label_new": [21, 5, 8, 13],
            "label_won": [9, 3, 4, 6],
        }
    )
    reliability = pd.DataFrame(
        {
            "model": ["calibrated", "calibrated", "stage_only", "stage_only", "calibrated"],
            "bucket": ["0-20%", "20-40%", "0-20%", "20-40%", "all"],
            "predicted": [0.1, 0.3, 0.12, 0.28, 0.2],
            "observed": [0.08, 0.33, 0.1, 0.3, 0.2],
            "predictions": [120, 40, 110, 50, 160],
        }
    )
    workload = _workload()
    return {
        "attainment_bars": attainment_bars(levels, "product", 0.833, "各分局预算完成率与时序进度"),
        "attainment_gauge": attainment_gauge(0.86, 0.833, "总体预算完成率（红线为至已导入帐期的时序进度）"),
        "attainment_bullets": attainment_bullets(levels, "product", 0.833, "预算完成率与时序进度（竖线）"),
        "cumulative_vs_budget": cumulative_vs_budget(
            _months(),
            _labels("budget_month", "actual_month", "budget_cumulative", "actual_cumulative")
            | {"month": "月份"},
            "按月累计收入与分月预算",
        ),
        "forecast_stack": forecast_stack(
            levels, "product", _labels("actual", "run_rate", "pipeline", "budget"), "年末预测构成与预算"
        ),
        "forecast_fan": forecast_fan(
            _months(),
            _labels("band", "p50", "expected", "budget", "actual") | {"month": "月份"},
            "按月累计收入：实际、预测与 P10–P90 区间",
        ),
        "sensitivity_steps": sensitivity_steps(
            pd.DataFrame({"deals_lost": [1, 2, 3], "forecast_if_lost": [31e6, 30e6, 29e6]}),
            32e6,
            31.5e6,
            _labels("forecast", "budget") | {"deals_lost": "丢失商机数"},
            "若丢失重点商机",
        ),
        "reliability_chart": reliability_chart(
            reliability,
            _labels("calibrated", "stage_only", "perfect")
            | {"predicted": "预测赢单率", "observed": "实际赢单率"},
            "校准",
        ),
        "frozen_history_chart": frozen_history_chart(
            pd.DataFrame(
                {
                    "snapshot_date": pd.to_datetime(["2026-11-20", "2026-11-06", "2026-11-13"]),
                    "expected": [32e6, 31e6, 31.5e6],
                }
            ),
            32.5e6,
            _labels("frozen", "today"),
            "各周冻结的年末预测（期望值）",
        ),
        "funnel_figure": funnel_figure(
            stages, [*stage_names, "赢单"], 154, 11_293_000.0, "各阶段到达数与赢单"
        ),
        "conversion_heatmap": conversion_heatmap(
            heatmap_cells(), ["综合VPN", "号百信息"], ["0→1", "1→2", "2→3", "3→4", "4→赢单"], "各阶段转化率"
        ),
        "durations_figure": durations_figure(
            durations,
            stage_names,
            {"median": "中位天数", "p90": "P90天数", "threshold": "停滞阈值（天）"},
            "各阶段停留天数（中位数 / P90）与停滞阈值",
        ),
        "durations_trend": durations_trend(
            durations_trend_frame(), "median_days", dict(enumerate(stage_names)), "按月变化：流程是否在加快？"
        ),
        "process_figure": process_figure(
            pd.DataFrame(
                {
                    "branch": ["浦东", "静安"],
                    "team": ["金融一组", "金融一组"],
                    "skipped_stages": [3, 5],
                    "backward_moves": [1, 0],
                }
            ),
            _labels("skipped", "backward"),
            "各团队跳阶段与回退",
        ),
        "story_stage_figure": story_stage_figure(
            pd.DataFrame(
                {
                    "changed_at": pd.to_datetime(["2026-09-01", "2026-09-20"]),
                    "stage_after": [1, 2],
                    "to_status": ["open", "open"],
                }
            ),
            {0: "零", 1: "一", 2: "二"},
            "阶段随时间变化",
        ),
        "waterfall_value": waterfall_figure(
            waterfall, "value", {p: f"部分{p}" for p in WATERFALL_PARTS}, "在途商机瀑布图"
        ),
        "waterfall_count": waterfall_figure(
            waterfall, "count", {p: f"部分{p}" for p in WATERFALL_PARTS}, "在途商机瀑布图"
        ),
        "weekly_trend": weekly_trend(
            weekly, "在途商机", {"label_new": "新增", "label_won": "赢单"}, "历次快照趋势"
        ),
        "bridge_figure": bridge_figure(
            bridge, ("won",), {"start": "A", "won": "赢单", "end": "B"}, "预测为何变化"
        ),
        "effort_result_scatter": effort_result_scatter(
            workload, {"x": "周均活动", "y": "调整赢单率", "size": "在途金额", "team": "团队"}
        ),
        "target_bars": target_bars(
            workload,
            {
                "won": "本年赢单",
                "expected": "本年预期",
                "target": "目标",
                "unit": "万元",
                "coverage_text": lambda v: f"覆盖率 {v:.1%}",
            },
        ),
    }


@pytest.fixture(scope="module")
def built() -> dict[str, go.Figure]:
    return figures()


def _axes(figure: go.Figure) -> dict[str, tuple[object, list]]:
    """The cartesian axes the traces draw on: name → (layout axis, every value put on it)."""
    used: dict[str, tuple[object, list]] = {}
    for trace in figure.data:
        if trace.type in ("indicator", "funnel"):
            continue
        for letter in ("x", "y"):
            ref = getattr(trace, f"{letter}axis", None) or letter
            axis = figure.layout[f"{ref[0]}axis{ref[1:]}"]
            raw = getattr(trace, letter, None)
            values = [] if raw is None else list(raw)
            used.setdefault(ref, (axis, []))[1].extend(values)
    return used


def _numeric(axis, values: list) -> bool:
    """An axis of numbers: not categories, not dates, not stages named by tick text."""
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
    return (
        axis.type not in ("category", "date")
        and not axis.ticktext
        and axis.tickformat != chart_style.DATE_TICKS
        and bool(numbers.notna().any())
        and numbers.notna().sum() == pd.Series(values, dtype=object).notna().sum()
    )


def test_every_numeric_axis_names_its_unit_and_no_money_axis_ticks_in_si(built):
    checked = 0
    for name, figure in built.items():
        for ref, (axis, values) in _axes(figure).items():
            title = axis.title.text or ""
            if not _numeric(axis, values):  # names of categories, dates, stages: no unit to give
                continue
            checked += 1
            assert any(unit in title for unit in UNITS), f"{name} {ref}: no unit in {title!r}"
            assert axis.tickformat, f"{name} {ref}: default ticks would read 1.2k"
            assert "s" not in axis.tickformat, f"{name} {ref}: SI format {axis.tickformat}"
            if "万元" in title:
                assert axis.tickformat == chart_style.WAN_TICKS and axis.exponentformat == "none"
    assert checked >= 20


def test_money_ticks_read_with_thousands_separators_not_k():
    figure = chart_style.wan_axis(go.Figure(go.Bar(x=["a"], y=[1200])), "y")
    assert figure.layout.yaxis.tickformat == ",.2~f"  # d3: 1,200 · 0.5 · 12.25 (never 1.2k)
    assert figure.layout.yaxis.title.text == "金额（万元）"


def test_durations_trend_months_in_time_order_whatever_stage_comes_first(built):
    axis = built["durations_trend"].layout.xaxis
    assert axis.type == "category" and axis.categoryorder == "array"
    assert list(axis.categoryarray) == ["202511", "202512", "202602", "202603", "202604", "202605"]
    for trace in built["durations_trend"].data:
        assert list(trace.x) == sorted(trace.x)


def test_weekly_trend_snapshots_in_date_order(built):
    axis = built["weekly_trend"].layout.xaxis
    assert list(axis.categoryarray) == ["2026-09-25", "2026-10-30", "2026-11-13", "2026-11-20"]
    assert list(built["weekly_trend"].data[0].x) == list(axis.categoryarray)


def _lab(colour: str) -> tuple[float, float, float]:
    """sRGB hex → CIELAB (D65)."""
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return _xyz_lab([c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb])


def _xyz_lab(linear: list[float]) -> tuple[float, float, float]:
    r, g, b = linear
    x, y, z = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _deuteranope(colour: str) -> tuple[float, float, float]:
    """CIELAB of the colour as a deuteranope sees it (Machado et al. 2009, severity 1)."""
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    matrix = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.01182, 0.04294, 0.968881))
    return _xyz_lab(
        [min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear, strict=True)))) for row in matrix]
    )


def test_palette_colours_stay_apart_for_everyone():
    """Min pairwise ΔE76: the old charts' stage blues (#90caf9 … #1565c0) were 12 apart at worst."""
    assert len(set(PALETTE)) == len(PALETTE) >= 8
    normal = min(math.dist(_lab(a), _lab(b)) for a, b in itertools.combinations(PALETTE, 2))
    deuteranope = min(
        math.dist(_deuteranope(a), _deuteranope(b)) for a, b in itertools.combinations(PALETTE, 2)
    )
    assert normal >= 25, normal
    assert deuteranope >= 15, deuteranope
    assert min(math.dist(_lab(MUTED), _lab(c)) for c in PALETTE) >= 20


def test_durations_trend_and_weekly_lines_use_the_palette(built):
    colours = [
        trace.line.color
        for trace in built["durations_trend"].data
        if getattr(trace, "mode", None) == "lines+markers"
    ]
    assert colours == list(PALETTE[: len(colours)])
    lines = [trace.line.color for trace in built["weekly_trend"].data if trace.type == "scatter"]
    assert len(set(lines)) == len(lines) and all(colour in PALETTE for colour in lines)


def test_small_sample_heatmap_cells_are_grey_with_their_count(built):
    figure = built["conversion_heatmap"]
    rates, muted = figure.data
    assert muted.colorscale[0][1] == MUTED and muted.colorscale[-1][1] == MUTED and not muted.showscale
    row = 1  # 号百信息: steps from 21 and 3 deals (3→4 at 0 %) and from 0
    assert pd.isna(rates.z[row][3]) and muted.z[row][3] == 1  # the 0 % of three deals: grey, not red
    assert pd.isna(rates.z[row][4]) and muted.z[row][4] == 1
    assert rates.z[row][2] == pytest.approx(3 / 21) and pd.isna(muted.z[row][2])  # 21 ≥ 20: coloured
    assert "样本 3" in muted.text[row][3]
    assert "样本 3" in str(muted.customdata[row][3][1]) and "customdata[1]" in rates.hovertemplate
    assert "20" in figure.layout.title.subtitle.text  # the grey is explained, with the setting's value


def test_small_samples_follow_the_setting(monkeypatch):
    monkeypatch.setattr(chart_style, "small_sample_n", lambda: 2)
    import ui.charts_funnel as funnel

    monkeypatch.setattr(funnel, "small_sample_n", lambda: 2)
    figure = conversion_heatmap(heatmap_cells(), ["综合VPN", "号百信息"], list("abcde"), "t")
    muted = figure.data[1]
    assert muted.z[1][3] != 1 and muted.z[1][4] == 1  # 3 deals now enough; 0 never


def test_durations_figures_mute_thin_stages_and_name_their_count(built):
    bars = [trace for trace in built["durations_figure"].data if trace.type == "bar"]
    assert [bars[0].marker.color[i] for i in (0, 4)] == [PALETTE[0], MUTED]  # 59 stints, 7 stints
    assert bars[0].text[4] == "样本 7"
    keys = [t for t in built["durations_figure"].data if t.type == "scatter" and t.legendgroup]
    assert [(k.marker.color, k.legendgroup) for k in keys] == [(PALETTE[0], "median"), (PALETTE[4], "p90")]
    assert all(bar.showlegend is False for bar in bars)  # the legend keeps the series' colour
    line, thin = built["durations_trend"].data[:2]  # stage 0: 3 then 25 stints
    assert line.marker.color == PALETTE[0] and line.showlegend is not False
    assert list(thin.x) == ["202603"] and thin.marker.line.color == MUTED and thin.showlegend is False
    assert list(thin.text) == ["样本 3"]


def test_bar_labels_may_draw_outside_the_plot_area(built):
    """A label cut at the plot's edge was the forecast chart's bug: every bar text may overflow."""
    for name, figure in built.items():
        for trace in figure.data:
            if trace.type in ("bar", "waterfall") and trace.text is not None and trace.textposition != "none":
                assert trace.cliponaxis is False, name
                assert trace.textposition in ("outside", "auto"), name
            if trace.type == "scatter" and trace.mode == "text":
                assert trace.cliponaxis is False and trace.textposition == "middle right", name


def test_end_labels_start_past_the_reference_mark(built):
    """A total just under its budget (or a bar just short of the time progress) is written past the mark."""
    labels = next(t for t in built["forecast_stack"].data if getattr(t, "mode", None) == "text")
    bars = [t for t in built["forecast_stack"].data if t.type == "bar"]
    budget = next(t for t in built["forecast_stack"].data if getattr(t, "mode", None) == "markers")
    for i, end in enumerate(labels.x):
        total = bars[0].x[i] + bars[1].x[i] + bars[2].x[i]
        assert end == pytest.approx(max(total, budget.x[i]))
    assert labels.text[0].strip() == "662.0"
    home = next(t for t in built["attainment_bars"].data if getattr(t, "mode", None) == "text")
    assert min(home.x) == pytest.approx(0.833) and "80.0%" in [x.strip() for x in home.text]


def test_forecast_stack_names_read_level_and_whole(built):
    figure = built["forecast_stack"]
    bars = [trace for trace in figure.data if trace.type == "bar"]
    assert all(trace.orientation == "h" for trace in bars)  # names on the y axis, never tilted
    assert figure.layout.yaxis.automargin is True and figure.layout.xaxis.automargin is True
    assert bars[0].y[0] == "数据专线" and figure.layout.yaxis.autorange == "reversed"  # largest on top
    # room past the longest stack (actual + run-rate + pipeline) for its label
    longest = max(a + r + p for a, r, p in zip(bars[0].x, bars[1].x, bars[2].x, strict=True))
    assert figure.layout.xaxis.range[1] >= longest * 1.15


def test_legend_sits_above_the_plot_clear_of_axis_titles(built):
    for name, figure in built.items():
        if figure.layout.showlegend is False:
            continue
        legend = figure.layout.legend
        assert legend.orientation == "h" and legend.yanchor == "bottom" and legend.y >= 1, name
        assert figure.layout.title.automargin is True, name


def test_gauge_labels_inside_the_figure(built):
    gauge = built["attainment_gauge"]
    margin, domain = gauge.layout.margin, gauge.data[0].domain
    assert margin.l >= 30 and margin.r >= 30
    assert domain.x[0] > 0 and domain.x[1] < 1 and domain.y[1] < 1
    assert gauge.data[0].gauge.axis.ticksuffix == "%"
    assert gauge.layout.title.text == "总体预算完成率" and "时序进度" in gauge.layout.title.subtitle.text


def test_bullets_scale_reaches_the_highest_attainment():
    frame = pd.DataFrame({"product": ["a", "b"], "attainment": [1.25, 0.5]})
    figure = attainment_bullets(frame, "product", 0.8, "t")
    assert figure.data[-1].gauge.axis.range[1] >= 125  # 125 % was cut at 100


def test_every_figure_has_the_house_font_and_palette(built):
    for name, figure in built.items():
        assert figure.layout.font.family == chart_style.FONT, name
        assert tuple(figure.layout.colorway) == PALETTE, name
        assert figure.layout.xaxis.automargin is True or figure.data[0].type == "indicator", name


def test_date_axes_are_chinese_numbers_and_titled(built):
    axis = built["frozen_history_chart"].layout.xaxis
    assert axis.tickformat == "%Y-%m-%d" and axis.title.text == "快照日期"
    assert built["story_stage_figure"].layout.xaxis.title.text == "日期"
    text_dates = chart_style.chinese_dates(go.Figure(go.Scatter(x=["2026-09-20", "2026-10-04"], y=[1, 2])))
    assert text_dates.layout.xaxis.tickformat == "%Y-%m-%d"  # Plotly reads ISO text as dates too


def test_titles_split_into_title_and_subtitle():
    assert chart_style.split_title("总体预算完成率（红线为时序进度）") == ("总体预算完成率", "红线为时序进度")
    assert chart_style.split_title("按月累计收入：实际与预测") == ("按月累计收入", "实际与预测")
    assert chart_style.split_title("Overall (red: time)") == ("Overall", "red: time")
    assert chart_style.split_title("各阶段转化率") == ("各阶段转化率", "")


def test_count_axes_tick_whole_numbers_of_their_own(built):
    """The weekly trend's deals axis overlays the 万元 one: it ticks on its own (not at 2.73551 …)."""
    y2 = built["weekly_trend"].layout.yaxis2
    assert y2.tickmode == "auto" and y2.title.text == "商机数（个）"
    short = chart_style.count_axis(go.Figure(go.Bar(x=["a", "b"], y=[1, 3])), "y")
    assert short.layout.yaxis.dtick == 1  # no half deals


def test_axis_titles_close_with_their_unit_once():
    assert chart_style.titled("天数", "unit_days") == "天数（天）"
    assert chart_style.titled("停滞阈值（天）", "unit_days") == "停滞阈值（天）"
    assert chart_style.titled(None, "unit_wan") == "万元"


def test_english_axis_titles(monkeypatch):
    monkeypatch.setattr(chart_style, "t", lambda key: label(key, "en"))
    assert chart_style.titled("Median days", "unit_days") == "Median days"
    assert chart_style.titled("Amount", "unit_wan") == "Amount (10k CNY)"
    assert chart_style.sample_text(7) == "n = 7"
