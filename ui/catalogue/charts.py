"""Labels of the chart style (ui/chart_style.py): axis units and the small-sample mark (issue 17 item 8).

Every numeric axis names its unit, so a number on a chart never reads without
one; a cell or point resting on fewer observations than the setting
``chart_small_sample_n`` (docs/settings.md) is grey and says how many.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # units, as they close an axis title: 金额（万元）, Amount (10k CNY)
    "unit_wan": ("万元", "10k CNY"),
    "unit_pct": ("%", "%"),
    "unit_days": ("天", "days"),
    "unit_deals": ("个", "deals"),
    "unit_times": ("次", "times"),
    "unit_per_week": ("次/周", "per week"),
    # axis names where the builder has no better one
    "axis_amount": ("金额", "Amount"),
    "axis_days": ("天数", "Days"),
    "axis_deals": ("商机数", "Opportunities"),
    "axis_times": ("次数", "Count"),
    "axis_date": ("日期", "Date"),
    "axis_period": ("月份", "Month"),
    "axis_snapshot": ("快照日期", "Snapshot date"),
    # a figure resting on few observations
    "chart_sample": ("样本 {n}", "n = {n}"),
    "chart_small_sample": (
        "灰色：样本少于 {setting.chart_small_sample_n} 个，仅供参考",
        "Grey: fewer than {setting.chart_small_sample_n} observations, indicative only",
    ),
}
