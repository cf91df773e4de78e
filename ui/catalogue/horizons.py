"""Labels and metric definitions of the forecast horizons (issue 16 item 3) on 收入预测 and 预测校准.

Worded as docs/metrics.md, Year-end forecast (Horizons) and Forecast calibration.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "fc_horizon": ("预测期", "Horizon"),
    "fc_horizon_year_end": ("年底", "Year-end"),
    "fc_horizon_next_quarter": ("下季度", "Next quarter"),
    "fc_horizon_next_12_months": ("未来12个月", "Next 12 months"),
    "fc_horizon_next_year": ("明年", "Next year"),
    "fc_window_caption": (
        "预测期 {first} 至 {last}（{months} 个月）：不含已入账收入；含经常性收入月均、在途商机与增量部分"
        "（趋势、一次性费用项、已赢未计费、尚未创建的新商机）在此期间的收入。",
        "Window {first} to {last} ({months} months): no booked revenue; the run-rate, the open pipeline "
        "and the growth parts (drift, one-off fee items, won not yet billed, business not yet created) inside it.",
    ),
    "fc_window_lead": (
        "已到年底，本页先看{horizon}；年底预测可在上方切换查看。",
        "The year is nearly done, so the page opens on {horizon}; switch to the year-end above.",
    ),
    "fc_window_forecast": ("预测期收入（万元）", "Window revenue (10k CNY)"),
    "fc_window_run_rate": ("经常性收入（万元）", "Run-rate (10k CNY)"),
    "fc_window_pipeline": ("在途商机预期（万元）", "Open pipeline, expected (10k CNY)"),
    "fc_window_budget": ("预测期预算（万元）", "Window budget (10k CNY)"),
    "fc_window_target": ("预测期目标（万元）", "Window target (10k CNY)"),
    "fc_window_gap": ("预算缺口（万元）", "Gap to budget (10k CNY)"),
    "fc_window_no_budget": (
        "预测期跨入的年份尚未导入预算，不计算缺口。",
        "No budget is loaded for a year the window reaches, so no gap is computed.",
    ),
    "fc_window_no_basis": (
        "当前选择没有可比的预算或目标，不计算缺口。",
        "The selection has no comparable budget or target, so no gap is computed.",
    ),
    "fc_window_levels": ("按维度的预测期收入", "Window revenue by dimension"),
    "cal_company_scored": ("已评分的公司合计", "Company totals scored"),
    "cal_company_coverage": ("公司合计区间覆盖率", "Company band coverage"),
    "cal_company_none": (
        "公司合计的冻结预测只在查看全公司且不加筛选时评分。",
        "The company total's frozen forecasts are scored only for the whole company with no filter.",
    ),
    "cal_by_lead": ("按提前月数的区间覆盖率", "Band coverage by months ahead"),
    "cal_lead_months": ("提前月数", "Months ahead"),
    "cal_lead_note": (
        "冻结预测只有年末口径（每周冻结当年剩余各月的累计收入），没有滚动12个月口径；"
        "此表按预测月份距冻结时的月数分组，最长的提前期即最接近12个月的部分。",
        "Frozen forecasts are year-end only (each week freezes the cumulative revenue of the rest of the year); "
        "there is no rolling 12-month freeze. This table groups them by how many months ahead of the freeze "
        "the month lay: the longest leads are the closest to a 12-month horizon.",
    ),
}

HELP: dict[str, tuple[str, str]] = {
    "fc_horizon": (
        "年底：本年剩余月份（含已入账收入）；下季度：下一个完整自然季度；未来12个月：最后已导入帐期之后的12个月；"
        "明年：明年1–12月，已导入明年预算时与之比较。每年{setting.forecast_forward_from_month}月起"
        "（或本年只剩不超过{setting.forecast_forward_months_left}个月未导入时）本页先显示明年（未导入明年预算时为未来12个月）。",
        "Year-end: the rest of this year, booked revenue included; next quarter: the next whole calendar "
        "quarter; next 12 months: the 12 months after the last revenue period loaded; next year: January to "
        "December of next year, against its budget when loaded. From month {setting.forecast_forward_from_month} "
        "(or once at most {setting.forecast_forward_months_left} months of the year are still to load) the page "
        "opens on next year (the next 12 months when next year's budget is not loaded).",
    ),
    "fc_window_forecast": (
        "预测期收入 = 经常性收入月均 × 预测期月数 + 在途商机在预测期内的预期收入 + 增量部分（存量业务漂移、一次性收费、"
        "已签约未计收、尚未录入的新商机，只计预测期内各月）。",
        "Window forecast = run-rate a month × the window's months + the open pipeline's expected revenue in it + "
        "the growth parts (drift of existing business, one-off fees, won but not billed, business not yet in the "
        "pipeline; the window's months only).",
    ),
    "fc_window_run_rate": (
        "近{setting.run_rate_months}个已导入帐期的月均经常性收入（不含一次性费用项：{setting.one_off_fee_items}）"
        "× 预测期月数。",
        "Mean monthly recurring revenue of the last {setting.run_rate_months} periods loaded (one-off fee items "
        "out: {setting.one_off_fee_items}) × the window's months.",
    ),
    "fc_window_pipeline": (
        "Σ 赢单概率 p(o) × 年综合收益 × 签约次月起落在预测期内的月数 ÷ 12 × 赢单金额比；预计签约月晚于预测期的商机不计。",
        "Σ p(o) × annual_value × the window's months after the close month / 12 × the won value / pipeline "
        "value ratio; a deal expected to close after the window adds nothing.",
    ),
    "fc_window_band": (
        "模拟所得预测期收入的第10与第90百分位：在途商机是否赢单、签约月份（按历史延期分布，可能落到预测期外）、"
        "共同年景、经常性收入的偏离与增量部分的波动，与年底预测同一模拟。",
        "p10 and p90 of the simulated window revenue: each open deal's win and close month (historical "
        "slips, which may move it out of the window), the common factor, the run-rate misses and the growth "
        "parts' spreads, the same simulation as the year-end's.",
    ),
    "fc_window_budget": (
        "预测期内各月的分月预算之和（只有年度数的按12个月平均分摊）。",
        "The phased monthly budget summed over the window's months (annual-only lines spread evenly).",
    ),
    "fc_window_gap": ("预算缺口 = 预测期预算 − 预测期收入。", "gap = window budget − window forecast."),
    "cal_company_coverage": (
        "公司合计收入落入冻结时公司合计 P10–P90 区间的比例（公司合计的区间由各条线逐次模拟相加得到）。",
        "Share of frozen company totals whose actual fell inside their own P10–P90 band (the lines summed "
        "run by run).",
    ),
    "cal_lead_months": (
        "预测月份距冻结快照所在月的月数。",
        "Months from the frozen snapshot's month to the month forecast.",
    ),
}
