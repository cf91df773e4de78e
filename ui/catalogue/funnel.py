"""Labels and metric definitions of the funnel area: 漏斗分析, 阶段时长, 商机明细, 问题商机, 流程质量.

Help texts are worded as docs/metrics.md (Classes, Stage reached, Funnel, Stage
duration, Problem opportunities, Data quality of the process, Opportunity explorer).
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # pages
    "page_funnel": ("漏斗分析", "Funnel"),
    "page_durations": ("阶段时长", "Stage durations"),
    "page_explorer": ("商机明细", "Opportunity explorer"),
    "page_problems": ("问题商机", "Problem opportunities"),
    "page_process": ("流程质量", "Process quality"),
    # stages, statuses, classes, origins, labels
    "stage_0": ("0 制定客户计划", "0 Account plan"),
    "stage_1": ("1 挖掘商机", "1 Discover"),
    "stage_2": ("2 确认需求", "2 Confirm need"),
    "stage_3": ("3 确认方案", "3 Agree solution"),
    "stage_4": ("4 确认合同", "4 Contract"),
    "stage_5": ("5 配合实施", "5 Implement"),
    "stage_won": ("赢单", "Won"),
    "status_open": ("跟进中", "open"),
    "status_won": ("赢单", "won"),
    "status_lost": ("丢单", "lost"),
    "status_terminated": ("中止", "terminated"),
    "class_major": ("重大商机", "Major"),
    "class_important": ("重要商机", "Important"),
    "class_ordinary_1": ("I类普通商机", "Ordinary I"),
    "class_ordinary_2": ("II类普通商机", "Ordinary II"),
    "class_small": ("小额商机", "Small"),
    "origin_mined": ("挖掘商机", "mined"),
    "origin_dispatched": ("派单商机", "dispatched"),
    "label_is_key": ("重点", "key"),
    "label_is_competitive": ("竞争", "competitive"),
    "label_is_terminated": ("终止", "terminated"),
    "label_is_abnormal": ("异常", "abnormal"),
    "label_is_problem": ("问题商机", "problem"),
    "segment_none": ("（未填写）", "(not given)"),
    # dimensions of the breakdown
    "dim_product": ("产品", "Product"),
    "dim_industry": ("行业", "Industry"),
    "dim_campaign": ("营销活动", "Campaign"),
    "dim_branch": ("分局", "Branch"),
    "dim_origin": ("来源（挖掘/派单）", "Origin (mined/dispatched)"),
    "dim_class": ("商机分类", "Class"),
    # columns
    "col_segment": ("细分", "Segment"),
    "col_stage": ("阶段", "Stage"),
    "col_status": ("状态", "Status"),
    "col_class": ("分类", "Class"),
    "col_labels": ("标签", "Labels"),
    "col_reasons": ("问题原因", "Problem reasons"),
    "col_campaign": ("营销活动", "Campaign"),
    "col_origin": ("来源", "Origin"),
    "col_created_date": ("建档日期", "Created"),
    "col_closed_date": ("关闭日期", "Closed"),
    "col_max_stage": ("到达最高阶段", "Max stage"),
    "col_reached": ("到达数", "Reached"),
    "col_reached_value": ("到达金额（万元）", "Reached value (10k CNY)"),
    "col_conversion": ("转化率", "Conversion"),
    "col_cohort": ("队列商机数", "Cohort"),
    "col_won": ("赢单数", "Won"),
    "col_closed": ("已关闭数", "Closed"),
    "col_win_rate_cohort": ("队列赢单率", "Cohort win rate"),
    "col_win_rate_closed": ("关闭赢单率", "Win rate of closed"),
    "col_weakest_step": ("最弱环节", "Weakest step"),
    "col_median_days": ("中位天数", "Median days"),
    "col_p90_days": ("P90天数", "P90 days"),
    "col_stale_days": ("停滞阈值（天）", "Stale threshold (days)"),
    "col_ended_stints": ("已结束停留数", "Ended stints"),
    "col_open_stints": ("在途停留数", "Open stints"),
    "col_open_median_age": ("在途停留中位天数", "Open stints: median age"),
    "col_open_max_age": ("在途停留最长天数", "Open stints: oldest"),
    "col_stale_count": ("停滞数", "Stale"),
    "col_stint_age": ("当前阶段停留天数", "Days in stage"),
    "col_stint_entered": ("进入当前阶段", "Entered stage"),
    "col_period": ("月份", "Month"),
    "col_changes": ("阶段变更数", "Stage changes"),
    "col_opportunities": ("商机数", "Opportunities"),
    "col_skipped_stages": ("跳阶段", "Skipped stages"),
    "col_backward_moves": ("阶段回退", "Backward moves"),
    "col_skipped_share": ("跳阶段占比", "Skipped share"),
    "col_backward_share": ("回退占比", "Backward share"),
    "col_problem_count": ("问题商机数", "Problems"),
    "col_key_problem_count": ("其中重点", "of which key"),
    "col_value_at_risk": ("风险金额（万元）", "Value at risk (10k CNY)"),
    "col_slipped_before": ("曾延期", "Slipped before"),
    "col_value": ("金额（万元）", "Value (10k CNY)"),
    "col_open_value": ("在途金额（万元）", "Open value (10k CNY)"),
    "col_open_count": ("在途数", "Open"),
    "col_key": ("重点", "Key"),
    "col_competitive": ("竞争", "Competitive"),
    "col_terminated": ("终止", "Terminated"),
    "col_abnormal": ("异常", "Abnormal"),
    "col_date": ("日期", "Date"),
    "col_change": ("变更", "Change"),
    "col_type": ("类型", "Type"),
    "col_staff": ("人员", "Staff"),
    "col_request": ("需求编号", "Request"),
    "col_requested": ("提出日期", "Requested"),
    "col_resolved": ("解决日期", "Resolved"),
    "col_still_open": ("未解决", "Unresolved"),
    "col_contract": ("合同编号", "Contract"),
    "col_signed": ("签约日期", "Signed"),
    "col_amount": ("金额（万元）", "Amount (10k CNY)"),
    "col_term": ("期限（月）", "Term (months)"),
    "col_fee_item": ("费用项", "Fee item"),
    "col_snapshot": ("快照日期", "Snapshot"),
    "col_last_activity": ("最近活动", "Last activity"),
    # funnel page
    "funnel_period": (
        "队列：{start} 至 {end} 建档的商机（可在侧栏选择建档日期区间）",
        "Cohort: opportunities created {start} … {end} (choose the period in the sidebar)",
    ),
    "funnel_chart": ("各阶段到达数与赢单", "Reached per stage, and won"),
    "funnel_stage_table": ("阶段转化", "Stage conversion"),
    "funnel_breakdown": (
        "分维度转化（找出各细分的薄弱环节）",
        "Conversion by segment (the weak step stands out)",
    ),
    "funnel_dimension": ("维度", "Dimension"),
    "funnel_heatmap": ("各阶段转化率", "Conversion per step"),
    "funnel_drill": ("阶段背后的商机", "The opportunities behind a stage"),
    "funnel_drill_hint": (
        "点击漏斗的某一阶段或热力图的某一格，或在下方选择，列出其背后的商机。",
        "Click a funnel stage or a heatmap cell, or choose below, to list the opportunities behind it.",
    ),
    "funnel_drill_stage": ("到达阶段", "Reached stage"),
    "funnel_drill_segment": ("细分", "Segment"),
    "funnel_drill_count": ("共 {n} 个商机", "{n} opportunities"),
    "funnel_open_story": ("查看商机故事", "Open the story of"),
    "funnel_open_link": ("在商机明细中打开", "Open in the explorer"),
    "choose": ("请选择", "Choose"),
    # durations page
    "durations_period": (
        "统计 {start} 至 {end} 结束的阶段停留；在途停留截至数据日期",
        "Stints that ended {start} … {end}; open stints as of the data date",
    ),
    "durations_chart": (
        "各阶段停留天数（中位数 / P90）与停滞阈值",
        "Days per stage (median / p90) and the stale threshold",
    ),
    "durations_trend": ("按月变化：流程是否在加快？", "By month: is the process getting faster?"),
    "durations_trend_measure": ("指标", "Measure"),
    "durations_longest": ("各阶段停留最久的在途商机", "Open deals sitting longest in each stage"),
    "durations_no_open": ("该阶段没有在途商机。", "No open deal in this stage."),
    # explorer page
    "explorer_search": ("搜索（编号、名称、客户、客户经理）", "Search (id, name, customer, owner)"),
    "explorer_status": ("状态", "Status"),
    "explorer_labels": ("须带有标签", "Must carry labels"),
    "explorer_sort": ("排序", "Sort by"),
    "sort_default": ("重点优先，按金额", "Key first, by value"),
    "sort_value": ("金额从高到低", "Value, highest first"),
    "sort_created": ("建档日期从新到旧", "Created, newest first"),
    "sort_expected_close": ("预计签约日期从早到晚", "Expected close, earliest first"),
    "sort_stint_age": ("当前阶段停留最久", "Longest in current stage"),
    "explorer_count": ("共 {n} 个商机（范围内合计 {total} 个）", "{n} opportunities ({total} in scope)"),
    "explorer_list_top": (
        "表中列出前 {shown:,} 个；请用搜索和筛选缩小范围，或导出。",
        "The table lists the first {shown:,}; narrow it with search and filters, or export.",
    ),
    "explorer_export_top": (
        "导出最多 {rows:,} 行（按当前排序的前 {rows:,} 个）。",
        "The export holds at most {rows:,} rows (the first {rows:,} in the current order).",
    ),
    "explorer_no_match": ("没有符合搜索和筛选条件的商机。", "No opportunity matches the search and filters."),
    "explorer_export": ("导出 Excel", "Export to Excel"),
    "explorer_open_id": ("按商机编号打开", "Open by opportunity id"),
    "explorer_open": ("打开", "Open"),
    "explorer_select_hint": ("在表格中选中一行即可查看该商机的全过程。", "Select a row to open its story."),
    "story_title": ("商机故事", "Opportunity story"),
    "story_not_found": (
        "未找到该商机，或不在您的查看范围内。",
        "Opportunity not found or not in your scope.",
    ),
    "story_back": ("返回列表", "Back to the list"),
    "story_stages": ("阶段变化", "Stage changes"),
    "story_snapshots": ("各期快照（金额与预计签约日期）", "Snapshots (value and expected close)"),
    "story_activities": ("跟进活动", "Activities"),
    "story_support": ("支撑需求", "Support requests"),
    "story_contracts": ("合同", "Contracts"),
    "story_revenue": ("收入（按帐期）", "Revenue by period"),
    "story_nothing": ("无记录。", "Nothing recorded."),
    "story_stage_chart": ("阶段随时间变化", "Stage over time"),
    # problems page
    "problems_by_owner": ("按客户经理", "By owner"),
    "problems_by_team": ("按团队", "By team"),
    "problems_list": ("问题商机清单（重点优先，按金额）", "Problem list (key first, by value)"),
    "problems_list_top": (
        "列出前 {shown:,} 条，共 {total:,} 条；完整清单请在“商机明细”按问题筛选后导出。",
        "Showing the first {shown:,} of {total:,}; for all of them, filter the explorer by problem and export.",
    ),
    "problems_none": ("当前筛选范围内没有问题商机。", "No problem opportunities in the current filters."),
    "value_at_risk": ("风险金额", "Value at risk"),
    "key_problem_count": ("重点问题商机", "Key problem opportunities"),
    # process page
    "process_period": (
        "统计 {start} 至 {end} 建档的商机（与漏斗同一队列）截至数据日期的全部阶段变更",
        "Every stage change up to the data date of the opportunities created {start} … {end} (the funnel's cohort)",
    ),
    "process_chart": ("各团队跳阶段与回退", "Skipped stages and backward moves per team"),
    "process_by_team": ("按团队", "By team"),
    "process_by_owner": ("按客户经理", "By owner"),
    "changes": ("阶段变更", "Stage changes"),
    "skipped_stages": ("跳阶段", "Skipped stages"),
    "backward_moves": ("阶段回退", "Backward moves"),
    # shared on these pages
    "cohort": ("队列商机数", "Cohort"),
    "won": ("赢单", "Won"),
    "won_value": ("赢单金额（万元）", "Won value (10k CNY)"),
    "closed": ("已关闭", "Closed"),
    "win_rate_cohort": ("队列赢单率", "Cohort win rate"),
    "win_rate_closed": ("关闭赢单率", "Win rate of closed"),
}

HELP: dict[str, tuple[str, str]] = {
    "max_stage": (
        "到达最高阶段：商机已知到达过的最高阶段（0–4），取自阶段变更记录和所持有的每一期快照；赢单即视为到达阶段4。"
        "跳过的阶段视为经过：到达3即到达过0、1、2。",
        "max_stage(o) = the highest stage 0–4 that o is known to have reached, from stage_history and every "
        "snapshot held; a won opportunity has reached 4. A skipped stage counts as passed through.",
    ),
    "cohort": (
        "队列：所选区间内（默认为数据日期前{setting.funnel_months}个月）新建的商机；即 reached[0]。",
        "Cohort: opportunities created in [start, end] (default: the {setting.funnel_months} months up to as_of); "
        "= reached[0].",
    ),
    "reached": (
        "到达数 reached[k]：队列中到达最高阶段 ≥ k 的商机数；金额为其年综合收益合计。",
        "reached[k] = count with max_stage ≥ k; the value is Σ annual_value beside it.",
    ),
    "conversion": (
        "转化率 conversion[k] = reached[k+1] ÷ reached[k]；阶段4为 赢单数 ÷ reached[4]。分母为0时为空。",
        "conversion[k] = reached[k+1] / reached[k] (for k = 4: won / reached[4]); empty when the denominator is 0.",
    ),
    "won": ("赢单：队列中状态为赢单的商机数（及金额）。", "won = count won in the cohort (and its value)."),
    "closed": (
        "已关闭 = 赢单 + 丢单 + 中止（队列中已关闭的商机）。",
        "closed = won + lost + terminated among the cohort.",
    ),
    "win_rate_cohort": ("队列赢单率 = 赢单数 ÷ reached[0]。", "win_rate_cohort = won / reached[0]."),
    "win_rate_closed": (
        "关闭赢单率 = 赢单数 ÷ 已关闭数（队列中已关闭者）。",
        "win_rate_closed = won / closed among the cohort's closed ones.",
    ),
    "weakest_step": (
        "最弱环节：该细分中转化率最低（且低于100%）的一步。",
        "The step with the segment's lowest conversion (below 100%).",
    ),
    "opportunity_class": (
        "分类（依次判断，先符合者为准）：重大 = 年综合收益 ≥ {setting.class_major_min:wan}或具示范效应；"
        "重要 = 转型业务且 {setting.class_important_min:wan} ≤ 收益 < {setting.class_major_min:wan}，或具行业影响力；"
        "I类普通 = {setting.class_ordinary1_min:wan} ≤ 收益 < {setting.class_major_min:wan}；"
        "II类普通 = {setting.class_ordinary2_min:wan} ≤ 收益 < {setting.class_ordinary1_min:wan}，"
        "或一次成交用户数 > {setting.class_ordinary2_users}；其余为小额。",
        "Evaluated in order, first match wins: major = annual_value ≥ {setting.class_major_min:wan} or "
        "demonstration; important = transformation and {setting.class_important_min:wan} ≤ value < "
        "{setting.class_major_min:wan}, or influence; ordinary_1 = {setting.class_ordinary1_min:wan} ≤ value < "
        "{setting.class_major_min:wan}; ordinary_2 = {setting.class_ordinary2_min:wan} ≤ value < "
        "{setting.class_ordinary1_min:wan} or user_count > {setting.class_ordinary2_users}; small = everything else.",
    ),
    "labels": (
        "管理标签（可并存）：重点 = 重点标记、重大商机，或全公司在途商机按年综合收益前{setting.key_top_share:.0%}（与查看者无关）；"
        "竞争 = 有竞争对手；终止 = 状态中止；异常 = 异常标记。",
        "Not exclusive: key = key_flag, or class major, or among the top {setting.key_top_share:.0%} of open "
        "opportunities by annual_value "
        "company-wide; competitive = competitor given; terminated = status terminated; abnormal = abnormal flag.",
    ),
    "problem_reasons": (
        "问题原因（仅在途商机）：逾期 = 预计签约日期早于数据日期超过{setting.overdue_grace_days}天；"
        "停滞 = 当前阶段停留超过该阶段阈值（p90的{setting.stale_p90_factor:g}倍）；"
        "无跟进 = 近{setting.idle_days}天无活动；异常 = 异常标记。",
        "Open and any of: overdue (expected_close_date more than {setting.overdue_grace_days} days before as_of); "
        "stale (over {setting.stale_p90_factor:g} × the stage's p90); idle (no activity in the last "
        "{setting.idle_days} days); abnormal.",
    ),
    "slip_count": (
        "延期次数：所持有的各期快照中，预计签约日期被推后的次数；曾延期的商机往往再次延期。",
        "slip_count = how many times the expected close date moved later across the snapshots held.",
    ),
    "median_days": (
        "中位天数：在所选区间内结束的该阶段停留（从进入该阶段到下一次阶段或状态变化）的天数中位数。",
        "median_days over stints (entering k → next change of stage or status) that ended in the window.",
    ),
    "p90_days": (
        "P90天数：在所选区间内结束的该阶段停留天数的第90百分位数。",
        "p90_days over stints that ended in the window.",
    ),
    "stale_days": (
        "停滞阈值 stale_days[k]：全公司该阶段近{setting.stale_window_days}天内结束的停留的P90的"
        "{setting.stale_p90_factor:g}倍，至少{setting.stale_min_days}天（与查看者无关）。",
        "stale_days[k] = {setting.stale_p90_factor:g} × the stage's p90 (stints ended in the last "
        "{setting.stale_window_days} days, company-wide), at least {setting.stale_min_days} days.",
    ),
    "open_stints": (
        "在途停留：在途商机当前所处阶段的停留，及其至今天数。",
        "open_stints: the current stints of open opportunities, with their current age.",
    ),
    "stale": (
        "停滞：在途商机当前阶段停留天数超过该阶段停滞阈值。",
        "stale: an open opportunity whose current stint is older than stale_days[k].",
    ),
    "skipped_stages": (
        "跳阶段：一次变更跳过一个或多个阶段（赢单视为进入阶段4：3→赢单不算跳过，2→赢单算）。",
        "skipped_stages = changes that jump over one or more stages (a win enters stage 4).",
    ),
    "backward_moves": ("阶段回退：变更到更低的阶段。", "backward_moves = changes to a lower stage."),
    "changes": (
        "阶段变更：队列商机截至数据日期的阶段或状态变更（不含新建）。",
        "Stage or status changes of the cohort up to as_of (creation excluded).",
    ),
    "value_at_risk": (
        "风险金额：问题商机的年综合收益合计。",
        "value_at_risk = Σ annual_value of the problem opportunities.",
    ),
}
