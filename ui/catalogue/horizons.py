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
    "fc_expected_above_band": (
        "收入预测（期望值）高于P90：它按每个在途商机的预计签约月计收，而P10–P90按历史上赢单实际签约的时间模拟，"
        "赢单多晚于预计月份，落在期内的收入因此更少。",
        "The expected forecast is above the P90: it counts each open deal from its expected close month, while "
        "the P10–P90 draws the close month from when wins really came in the past, mostly later, so less of "
        "their revenue falls inside the period.",
    ),
    "fc_expected_below_band": (
        "收入预测（期望值）低于P10：它按每个在途商机的预计签约月计收，而P10–P90按历史上赢单实际签约的时间模拟，"
        "赢单多早于预计月份。",
        "The expected forecast is below the P10: it counts each open deal from its expected close month, while "
        "the P10–P90 draws the close month from when wins really came in the past, mostly earlier.",
    ),
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
        "按预测月份距冻结时的月数分组（年底口径：每周冻结当年剩余各月的累计收入）；"
        "下季度与未来12个月的冻结预测见上表。",
        "Grouped by how many months ahead of the freeze the month lay (year-end: each week freezes the "
        "cumulative revenue of the rest of the year); the next quarter's and next 12 months' are in the "
        "table above.",
    ),
    "cal_by_horizon": ("按预测期的冻结预测回测", "Frozen forecasts' backtest by horizon"),
    "cal_by_horizon_note": (
        "每周冻结年底、下季度、未来12个月三个预测期；预测期内每月一行，为自预测期首月起的累计收入"
        "（年底口径自1月起），该月收入入账后评分。P10–P90 覆盖率附 95% 区间（同一结果的多次冻结只算一个独立结果）；"
        "误差与偏差按 P50 计算。",
        "Each week freezes three horizons: the year-end, the next quarter and the next 12 months; one row per "
        "window month, cumulative from the window's first month (the year-end's from January), scored once "
        "that month's revenue is loaded. P10–P90 coverage comes with its 95% interval (forecasts of one "
        "outcome frozen at several weeks count as one); error and bias are the P50's.",
    ),
    "cal_horizon_none": (
        "尚无已评分的冻结预测：预测月份的收入入账后才能评分。",
        "No frozen forecast scored yet: a month is scored once its revenue is loaded.",
    ),
    "cal_level": ("口径", "Level"),
    "cal_level_lines": ("分公司×产品", "Branch × product"),
    "cal_level_company": ("公司合计", "Company total"),
    "cal_horizon_rows": ("已评分", "Scored"),
    "cal_effective": ("独立结果数", "Independent outcomes"),
    "cal_coverage_low": ("覆盖率下限", "Coverage, low"),
    "cal_coverage_high": ("覆盖率上限", "Coverage, high"),
    "cal_p50_mape": ("P50 平均绝对误差率", "P50 mean absolute % error"),
    "cal_p50_bias": ("P50 偏差", "P50 bias"),
    "cal_naive_pipeline_name": (
        "朴素管道（阶段加权管道 + 近3个月经常性收入）",
        "the naive pipeline (stage-weighted pipeline + last 3 months' run-rate)",
    ),
    "cal_naive_last_year_name": ("去年同期 × 增长", "last year's same months × growth"),
    "fc_backtest_naive_better": (
        "注意：已兑现的历史冻结预测中，P50 的平均绝对误差率不如朴素基准 {baseline}（见预测校准页）。",
        "Caution: on the frozen forecasts scored so far, the P50's mean absolute % error is worse than the "
        "naive baseline {baseline} (see 预测校准).",
    ),
    "cal_naive_pipeline_mape": ("朴素管道 误差率", "Naive pipeline MAPE"),
    "cal_naive_pipeline_bias": ("朴素管道 偏差", "Naive pipeline bias"),
    "cal_naive_last_year_mape": ("去年同期 误差率", "Last year MAPE"),
    "cal_naive_last_year_bias": ("去年同期 偏差", "Last year bias"),
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
    "cal_effective": (
        "同一条线（或公司合计）同一月份的多次冻结预测面对同一个实际值，视为一组；"
        "独立结果数 = (Σ组大小)² / Σ组大小²，覆盖率的 95% 区间（Wilson）按此计算。",
        "Forecasts of one line's (or the company's) month frozen at several weeks meet one actual and form "
        "a group; independent outcomes = (Σ sizes)² / Σ sizes², on which the coverage's 95% (Wilson) "
        "interval is computed.",
    ),
    "cal_p50_mape": (
        "平均（|实际 − P50| / 实际），只计实际收入大于0的行。",
        "Mean of |actual − P50| / actual over rows with actual revenue above 0.",
    ),
    "cal_p50_bias": (
        "Σ(实际 − P50) / Σ实际：为正表示预测偏低。",
        "Σ (actual − P50) / Σ actual: positive when the forecasts ran low.",
    ),
    "cal_naive_pipeline_mape": (
        "朴素基准一：冻结时的本年已入账收入 + 近3个月经常性收入月均 × 其后月数 + 在途商机按阶段赢单率加权"
        "（阶段赢单率 × 年化金额 × 预计签约月之后的月数 / 12，不计延期）；与 P50 同一批行、同一实际值计算误差率。"
        "下季度、未来12个月从窗口首月起累计：不含已入账收入，近3个月经常性收入月均 × 窗口内已过月数 + 加权商机在窗口内"
        "（预计签约月之后、且不早于窗口首月）的月数。冻结于此基准之前的行没有基准，显示“—”。",
        "Naive baseline one: revenue to date at the freeze + the last 3 months' recurring run-rate × the months "
        "since + the open pipeline weighted by stage rates (stage rate × annual value × months after the expected "
        "close / 12, no slips); MAPE on the same rows and actuals as the P50. The next quarter and next 12 months "
        "count from the window's first month: no revenue to date, the run-rate × the window's months so far + the "
        "weighted deals' months inside the window (after the expected close, from the window's first month at the "
        'earliest). Rows frozen before this baseline have none: "—".',
    ),
    "cal_naive_pipeline_bias": (
        "Σ(实际 − 朴素管道预测) / Σ实际：为正表示预测偏低。",
        "Σ (actual − naive pipeline) / Σ actual: positive when the forecasts ran low.",
    ),
    "cal_naive_last_year_mape": (
        "朴素基准二：去年同期（1月至该月）收入 × 本年至今增长（本年至最后已知月收入 / 去年同期）；"
        "下季度、未来12个月：去年同期各月（从窗口首月的去年同月起累计）× 近12个已知月收入 / 其前一年同月收入（只计历史数据覆盖到前一年同月的月份）。"
        "与 P50 同一批行、同一实际值计算误差率。没有基准的行显示“—”。",
        "Naive baseline two: last year's revenue from January through the same month × growth to date (this "
        "year's revenue through the last month known / last year's through the same month); for the next quarter "
        "and next 12 months, the same months a year earlier (cumulative from the window's first month) × the last "
        "12 known months' revenue / the same months a year before (only months whose year-earlier month the history holds). MAPE on the same "
        'rows and actuals as the P50. Rows without the baseline: "—".',
    ),
    "cal_naive_last_year_bias": (
        "Σ(实际 − 去年同期预测) / Σ实际：为正表示预测偏低。",
        "Σ (actual − last year) / Σ actual: positive when the forecasts ran low.",
    ),
}
