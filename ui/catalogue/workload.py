"""Labels and metric definitions of the account-manager area: 客户经理, 团队, 我的商机.

Keys start with ``wl_`` so this area never collides with another's.  Help
texts are worded as docs/metrics.md, Workload and capability per account manager
(W = the workload_window_weeks up to as_of, T = the trailing_months up to as_of;
texts that name a setting's value write ``{setting.NAME}``, see ui/catalogue/__init__.py).
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # pages
    "wl_section": ("销售队伍", "Sales force"),
    "page_workload": ("客户经理", "Account managers"),
    "page_team": ("团队", "Team"),
    "page_my_pipeline": ("我的商机", "My pipeline"),
    "wl_windows": (
        "窗口 W：{w_from} 至 {as_of}（{weeks} 周）；T：{t_from} 至 {as_of}",
        "Window W: {w_from} to {as_of} ({weeks} weeks); T: {t_from} to {as_of}",
    ),
    "wl_empty": (
        "当前范围和筛选下没有客户经理的数据。",
        "No account-manager data in this scope and these filters.",
    ),
    # scorecard columns
    "wl_owner": ("客户经理", "Account manager"),
    "wl_team": ("团队（当时）", "Team (at the time)"),
    "wl_open_count": ("在途商机", "Open"),
    "wl_open_value": ("在途金额（万元）", "Open value (10k CNY)"),
    "wl_key_open": ("重点在途", "Key open"),
    "wl_new_mined": ("新挖掘", "New mined"),
    "wl_new_dispatched": ("新派单", "New dispatched"),
    "wl_activities": ("活动数", "Activities"),
    "wl_activities_per_week": ("周均活动", "Activities / week"),
    "wl_won_count": ("赢单数", "Won"),
    "wl_won_value": ("赢单金额（万元）", "Won value (10k CNY)"),
    "wl_lost_count": ("丢单数", "Lost"),
    "wl_closed_count": ("关闭数", "Closed"),
    "wl_win_rate": ("赢单率", "Win rate"),
    "wl_win_rate_adjusted": ("调整赢单率", "Adjusted win rate"),
    "wl_win_rate_low": ("区间下限", "Interval low"),
    "wl_win_rate_high": ("区间上限", "Interval high"),
    "wl_team_rate": ("团队赢单率", "Team win rate"),
    "wl_capability_rank": ("能力排名", "Rank"),
    "wl_sample": ("样本", "Sample"),
    "wl_too_few": ("样本不足", "too few deals"),
    "wl_vs_team": ("与团队相比", "vs team"),
    "wl_vs_above": ("高于团队", "above team"),
    "wl_vs_below": ("低于团队", "below team"),
    "wl_vs_within": ("无显著差异", "within"),
    "wl_median_cycle_days": ("成交周期中位数（天）", "Median cycle (days)"),
    "wl_stale": ("停滞", "Stale"),
    "wl_overdue": ("逾期", "Overdue"),
    "wl_support_open": ("待响应支撑", "Open support"),
    "wl_target": ("目标（万元）", "Target (10k CNY)"),
    "wl_won_value_ytd": ("本年赢单（万元）", "Won YTD (10k CNY)"),
    "wl_target_attainment": ("目标完成率", "Target attainment"),
    "wl_coverage": ("覆盖率", "Coverage"),
    "wl_pipeline_expected": ("本年预期赢单（万元）", "Expected to win this year (10k CNY)"),
    "wl_open_expected_value": ("在途预期价值（万元）", "Open expected value (10k CNY)"),
    "wl_remaining_target": ("剩余目标（万元）", "Remaining target (10k CNY)"),
    "wl_late_registered_share": ("藏单信号", "Late-registered share"),
    "wl_late_registered_flag": ("藏单显著偏高", "Hidden-order flag"),
    "wl_team_late_registered_share": ("团队藏单信号", "Team late-registered share"),
    "wl_median_suffix": ("（团队中位）", " (team median)"),
    "wl_team_median": ("团队中位数", "Team median"),
    "wl_show_medians": ("在每个指标旁显示团队中位数", "Show the team median beside each figure"),
    "wl_export": ("导出 Excel", "Export to Excel"),
    "wl_sort_by": ("排序（全部客户经理）", "Order (all managers)"),
    "wl_sort_default": ("按团队、能力排名", "By team and capability rank"),
    "wl_descending": ("从高到低", "Highest first"),
    "wl_page": ("页码（共 {pages} 页）", "Page (of {pages})"),
    "wl_rows_shown": (
        "显示第 {first}–{last} 位，共 {total} 位客户经理；图表和导出包含全部。",
        "Managers {first}–{last} of {total}; the charts and the export cover them all.",
    ),
    # workload page sections
    "wl_ranking": ("客户经理排名", "Ranking of account managers"),
    "wl_ranking_measure": ("排名依据", "Rank by"),
    "wl_measure_win_rate_adjusted": ("调整赢单率（能力）", "Adjusted win rate (capability)"),
    "wl_measure_activities_per_week": ("周均活动（投入）", "Activities per week (effort)"),
    "wl_measure_coverage": ("目标覆盖率", "Target coverage"),
    "wl_ranking_top": ("▲ 前 {n} 名", "▲ Top {n}"),
    "wl_ranking_bottom": ("▼ 后 {n} 名", "▼ Bottom {n}"),
    "wl_ranking_position": ("名次", "Rank"),
    "wl_ranking_interval": ("区间", "Interval"),
    "wl_ranking_shown": (
        "范围内 {ranked} 位参与排名，显示前 {top} 名与后 {bottom} 名。",
        "{ranked} managers ranked in this scope: the top {top} and the bottom {bottom} are shown.",
    ),
    "wl_ranking_all_shown": (
        "范围内 {ranked} 位参与排名，全部显示：较好的一半在前列，其余在后列。",
        "{ranked} managers ranked in this scope, all shown: the better half as top, the rest as bottom.",
    ),
    "wl_ranking_none": ("当前范围内没有可排名的客户经理。", "No manager in this scope can be ranked."),
    "wl_ranking_unranked": (
        "未参与排名 {n} 位（{reason}）：{names}",
        "Not ranked, {n} ({reason}): {names}",
    ),
    "wl_unranked_too_few_deals": (
        "样本不足：T内关闭商机少于{setting.win_rate_min_closed}个",
        "too few deals: fewer than {setting.win_rate_min_closed} closed in T",
    ),
    "wl_unranked_no_target": ("未导入个人目标", "no target loaded"),
    "wl_unranked_no_value": ("无数据", "no figure"),
    "wl_scatter_team": ("图中团队", "Team in the chart"),
    "wl_scatter_shown": (
        "显示 {team} 的 {n} 位客户经理（范围内共 {teams} 个团队，可在上方切换）。",
        "The {n} managers of {team} ({teams} teams in scope; switch above).",
    ),
    "wl_scatter_one": ("显示 {team} 的 {n} 位客户经理。", "The {n} managers of {team}."),
    "wl_more_columns": ("更多列", "More columns"),
    "wl_more_columns_placeholder": ("选择要加入表格的列", "Choose columns to add"),
    "wl_expected_attainment": ("预计完成率", "Expected attainment"),
    "wl_scorecard": ("客户经理工作量与能力", "Workload and capability"),
    "wl_scatter": ("投入与成效", "Effort against results"),
    "wl_scatter_caption": (
        "横轴：周均活动；纵轴：调整赢单率（竖线为区间）；气泡大小：在途金额；虚线：所示经理的中位数。",
        "x: activities per week; y: adjusted win rate (bars: interval); bubble: open value; "
        "dashed lines: medians of the managers shown.",
    ),
    "wl_hidden_orders": ("藏单信号", "Hidden orders (藏单)"),
    "wl_hidden_none": (
        "没有客户经理的藏单信号显著高于其团队。",
        "No manager's late-registered share is clearly above their team's.",
    ),
    "wl_targets": ("目标、赢单与覆盖", "Targets, wins and coverage"),
    "wl_no_targets": (
        "尚未导入个人目标，目标相关指标不显示。",
        "No personal targets loaded: target figures are not shown.",
    ),
    "wl_target_met": ("目标已完成", "target met"),
    "wl_targets_shown": (
        "按覆盖率由低到高显示 {n} 位（共 {total} 位有目标）：绿色为本年赢单，浅绿为本年预期赢单，竖线为目标；"
        "条形旁为预计完成率。",
        "The {n} lowest-covered of {total} managers with a target: green won this year, light green "
        "expected to win this year, bar the target; beside each bar its expected attainment.",
    ),
    # team page
    "wl_choose_team": ("团队", "Team"),
    "wl_members": ("成员对比", "Members side by side"),
    "wl_metric": ("指标", "Figure"),
    "wl_key_deals": ("重点商机", "Key opportunities"),
    "wl_no_key_deals": ("该团队没有在途重点商机。", "The team has no open key opportunities."),
    "wl_problem_deals": ("问题商机", "Problem opportunities"),
    "wl_no_problem_deals": ("该团队没有问题商机。", "The team has no problem opportunities."),
    "wl_support_waiting": ("待响应的支撑需求", "Support requests waiting for an answer"),
    "wl_no_support_waiting": ("没有待响应的支撑需求。", "No support request is waiting."),
    "wl_request": ("需求编号", "Request"),
    "wl_request_type": ("类型", "Type"),
    "wl_requested_date": ("提出日期", "Requested"),
    "wl_waited_days": ("已等待（天）", "Waited (days)"),
    "wl_opportunity_status": ("商机状态", "Deal status"),
    "wl_support_technical": ("技术", "technical"),
    "wl_support_resource": ("资源", "resource"),
    "wl_support_business": ("业务", "business"),
    "wl_p_win": ("赢单概率", "Win probability"),
    "wl_expected_value": ("预期价值（万元）", "Expected value (10k CNY)"),
    "wl_problem": ("问题原因", "Problems"),
    # my pipeline page
    "wl_choose_manager": ("客户经理", "Account manager"),
    "wl_no_manager": (
        "当前范围内没有可查看的客户经理。",
        "There is no account manager in your scope.",
    ),
    "wl_no_person_data": (
        "该客户经理在当前筛选下没有数据。",
        "This account manager has no data under the current filters.",
    ),
    "wl_plan": ("还需挖掘多少商机", "How many opportunities are still to mine"),
    "wl_coverage_gap": ("覆盖缺口（万元）", "Coverage gap (10k CNY)"),
    "wl_new_needed": ("还需新挖掘商机（个）", "New opportunities needed"),
    "wl_deal_size": ("平均单笔赢单（万元）", "Average won deal (10k CNY)"),
    "wl_deal_size_team": (
        "本人近{setting.trailing_months}个月无赢单，按团队平均单笔赢单计算。",
        "No own wins in T: the team's average won deal is used.",
    ),
    "wl_plan_no_target": ("未导入个人目标，无法计算缺口。", "No target loaded: no gap to compute."),
    "wl_plan_no_rate": (
        "缺少赢单率或平均单笔金额，无法估算所需商机数。",
        "No win rate or deal size to estimate from.",
    ),
    "wl_plan_late": (
        "按本人成交周期中位数 {cycle:.0f} 天，今年仅剩 {days} 天，现在新挖掘的商机多数来不及在年内签约。",
        "At a median cycle of {cycle:.0f} days with {days} days left, most opportunities mined now "
        "would not close this year.",
    ),
    "wl_book": ("客户名单中没有在途商机的客户", "Customers in the book with no open opportunity"),
    "wl_book_empty": (
        "名单中的每个客户都有在途商机。",
        "Every customer in the book has an open opportunity.",
    ),
    "wl_customer": ("客户", "Customer"),
    "wl_opportunities": ("历史商机数", "Opportunities"),
    "wl_last_won_date": ("最近赢单", "Last won"),
    "wl_last_closed_date": ("最近关闭", "Last closed"),
    "wl_last_activity_date": ("最近拜访/活动", "Last activity"),
}

HELP: dict[str, tuple[str, str]] = {
    "wl_team": (
        "每项数据计入发生时客户经理所在的团队（org_history）：新建商机按创建日期，关闭商机按关闭日期，活动按活动日期；"
        "在途商机、支撑需求、目标与本年赢单按现所在团队。调岗的客户经理在每个团队各有一行。",
        "Each figure is under the team the manager was in when it happened (org_history): new deals by "
        "created date, closed deals by closed date, activities by their date; open deals, support requests, "
        "target and won YTD under the team now. A manager who moved team has a row per team.",
    ),
    "wl_open_count": ("数据日期时状态为跟进中的商机数。", "open_count: opportunities open at as_of."),
    "wl_open_value": ("在途商机的年综合收益合计。", "open_value: Σ annual_value of open opportunities."),
    "wl_key_open": (
        "在途重点商机数（重点：管理层标记、重大商机，或全公司在途商机按金额前{setting.key_top_share:.0%}）。",
        "key_open: open opportunities labelled key (key_flag, class major, or top {setting.key_top_share:.0%} "
        "company-wide).",
    ),
    "wl_new_mined": ("窗口W内新建的挖掘商机数。", "new_mined: opportunities created in W with origin mined."),
    "wl_new_dispatched": (
        "窗口W内新建的派单商机数。",
        "new_dispatched: opportunities created in W with origin dispatched.",
    ),
    "wl_activities": (
        "窗口W内客户经理本人的营销活动数（有商机编号的活动关联到该商机并随筛选，客户级活动只计入本人）。",
        "activities: the manager's activities in W (tied to their opportunity when the file names one).",
    ),
    "wl_activities_per_week": (
        "周均活动 = W内活动数 ÷ W的周数。",
        "activities_per_week = activities / weeks in W.",
    ),
    "wl_won_count": ("窗口T内赢单的商机数。", "won_count: opportunities won in T."),
    "wl_won_value": (
        "窗口T内赢单商机的年综合收益合计。",
        "won_value: Σ annual_value of opportunities won in T.",
    ),
    "wl_lost_count": ("窗口T内丢单的商机数。", "lost_count: opportunities lost in T."),
    "wl_closed_count": (
        "窗口T内关闭的商机数（赢单+丢单+中止）。",
        "closed: opportunities closed in T (won + lost + terminated).",
    ),
    "wl_win_rate": ("赢单率 = T内赢单 ÷ T内关闭。", "win_rate = won / closed in T."),
    "wl_win_rate_adjusted": (
        "调整赢单率 = (赢单 + w×团队赢单率) ÷ (关闭 + w)，w = {setting.win_rate_prior_weight}：关闭商机少的客户经理"
        "向团队水平收缩，不会因运气排在最前或最后。区间为按 关闭+w 计算的Wilson区间"
        "（{setting.win_rate_interval_level:.0%}）。",
        "win_rate_adjusted = (won + w·team_rate) / (closed + w), w = {setting.win_rate_prior_weight}, so a manager "
        "with three deals is not ranked first or last by luck; the interval is a Wilson interval on closed + w "
        "deals ({setting.win_rate_interval_level:.0%}).",
    ),
    "wl_team_rate": (
        "团队赢单率：该团队T内全部关闭商机的赢单率（不随查看者和筛选变化）。",
        "team_rate: won / closed over all the team's deals closed in T (the same for every viewer and filter).",
    ),
    "wl_capability_rank": (
        "按调整赢单率排名；T内关闭商机少于{setting.win_rate_min_closed}个的客户经理标为“样本不足”，不参与排名。",
        "Rank by win_rate_adjusted; managers with fewer than {setting.win_rate_min_closed} closed deals in T are "
        "marked "
        "'too few deals' and not ranked.",
    ),
    "wl_vs_team": (
        "区间整体高于或低于团队赢单率时才判定高于/低于团队，否则为无显著差异。",
        "above / below only when the whole interval is above / below the team rate; otherwise within.",
    ),
    "wl_median_cycle_days": (
        "T内赢单商机从创建到赢单天数的中位数。",
        "median_cycle_days: median days from created to won over wins in T.",
    ),
    "wl_stale": (
        "停滞的在途商机数：当前阶段停留超过该阶段p90的{setting.stale_p90_factor:g}倍"
        "（至少{setting.stale_min_days}天），与问题商机同一定义。",
        "stale: open opportunities whose current stint is older than {setting.stale_p90_factor:g} × the stage's "
        "p90 (at least {setting.stale_min_days} days), "
        "as in Problem opportunities.",
    ),
    "wl_overdue": (
        "逾期的在途商机数：预计签约日期早于数据日期超过{setting.overdue_grace_days}天。",
        "overdue: open opportunities with expected_close_date more than {setting.overdue_grace_days} days "
        "before as_of.",
    ),
    "wl_support_open": (
        "数据日期时尚未完成的支撑需求数（按需求所属在途商机的客户经理计；已关闭商机上的不计，另列为数据问题）。",
        "support_open: support requests not resolved at as_of on the manager's open opportunities (those on "
        "closed deals are a data question, listed apart).",
    ),
    "wl_target": (
        "本年个人目标（计划赢单的年综合收益）。",
        "target: this year's personal target (annual value to win).",
    ),
    "wl_won_value_ytd": (
        "本年1月1日至数据日期赢单商机的年综合收益合计。",
        "won_value_ytd: Σ annual_value of opportunities won from 1 January to as_of.",
    ),
    "wl_target_attainment": ("目标完成率 = 本年赢单 ÷ 目标。", "target_attainment = won_value_ytd / target."),
    "wl_coverage": (
        "覆盖率 = 在途商机本年预期赢单 ÷ 剩余目标（目标 − 本年赢单）；预期赢单 = Σ 赢单概率p(o) × 年综合收益，"
        "计入预计年底前签约的在途商机（逾期或无日期按现在计）。",
        "coverage = open pipeline_expected / remaining target (target − won_value_ytd); pipeline_expected "
        "= Σ p(o) × annual_value over open deals expected to close by 31 December (overdue or undated: now).",
    ),
    "wl_pipeline_expected": (
        "Σ 赢单概率p(o) × 年综合收益，计入预计年底前签约的在途商机（逾期或无日期按现在计）。",
        "Σ p(o) × annual_value over open deals expected to close by 31 December (overdue or undated: now).",
    ),
    "wl_open_expected_value": (
        "Σ 赢单概率p(o) × 年综合收益，全部在途商机。",
        "Σ p(o) × annual_value over all open opportunities.",
    ),
    "wl_late_registered_share": (
        "藏单信号 = T内赢单中，创建后{setting.late_registered_days}天内即赢单、或首次出现时已在阶段"
        "{setting.late_registered_stage}及以后的比例。",
        "late_registered_share = the share of wins in T created {setting.late_registered_days} days or less "
        "before being won, or first seen at stage {setting.late_registered_stage} or later.",
    ),
    "wl_late_registered_flag": (
        "至少{setting.late_registered_min_count}笔藏单，且藏单信号的Wilson区间下限高于团队的藏单信号："
        "显著高于团队，而非偶然。",
        "At least {setting.late_registered_min_count} late-registered wins, and the lower bound of the manager's "
        "late-registered share above the team's share: far above, not luck.",
    ),
    "wl_remaining_target": (
        "剩余目标 = max(目标 − 本年赢单, 0)。",
        "remaining target = max(target − won_value_ytd, 0).",
    ),
    "wl_expected_attainment": (
        "预计完成率 = (本年赢单 + 本年预期赢单) ÷ 目标：目标图中条形末端相对目标线的位置，即条形旁的数字。"
        "覆盖率只衡量剩余目标，目标将近完成而无在途商机时为0%。",
        "expected_attainment = (won_value_ytd + pipeline_expected) / target: where the targets chart's bar ends "
        "against the target line, the number beside the bar. Coverage measures the remaining target only and "
        "is 0% for a nearly met target with no pipeline.",
    ),
    "wl_ranking": (
        "按所选依据对查看范围内的客户经理（按团队分行）排名，显示前列与后列。调整赢单率：T内关闭商机少于"
        "{setting.win_rate_min_closed}个的不参与排名（样本不足，单独列出），区间为Wilson区间"
        "（{setting.win_rate_interval_level:.0%}）；周均活动：W内本人营销活动÷周数；目标覆盖率：本年预期赢单÷剩余目标，"
        "目标已完成者排在最前，未导入目标者不参与排名。并列按工号排序。",
        "The managers in your scope (a row per team) ordered by the measure chosen, top and bottom shown. "
        "Adjusted win rate: managers with fewer than {setting.win_rate_min_closed} closed deals in T are not "
        "ranked (too few deals, listed apart); the interval is a Wilson interval "
        "({setting.win_rate_interval_level:.0%}). Activities per week: the manager's activities in W per week. "
        "Target coverage: pipeline_expected / remaining target; a met target ranks first, no target is not "
        "ranked. Ties by staff id.",
    ),
    "wl_scatter": (
        "每个气泡是一位客户经理：横轴周均活动（投入），纵轴调整赢单率（成效），竖线为区间，气泡面积为在途金额；"
        "空心气泡为样本不足。一次显示一个团队。",
        "Each bubble is a manager: activities per week (effort) against the adjusted win rate (results), the "
        "bar its interval, the area its open value; hollow: too few deals. One team at a time.",
    ),
    "wl_hidden_orders": (
        "藏单信号显著高于本团队的客户经理（定义见“藏单显著偏高”）。",
        "Managers whose late-registered share is far above their team's (see the hidden-order flag).",
    ),
    "wl_targets": (
        "覆盖率最低的客户经理：深绿为本年赢单，浅绿为本年预期赢单，竖线为目标；条形旁为预计完成率"
        "（本年赢单+本年预期赢单）÷目标。",
        "The managers with the lowest coverage: won this year, then expected this year, the line the target; "
        "beside each bar its expected attainment (won + expected) / target.",
    ),
    "wl_coverage_gap": (
        "覆盖缺口 = max(剩余目标 − 本年预期赢单, 0)。",
        "coverage gap = max(remaining target − pipeline_expected, 0).",
    ),
    "wl_new_needed": (
        "还需新挖掘商机 = 覆盖缺口 ÷ (本人调整赢单率 × 平均单笔赢单)，向上取整。",
        "new opportunities needed = coverage gap / (own win_rate_adjusted × average won deal), rounded up.",
    ),
    "wl_deal_size": (
        "平均单笔赢单 = T内赢单金额 ÷ 赢单数；本人无赢单时取团队的。",
        "average won deal = won_value / won_count in T; the team's when the manager has no wins.",
    ),
    "wl_waited_days": ("已等待 = 数据日期 − 提出日期。", "waited = as_of − requested date."),
    "wl_p_win": (
        "校准赢单概率p(o)：近{setting.probability_lookback_months}个月关闭商机中到达其当前阶段者的赢单比例，"
        "按分类与产品细分并向阶段比例收缩。",
        "p(o): the share won among deals closed in the trailing {setting.probability_lookback_months} months "
        "that reached o's stage, refined by "
        "segment with shrinkage toward the stage rate.",
    ),
}
