"""Labels and metric definitions of the attainment, forecast and calibration pages.

Keys are prefixed (att_, fc_, cal_) so they cannot collide with another area's;
metric help texts are worded as docs/metrics.md (Budget attainment, Year-end
forecast, Forecast calibration).
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # navigation
    "page_attainment": ("预算完成", "Budget attainment"),
    "page_forecast": ("收入预测", "Revenue forecast"),
    "page_calibration": ("预测校准", "Forecast calibration"),
    # attainment
    "att_data_through": ("收入数据截至帐期", "Revenue loaded through"),
    "att_through_note": (
        "收入已导入至 {period}；之后的月份尚未导入，本年累计收入只含已导入帐期，不代表完成得差。",
        "Revenue is loaded through {period}; later months are not loaded yet, so revenue to date covers loaded "
        "periods only and is not a sign of a bad month.",
    ),
    "att_period_progress": ("同口径时序进度", "Time progress, like for like"),
    "att_period_gap": ("进度差（同口径）", "Progress gap (like for like)"),
    "att_headline_basis": (
        "同口径比较：收入已导入至 {period}，预算完成率与截至 {end} 的时序进度 {progress} 相比"
        "（按数据日期 {as_of} 计的时序进度为 {as_of_progress}）。",
        "Like for like: revenue is loaded through {period}, so attainment is compared with time progress to "
        "{end}, {progress} ({as_of_progress} counted to the as-of date {as_of}).",
    ),
    "att_no_revenue": ("本年尚未导入任何收入帐期。", "No revenue period of this year is loaded yet."),
    "att_level": ("明细层级", "Breakdown"),
    "att_level_product": ("按产品", "By product"),
    "att_level_branch": ("按分局", "By branch"),
    "att_level_branch_product": ("分局 × 产品", "Branch × product"),
    "att_gauge": (
        "总体预算完成率（红线为至已导入帐期的时序进度）",
        "Overall attainment (red line: time progress to the loaded period)",
    ),
    "att_bullets": (
        "预算完成率与时序进度（竖线为至已导入帐期的时序进度，红色落后）",
        "Attainment vs time progress (line: time progress to the loaded period; red: behind)",
    ),
    "att_table": (
        "预算完成明细（按同口径进度差着色：红色为落后于时序进度）",
        "Attainment detail (coloured by progress gap: red is behind schedule)",
    ),
    "att_monthly": ("按月累计收入与分月预算", "Cumulative revenue by month vs phased budget"),
    "att_actual_cumulative": ("累计收入", "Revenue, cumulative"),
    "att_budget_cumulative": ("累计预算（分月）", "Budget, cumulative (phased)"),
    "att_actual_month": ("当月收入", "Revenue in the month"),
    "att_budget_month": ("当月预算", "Budget in the month"),
    "att_month": ("月份", "Month"),
    "att_basis_target": (
        "按目标计算：预算只编到分局 × 产品，无法按所选团队或客户经理拆分，"
        "此处的“年度目标”是所选客户经理个人目标之和，完成率与缺口都按它计算。",
        "Target-based: the budget is set per branch × product only and cannot be split by the selected team or "
        "account manager, so the annual target shown is the sum of the selected account managers' personal "
        "targets, and attainment and gap are measured against it.",
    ),
    "att_basis_none": (
        "预算只编到分局 × 产品，无法按所选团队或客户经理拆分；又选了产品，而个人目标不分产品，也无法代替。"
        "因此不显示完成率与缺口，以免拿部分收入去比整个预算。",
        "The budget is set per branch × product only and cannot be split by the selected team or account "
        "manager; a product is selected as well, and personal targets carry no product, so they cannot stand "
        "in. Attainment and gap are therefore not shown, rather than comparing part of the revenue with a "
        "whole budget.",
    ),
    "att_no_targets": (
        "所选客户经理没有导入本年个人目标，无法计算完成率（预算只编到分局 × 产品）。",
        "No personal targets are loaded for the selected account managers this year, so there is no "
        "attainment (the budget is set per branch × product only).",
    ),
    "att_target_annual": ("年度目标（万元，个人目标之和）", "Annual target (10k CNY, personal targets)"),
    "att_target_cumulative": ("累计目标（分月）", "Target, cumulative (phased)"),
    "att_target_month": ("当月目标", "Target in the month"),
    "att_revenue_filters": (
        "收入与预算只按分局、产品（及团队、客户经理）划分，以下筛选未用于收入数字：",
        "Revenue and budget are kept by branch and product (and team, account manager); these filters do not apply to them: ",
    ),
    # forecast
    "fc_forecast_expected": ("年末收入预测（万元）", "Year-end forecast (10k CNY)"),
    "fc_actual_ytd": ("已完成收入（万元）", "Revenue to date (10k CNY)"),
    "fc_run_rate": ("存量收入延续（万元）", "Run-rate (10k CNY)"),
    "fc_pipeline_expected": ("在途商机预期收入（万元）", "Expected from pipeline (10k CNY)"),
    "fc_budget_annual": ("年度预算（万元）", "Annual budget (10k CNY)"),
    "fc_gap": ("预算缺口（万元）", "Gap to budget (10k CNY)"),
    "fc_band": ("P10–P90 区间（万元）", "P10–P90 band (10k CNY)"),
    "fc_p10": ("P10（万元）", "P10 (10k CNY)"),
    "fc_p50": ("P50（万元）", "P50 (10k CNY)"),
    "fc_p90": ("P90（万元）", "P90 (10k CNY)"),
    "fc_parts_expected": ("增量部分合计（万元）", "Growth parts (10k CNY)"),
    "fc_part_drift": ("存量业务漂移（万元）", "Drift of existing business (10k CNY)"),
    "fc_part_one_off": ("一次性收费（万元）", "One-off fees (10k CNY)"),
    "fc_part_won_not_billed": ("已签约未计收（万元）", "Won, not billed yet (10k CNY)"),
    "fc_part_new_business": ("尚未录入的新商机（万元）", "Business not yet in the pipeline (10k CNY)"),
    "fc_value_ratio": ("签约金额/商机金额", "Won value / pipeline value"),
    "fc_new_pipeline_needed": ("需新增一阶段商机（万元）", "New stage-1 pipeline needed (10k CNY)"),
    "fc_too_late": (
        "今年剩余时间太短：按历史中位销售周期（{days:.0f} 天），今天新建的商机预计 {close} 签约，本年已无收入，新增商机无法弥补缺口。",
        "Too little of the year is left: at the median cycle of {days:.0f} days a deal opened today would sign on "
        "{close} and earn nothing this year, so new opportunities cannot close the gap.",
    ),
    "fc_no_history": (
        "没有足够的历史赢单（一阶段赢单率或销售周期），无法估算所需新增商机。",
        "Not enough won history (stage-1 win rate or cycle time) to size the new pipeline needed.",
    ),
    "fc_no_gap": (
        "预测已覆盖预算，无需为缺口新增商机。",
        "The forecast covers the budget: no new pipeline is needed for a gap.",
    ),
    "fc_no_budget": (
        "当前范围没有可比的预算或目标，缺口不适用。",
        "No budget or target comparable with this selection: there is no gap to close.",
    ),
    "fc_needed_note": (
        "按一阶段历史赢单率 {rate} 与中位周期 {days:.0f} 天：今天新建的商机约 {close} 签约，本年可带来 {months} 个月收入。",
        "At the stage-1 win rate {rate} and a median cycle of {days:.0f} days, a deal opened today signs about "
        "{close} and earns {months} months of revenue this year.",
    ),
    "fc_band_note": (
        "P10–P90 来自 {runs:,} 次模拟：每个在途商机按其赢单概率独立抽样，签约月份按历史签约时点抽样（{slips} 个赢单样本，连同仍未关闭的在途商机，按生存表估计）；已完成收入与存量延续视为已知。"
        "模拟均值 {mean} 万元（含延期，故可与不含延期的预测值不同）。逐笔模拟的商机 {exact:,} 个（占方差 {share}），其余 {normal:,} 个小额商机按其总和的正态分布计入。",
        "P10–P90 from {runs:,} runs: each open deal wins as an independent draw with its probability and closes in a "
        "month drawn from the historical timing of wins (a life table of every deal seen open, {slips} won); revenue to date and the run-rate are "
        "taken as known. Simulated mean {mean} (slips included, so it can differ from the forecast, which has none). "
        "{exact:,} deals drawn one by one ({share} of the variance), the other {normal:,} small ones through the normal law of their sum.",
    ),
    "fc_stack": ("年末预测构成与预算", "Year-end forecast by part vs budget"),
    "fc_by": ("分组", "Group by"),
    "fc_fan": (
        "按月累计收入：实际、预测与 P10–P90 区间",
        "Cumulative revenue by month: actual, forecast and the P10–P90 band",
    ),
    "fc_expected_line": ("预测（期望值）", "Forecast (expected)"),
    "fc_band_label": ("P10–P90", "P10–P90"),
    "fc_backtest_coverage_low": (
        "注意：已兑现的历史冻结预测中，只有 {coverage} 的实际收入落在当时的 P10–P90 区间内（应在 {low}–{high} 之间）。"
        "区间偏窄，实际结果落在区间外的可能比看上去大。",
        "Caution: only {coverage} of the frozen forecasts scored so far saw the actual revenue inside their P10–P90 "
        "band (it should be {low}–{high}). The band is too narrow: the outcome is more uncertain than it looks.",
    ),
    "fc_backtest_coverage_high": (
        "注意：已兑现的历史冻结预测中，有 {coverage} 的实际收入落在当时的 P10–P90 区间内（应在 {low}–{high} 之间）。"
        "区间偏宽，实际不确定性比区间显示的小。",
        "Caution: {coverage} of the frozen forecasts scored so far saw the actual revenue inside their P10–P90 band "
        "(it should be {low}–{high}). The band is too wide: the outcome is less uncertain than it looks.",
    ),
    "fc_backtest_bias_low": (
        "注意：已兑现的历史冻结预测平均比实际收入低 {bias}（可接受 {limit} 以内），本预测可能同样偏低。",
        "Caution: the frozen forecasts scored so far ran {bias} below the revenue that arrived (up to {limit} is "
        "acceptable); this forecast may run low too.",
    ),
    "fc_backtest_bias_high": (
        "注意：已兑现的历史冻结预测平均比实际收入高 {bias}（可接受 {limit} 以内），本预测可能同样偏高。",
        "Caution: the frozen forecasts scored so far ran {bias} above the revenue that arrived (up to {limit} is "
        "acceptable); this forecast may run high too.",
    ),
    "fc_p50_line": ("P50", "P50"),
    "fc_budget_marker": ("年度预算", "Annual budget"),
    "fc_contributors": ("本年预期收入贡献最大的在途商机", "Open opportunities contributing most this year"),
    "fc_sensitivity": ("敏感性：若最大的重点商机丢单", "Sensitivity: if the top key deals are lost"),
    "fc_sensitivity_chart": (
        "依次丢失前 N 个重点商机后的年末预测",
        "Year-end forecast after losing the top N key deals",
    ),
    "fc_no_pipeline": (
        "当前范围内没有能在本年带来收入的在途商机。",
        "No open opportunity in this scope earns revenue this year.",
    ),
    "fc_no_key": (
        "当前范围内没有本年有预期收入的重点商机。",
        "No key opportunity in this scope is expected to earn this year.",
    ),
    "fc_deals_lost": ("丢失商机数", "Deals lost"),
    "fc_forecast_if_lost": ("丢失后年末预测（万元）", "Forecast if lost (10k CNY)"),
    "fc_gap_if_lost": ("丢失后缺口（万元）", "Gap if lost (10k CNY)"),
    "fc_expected_revenue": ("本年预期收入（万元）", "Expected this year (10k CNY)"),
    "fc_p_win": ("赢单概率", "Win probability"),
    "fc_months_this_year": ("本年收入月数", "Months this year"),
    "fc_share": ("占管道预期", "Share of pipeline"),
    "fc_levels": ("预测明细", "Forecast detail"),
    "fc_part_actual": ("已完成", "Revenue to date"),
    "fc_part_run_rate": ("存量延续", "Run-rate"),
    "fc_part_pipeline": ("在途商机", "Pipeline"),
    # calibration
    "cal_brier": ("Brier 分数（校准概率）", "Brier score (calibrated p)"),
    "cal_baseline": ("Brier 分数（仅按阶段）", "Brier score (stage only)"),
    "cal_skill": ("相对阶段基线的改进", "Skill vs stage-only"),
    "cal_predictions": ("回测预测数", "Predictions backtested"),
    "cal_dates": ("回测日期数", "Backtest dates"),
    "cal_reliability": (
        "可靠性：预测赢单率与实际赢单率（按概率分组）",
        "Reliability: predicted vs observed win rate by bucket",
    ),
    "cal_reliability_table": ("可靠性表", "Reliability table"),
    "cal_curve_within": (
        "可靠性曲线整体在抽样区间内：{buckets} 个概率分组同时检验（每组区间取 1 − 5% / {buckets}），"
        "校准概率的每组预测均落在其实际赢单率的区间内。",
        "The reliability curve sits within its sampling interval as a whole: the {buckets} probability "
        "buckets judged together (each interval at 1 − 5 % / {buckets}), every calibrated bucket's "
        "prediction lies inside its observed win rate's interval.",
    ),
    "cal_curve_outside": (
        "可靠性曲线超出抽样区间：{buckets} 个概率分组同时检验（每组区间取 1 − 5% / {buckets}），"
        "以下分组的校准概率落在实际赢单率的区间外：{outside}。",
        "The reliability curve leaves its sampling interval: the {buckets} probability buckets judged "
        "together (each interval at 1 − 5 % / {buckets}), these buckets' calibrated predictions lie "
        "outside their observed win rate's interval: {outside}.",
    ),
    "cal_by_date": ("各回测日期", "By backtest date"),
    "cal_no_backtest": (
        "尚无可回测的数据：需要数据日期{setting.probability_horizon_days}天以前的快照，且其中的在途商机此后已关闭。",
        "Nothing to backtest yet: it needs snapshots at least {setting.probability_horizon_days} days before the "
        "as-of date whose open deals have closed since.",
    ),
    "cal_selection_note": (
        "只回测数据日期{setting.probability_horizon_days}天以前的快照，评估其后{setting.probability_horizon_days}天内关闭的商机"
        "（与赢单概率所学的结果相同；更晚关闭或仍在跟进的不计）。",
        "Only snapshots at least {setting.probability_horizon_days} days before the as-of date are backtested, "
        "scoring the deals that closed within {setting.probability_horizon_days} days after them (the outcome p(o) "
        "learns; later or still open ones are left out).",
    ),
    "cal_model_calibrated": ("校准概率（阶段 × 分类 × 产品）", "Calibrated (stage × class × product)"),
    "cal_model_stage_only": ("仅按阶段", "Stage only"),
    "cal_perfect": ("完全校准", "Perfectly calibrated"),
    "cal_predicted": ("预测赢单率", "Predicted win rate"),
    "cal_observed": ("实际赢单率", "Observed win rate"),
    "cal_observed_low": ("实际赢单率下限", "Observed, low"),
    "cal_observed_high": ("实际赢单率上限", "Observed, high"),
    "cal_bucket": ("概率分组", "Probability bucket"),
    "cal_model": ("模型", "Model"),
    "cal_wins": ("实际赢单", "Wins"),
    "cal_expected_wins": ("预期赢单", "Expected wins"),
    "cal_as_of_date": ("回测日期", "Backtest date"),
    "cal_frozen": (
        "冻结预测的回测：当时的预测与此后到达的收入",
        "Frozen forecasts: what they said vs the revenue that arrived",
    ),
    "cal_frozen_scored": ("已评分的冻结预测", "Frozen forecasts scored"),
    "cal_mape": ("平均绝对误差率", "Mean absolute % error"),
    "cal_bias": ("偏差", "Bias"),
    "cal_coverage": ("落入 P10–P90 的比例", "Inside P10–P90"),
    "cal_no_frozen": (
        "尚无可评分的冻结预测：每次导入快照时冻结当周预测，待其后月份收入到达后才能评分。",
        "No frozen forecast can be scored yet: each snapshot load freezes that week's forecast, scored once later months' revenue arrives.",
    ),
    "cal_frozen_scope": (
        "冻结预测按分局 × 产品保存，团队与客户经理范围不适用。",
        "Frozen forecasts are kept per branch × product; they do not apply to a team or account-manager scope.",
    ),
    "cal_frozen_table": ("按冻结日期与月份", "By freeze date and month"),
    "cal_history": ("各周冻结的年末预测（期望值）", "Year-end forecast frozen each week (expected)"),
    "cal_snapshot_date": ("冻结日期", "Frozen on"),
    "cal_month": ("截至月份", "Through month"),
    "cal_lines": ("分局×产品数", "Lines"),
    "cal_expected": ("冻结预测（万元）", "Frozen forecast (10k CNY)"),
    "cal_actual": ("实际收入（万元）", "Actual (10k CNY)"),
    "cal_error": ("误差（万元）", "Error (10k CNY)"),
}

HELP: dict[str, tuple[str, str]] = {
    "period_progress": (
        "同口径时序进度 = 最后已导入帐期（data_through）月末在本年中的天数 ÷ 本年天数；"
        "与只含已导入帐期收入的预算完成率同口径。",
        "period_progress = day of year of the last day of data_through / days in the year: the time the "
        "loaded revenue covers, like for like with attainment.",
    ),
    "period_gap": (
        "进度差（同口径）= 预算完成率 − 同口径时序进度（负数表示落后）。",
        "period_gap = attainment − period_progress (negative = behind schedule).",
    ),
    "fc_forecast_expected": (
        "年末收入预测 = 已完成收入 + 存量收入延续 + 在途商机预期收入。",
        "forecast_expected = actual_ytd + run_rate + pipeline_expected.",
    ),
    "fc_run_rate": (
        "存量收入延续 = 最近{setting.run_rate_months}个已导入帐期的月均经常性收入 × 最后帐期之后至12月的月数；"
        "经常性收入 = 除一次性费用项（{setting.one_off_fee_items}）外的全部费用项。",
        "run_rate = mean monthly recurring revenue over the last {setting.run_rate_months} loaded periods × the months "
        "after P to December; recurring = every fee item except the configured one-off items "
        "({setting.one_off_fee_items}).",
    ),
    "fc_pipeline_expected": (
        "在途商机预期收入 = Σ 赢单概率 p(o) × 年综合收益 × m(o) ÷ 12；m(o) = 预计签约月之后本年剩余月数（签约次月起计收入，逾期按数据日期所在月计）。",
        "pipeline_expected = Σ over open opportunities of p(o) × annual_value × m(o) / 12, where m(o) = the months of Y "
        "after the expected close month (revenue starts the month after signing; an overdue close date counts as as_of's month).",
    ),
    "fc_p_win": (
        "赢单概率 p(o)：过去各时点（近{setting.probability_lookback_months}个月内每{setting.probability_cohort_step_days}天）"
        "处于同一阶段、在该阶段停留时间相近（每{setting.probability_age_step_days}天一档）、且在之后"
        "{setting.probability_horizon_days}天内关闭的商机中赢单的比例，向该阶段整体比例收缩，再乘以（分类、产品）相对阶段的赢单倍数。"
        "只看已关闭商机的阶段比例会偏高：停留越久的商机越容易丢单。",
        "p(o) = the share won among deals that, at past dates (every {setting.probability_cohort_step_days} days in "
        "the trailing {setting.probability_lookback_months} months), sat at the same stage for a similar time (bins of "
        "{setting.probability_age_step_days} days) and closed within {setting.probability_horizon_days} days, shrunk "
        "toward the stage's rate, times the (class, product) lift over the stage. The stage rate of closed deals "
        "alone runs high: deals that stay open longer lose more often.",
    ),
    "fc_gap": ("预算缺口 = 年度预算 − 年末收入预测。", "gap = budget_annual − forecast_expected."),
    "fc_band": (
        "模拟所得年末收入的第10与第90百分位。每次模拟包含：在途商机按赢单概率抽样是否赢单、按历史签约时点抽样签约月份（由全部见过的在途商机估计，仍未关闭的计入观察时间）；"
        "所有商机共同的好坏年景（历史月度赢单率超出随机波动的部分）；各分公司×产品经常性收入偏离近期月均的历史幅度"
        "（近{setting.run_rate_noise_months}个月，各条线按公司合计的偏离程度相关）；存量业务漂移与尚未录入的新商机各自的波动；"
        "在途商机金额按签约金额/商机金额比例折算。",
        "p10 and p90 of the simulated year-end revenue. Each run draws every open deal's win with p(o) and its close "
        "month from the historical timing of wins (every deal seen open, those still open as time watched); a common factor moving all deals together (how far the monthly win rate "
        "strayed beyond chance); and each branch × product's run-rate miss, as large as its revenue strayed from "
        "the run-rate over the last {setting.run_rate_noise_months} months, the lines correlated as the company's "
        "total missed; the spreads of the drift of existing business and of the business not yet in the pipeline; "
        "the pipeline's values at the won value / pipeline value ratio.",
    ),
    "fc_p50": ("模拟年末收入的中位数。", "p50 of the simulated year-end revenue."),
    "fc_parts_expected": (
        "存量收入延续与在途商机之外的预测部分之和：存量业务漂移、一次性收费、已签约未计收、尚未录入的新商机（可在设置 forecast_parts 中关闭）。",
        "The parts beyond run-rate and pipeline: drift of existing business, one-off fees, won but not billed, "
        "business not yet in the pipeline (switched by the setting forecast_parts).",
    ),
    "fc_part_drift": (
        "存量收入延续取近{setting.run_rate_months}个月均值，收入增长时落后于当前水平；另有存量基础收入自身的趋势，"
        "以及有期限合同到期后不再计收。均按近{setting.run_rate_noise_months}个月历史估计，趋势按其标准误向 0 收缩。",
        "The run-rate is the mean of the last {setting.run_rate_months} months and lags growing revenue; the "
        "installed base keeps its own trend; contracts with a term stop billing after their last month. Slopes "
        "over the last {setting.run_rate_noise_months} months, shrunk toward 0 by their standard errors.",
    ),
    "fc_part_one_off": (
        "存量收入延续只计经常性费用；一次性收费（{setting.one_off_fee_items}）按近{setting.run_rate_noise_months}个月的月均计入。",
        "The run-rate counts recurring fees only; one-off fees ({setting.one_off_fee_items}) enter at their mean "
        "a month over the last {setting.run_rate_noise_months} months.",
    ),
    "fc_part_won_not_billed": (
        "最近导入帐期开始以来已赢单的商机：既不在已导入收入中，也不再是在途商机，按签约次月起计收入。",
        "Deals won since the last loaded month began: in neither the loaded revenue nor the open pipeline; they "
        "earn from the month after signing.",
    ),
    "fc_part_new_business": (
        "预测期内才创建并赢单的商机：按历史（近{setting.probability_lookback_months}个月）每月创建后第 k 个月赢单的金额，"
        "乘以该月份的创建季节性，签约次月起计收入；区间按复合泊松波动计。",
        "Deals created and won inside the window: the won value per month created at each lag k in the last "
        "{setting.probability_lookback_months} months, times the month of year's share of deals created, earning "
        "from the month after the win; its spread a compound Poisson sum's.",
    ),
    "fc_value_ratio": (
        "历史赢单商机的签约金额 ÷ 其首次出现在在途商机时的金额；在途商机的金额按此比例折算（赢单样本少于{setting.value_ratio_min_deals}个时取 1）。",
        "Won value ÷ the value the won deals had when first seen open; the pipeline's values are scaled by it (1 "
        "with fewer than {setting.value_ratio_min_deals} won deals).",
    ),
    "fc_new_pipeline_needed": (
        "按一阶段历史赢单率与中位销售周期，在本年内弥补缺口所需的一阶段商机金额；年内剩余时间不足以让新商机带来收入时为空。",
        "The stage-1 value that, at the historical win rate from stage 1 and the median cycle time, would close the "
        "gap this year; null when the year has too little time left for a new opportunity to pay.",
    ),
    "fc_expected_revenue": (
        "本年预期收入 = p(o) × 年综合收益 × m(o) ÷ 12。",
        "p(o) × annual_value × m(o) / 12.",
    ),
    "fc_forecast_if_lost": (
        "若依次丢失这些重点商机（其本年预期收入归零）后的年末预测。",
        "forecast_expected with these key deals lost (their expected revenue this year removed).",
    ),
    "cal_observed_interval": (
        "实际赢单率的 95% 抽样区间（Wilson）：预测概率落在区间内，说明该组校准良好。同一商机在多个回测日各评一次、结果相同，"
        "故区间按其代表的商机数（预测数 × 商机数 / 预测总数）计算，而非按预测数。",
        "The observed win rate's 95 % sampling interval (Wilson): a bucket whose predicted probability lies "
        "inside it is calibrated. A deal scored at several backtest dates has the same outcome at each, so the "
        "interval counts the deals the predictions stand for (predictions × deals / all predictions), not every "
        "prediction.",
    ),
    "cal_brier": (
        "Brier 分数 = 回测中赢单概率与实际结果（赢=1，否=0）之差的平方均值，越低越好。",
        "Brier score = mean of (p(o) − outcome)², outcome 1 if won else 0, over the backtest; lower is better.",
    ),
    "cal_baseline": (
        "只用阶段赢单率（不按分类、产品细分）作为概率时的 Brier 分数。",
        "The Brier score of the naive baseline: stage-only rates.",
    ),
    "cal_skill": (
        "改进 = 1 − 校准 Brier ÷ 基线 Brier；正数表示优于基线。",
        "skill = 1 − brier_score / brier_baseline; positive beats the baseline.",
    ),
    "cal_mape": (
        "冻结预测（截至某月的累计收入）与其后到达的实际收入之差的绝对值 ÷ 实际收入，取平均。",
        "Mean of |actual − frozen expected| / actual over frozen forecasts whose month has since been loaded.",
    ),
    "cal_bias": (
        "偏差 = Σ(实际 − 预测) ÷ Σ实际；正数表示预测偏低。",
        "bias = Σ (actual − expected) / Σ actual; positive means the forecasts were too low.",
    ),
    "cal_coverage": (
        "实际收入落入冻结时 P10–P90 区间的比例；区间可信时约为 80%。",
        "Share of frozen forecasts whose actual fell inside their P10–P90 band; about 80% if the band is honest.",
    ),
}
