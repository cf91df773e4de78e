"""Labels and metric definitions of the weekly sales review, 周例会 (issue 15).

Keys start with ``wk_`` so this area never collides with another's.  Help texts
are worded as docs/metrics.md, Week-over-week movement (texts that name a
setting's value write ``{setting.NAME}``, see ui/catalogue/__init__.py).
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "page_weekly": ("周例会", "Weekly review"),
    "wk_snapshot_b": ("本期快照（B）", "Snapshot B (this week)"),
    "wk_snapshot_a": ("对比快照（A）", "Snapshot A (compared with)"),
    "wk_default": ("默认", "default"),
    "wk_pair": ("对比：{a} → {b}（{days} 天）", "Compared: {a} → {b} ({days} days)"),
    "wk_no_pair": (
        "至少需要两个快照才能对比；请选择更早的快照 A，或加载更多快照。",
        "Two snapshots are needed to compare: pick an older snapshot A, or load more snapshots.",
    ),
    "wk_a_after_b": ("快照 A 须早于快照 B。", "Snapshot A must be older than snapshot B."),
    # waterfall parts
    "wk_part_start": ("期初在途", "Open at A"),
    "wk_part_new": ("新增", "New"),
    "wk_part_reopened": ("重新打开", "Reopened"),
    "wk_part_increase": ("金额增加", "Value up"),
    "wk_part_decrease": ("金额减少", "Value down"),
    "wk_part_won": ("赢单", "Won"),
    "wk_part_lost": ("丢单", "Lost"),
    "wk_part_terminated": ("终止", "Terminated"),
    "wk_part_removed": ("导出中消失", "Removed"),
    "wk_part_end": ("期末在途", "Open at B"),
    "wk_part_unchanged": ("金额未变", "Value unchanged"),
    # labels
    "wk_label_new": ("新增", "new"),
    "wk_label_advanced": ("推进", "advanced"),
    "wk_label_regressed": ("倒退", "regressed"),
    "wk_label_slipped": ("延期", "slipped"),
    "wk_label_pulled_in": ("提前", "pulled in"),
    "wk_label_value_changed": ("金额变化", "value changed"),
    "wk_label_won": ("赢单", "won"),
    "wk_label_lost": ("丢单", "lost"),
    "wk_label_terminated": ("终止", "terminated"),
    "wk_label_removed": ("导出中消失", "removed"),
    "wk_label_reopened": ("重新打开", "reopened"),
    # headline and chart
    "wk_start_value": ("期初在途（万元）", "Open at A (10k CNY)"),
    "wk_end_value": ("期末在途（万元）", "Open at B (10k CNY)"),
    "wk_change_value": ("净变化（万元）", "Net change (10k CNY)"),
    "wk_labelled": ("有变化的商机", "Opportunities that moved"),
    "wk_waterfall": ("在途商机瀑布图", "Open-pipeline waterfall"),
    "wk_measure": ("度量", "Measure"),
    "wk_measure_value": ("金额（万元）", "Value (10k CNY)"),
    "wk_measure_count": ("个数", "Count"),
    "wk_bar": ("查看柱子背后的商机", "Deals behind a bar"),
    "wk_bar_hint": (
        "点击瀑布图的柱子，或在此选择，即列出其商机。",
        "Click a bar of the waterfall, or choose here, to list its deals.",
    ),
    "wk_rows": ("共 {n} 个商机，显示第 {first}–{last} 个", "{n} deals, showing {first}–{last}"),
    "wk_counts": ("各类变化的商机数", "Deals per movement"),
    # movement table
    "wk_table": ("商机变化明细", "Movement table"),
    "wk_filter_label": ("按变化筛选", "Filter by movement"),
    "wk_any_label": ("任一变化", "any movement"),
    "wk_sort": ("排序", "Sort by"),
    "wk_sort_value": ("金额", "value"),
    "wk_sort_change": ("对在途的影响", "effect on the open pipeline"),
    "wk_page_rows": ("每页行数", "Rows per page"),
    "wk_page": ("页码", "Page"),
    "wk_labels": ("变化", "Movements"),
    "wk_effect": ("对在途影响（万元）", "Effect on open (10k CNY)"),
    "wk_stage_a": ("阶段 A", "Stage A"),
    "wk_stage_b": ("阶段 B", "Stage B"),
    "wk_status_a": ("状态 A", "Status A"),
    "wk_status_b": ("状态 B", "Status B"),
    "wk_value_a": ("金额 A（万元）", "Value A (10k CNY)"),
    "wk_value_b": ("金额 B（万元）", "Value B (10k CNY)"),
    "wk_close_a": ("预计签约 A", "Expected close A"),
    "wk_close_b": ("预计签约 B", "Expected close B"),
    "wk_class_a": ("分类 A", "Class A"),
    "wk_class_b": ("分类 B", "Class B"),
    "wk_owner_a": ("客户经理 A", "Owner A"),
    "wk_owner_b": ("客户经理 B", "Owner B"),
    "wk_last_activity": ("最近活动", "Latest activity"),
    "wk_nothing_moved": ("这段时间内没有商机变化。", "Nothing moved between these snapshots."),
    # groups
    "wk_groups": ("按团队、客户经理、产品", "By team, owner and product"),
    "wk_by_team": ("按团队", "By team"),
    "wk_by_owner": ("按客户经理", "By owner"),
    "wk_by_product": ("按产品", "By product"),
    # key deals, removed deals
    "wk_key_deals": ("重点商机逐一过", "Key deals one by one"),
    "wk_key_highlight": (
        "⚠ 延期或倒退的重点商机排在最前。",
        "⚠ Key deals that slipped or regressed come first.",
    ),
    "wk_no_key_deals": ("A、B 两期都没有在途的重点商机。", "No key deal open at A or B."),
    "wk_highlighted": ("⚠", "⚠"),
    "wk_removed": (
        "导出中消失的在途商机（数据问题）",
        "Open deals missing from the export (a data question)",
    ),
    "wk_no_removed": ("没有在途商机从导出中消失。", "No open deal went missing from the export."),
    # why the forecast moved
    "wk_bridge": ("预测为何变化", "Why the forecast moved"),
    "wk_bridge_na": (
        "冻结的年末预测按分局×产品保存：团队或客户经理范围没有冻结预测，A、B 也须在同一年且都已冻结。",
        "Frozen year-end forecasts are kept per branch × product: a team or owner scope has none, and A and "
        "B must be in the same year and both frozen.",
    ),
    "wk_bridge_pipeline_note": (
        "本范围没有冻结的年末预测（按分局×产品保存），以下为本范围在途商机的本年预期收入从 A 到 B 的变化。",
        "No frozen year-end forecast covers this scope (they are kept per branch × product): below, how the "
        "open pipeline's expected revenue this year moved from A to B for this scope.",
    ),
    "wk_bridge_pipeline_a": ("A 在途预期收入（万元）", "Pipeline expected at A (10k CNY)"),
    "wk_bridge_pipeline_b": ("B 在途预期收入（万元）", "Pipeline expected at B (10k CNY)"),
    "wk_bridge_pipeline_part_start": ("A 在途预期", "Pipeline at A"),
    "wk_bridge_pipeline_part_end": ("B 在途预期", "Pipeline at B"),
    "wk_bridge_a": ("A 冻结预测（万元）", "Frozen at A (10k CNY)"),
    "wk_bridge_b": ("B 冻结预测（万元）", "Frozen at B (10k CNY)"),
    "wk_bridge_p50": ("P50 A → B（万元）", "P50 A → B (10k CNY)"),
    "wk_bridge_part_start": ("A 预测", "Forecast at A"),
    "wk_bridge_part_booked": ("新入账收入", "Revenue booked"),
    "wk_bridge_part_won": ("赢单", "Won"),
    "wk_bridge_part_lost": ("丢单", "Lost"),
    "wk_bridge_part_terminated": ("终止", "Terminated"),
    "wk_bridge_part_removed": ("导出中消失", "Removed"),
    "wk_bridge_part_slipped": ("延期出本年", "Slipped"),
    "wk_bridge_part_pulled_in": ("提前", "Pulled in"),
    "wk_bridge_part_stage": ("阶段（概率）变化", "Stage (probability)"),
    "wk_bridge_part_value": ("金额变化", "Value"),
    "wk_bridge_part_new": ("新增商机", "New deals"),
    "wk_bridge_part_reopened": ("重新打开", "Reopened"),
    "wk_bridge_part_rest": ("其余（运行率/模型）", "Rest (run-rate / model)"),
    "wk_bridge_part_end": ("B 预测", "Forecast at B"),
    "wk_movers": ("影响最大的商机", "Deals that moved it most"),
    "wk_mover_amount": ("影响（万元）", "Effect (10k CNY)"),
    "wk_mover_parts": ("原因", "Why"),
    # trend
    "wk_trend": ("历次快照趋势", "Trend over every snapshot"),
    "wk_show_trend": (
        "显示趋势（逐一比较所有快照；加筛选条件时较慢）",
        "Show the trend (compares every snapshot held; slower with filters)",
    ),
    "wk_trend_open": ("在途商机", "Open pipeline"),
    "wk_trend_moves": ("每周变化（个数）", "Movements per week (count)"),
    "wk_trend_numbers": ("趋势数据", "The numbers behind the trend"),
    "wk_no_trend": ("只有一个快照，尚无趋势。", "One snapshot only: no trend yet."),
}

HELP: dict[str, tuple[str, str]] = {
    "wk_waterfall": (
        "在途商机瀑布图是一个划分，精确到分：期初（A 中在途金额合计）+ 新增（B 中新建且在途的金额）"
        "+ 重新打开（B 中金额）+ 金额增加 − 金额减少（A、B 都在途者的 B 金额 − A 金额）"
        "− 赢单 − 丢单 − 终止 − 导出中消失（按 A 中金额）= 期末（B 中在途金额合计）。个数同理（金额变化不改变个数）。",
        "The open-pipeline waterfall is a partition, exact to the cent: start (Σ value open in A) + new "
        "(value in B of those new and open in B) + reopened (value in B) + increase − decrease (value_B − "
        "value_A of those open in both) − won − lost − terminated − removed (their value in A) = end "
        "(Σ value open in B). Counts likewise (a value change keeps the count).",
    ),
    "wk_pair": (
        "默认 B = 数据日期当天或之前最新的快照，A = 比 B 至少早 {setting.week_compare_days} 天的最新快照；"
        "两者都可从已有快照中选择，月度、季度回顾同样适用。",
        "By default B = the newest snapshot on or before the data date, A = the newest at least "
        "{setting.week_compare_days} days older; both can be picked from the snapshots held, so a month "
        "or a quarter can be reviewed the same way.",
    ),
    "wk_labels": (
        "新增（A 中没有）；赢单、丢单、终止（A 中在途，B 中如此关闭）；推进/倒退（两期都在途，阶段升/降）；"
        "延期/提前（两期都在途，B 的预计签约日期更晚/更早，任一期缺日期则不算）；金额变化（两期都在途，金额不同）；"
        "导出中消失（A 中在途，B 中没有）；重新打开（A 中已关闭，B 中在途）。可同时有多个标签；两期都已关闭的没有标签。",
        "new (not in A); won, lost, terminated (open in A, closed so in B); advanced / regressed (open in "
        "both, stage up / down); slipped / pulled in (open in both, expected close later / earlier in B; "
        "a missing date on either side is neither); value changed (open in both, value differs); removed "
        "(open in A, absent from B); reopened (closed in A, open in B). Labels combine; closed in both: "
        "no label.",
    ),
    "wk_attribution": (
        "查看范围和筛选对 A、B 一视同仁：商机按其在 B 中的记录（B 中没有的按 A 中的记录）归属客户经理、团队、产品和分类；"
        "A、B 之间换了客户经理的商机整体计入新客户经理，不算旧客户经理的“消失”，也不算新客户经理的“新增”。",
        "Scope and filters apply to A and B alike: a deal is attributed by its row in B (A's when B no "
        "longer holds it) to owner, team, product and class; a deal that changed owner between A and B "
        "counts whole under the new owner, neither removed from the old one nor new for the new one.",
    ),
    "wk_effect": (
        "该商机对在途金额的影响：新增、重新打开加其 B 金额；两期都在途的加 B − A；赢单、丢单、终止、消失减其 A 金额。",
        "What the deal adds to or takes from the open value: new and reopened add their B value; open in "
        "both add B − A; won, lost, terminated and removed take their A value.",
    ),
    "wk_key_deals": (
        "A 或 B 中在途的每个重点商机（按该期的重点规则），A、B 对比，截至 B 的延期次数、最近活动和 B 日期时未解决的支撑请求；"
        "延期或倒退的排在最前。",
        "Every key opportunity open in A or B (key as decided at that snapshot), A beside B, its close-date "
        "slips known at B, latest activity and support requests still open on B's date; those that slipped "
        "or regressed come first.",
    ),
    "wk_removed": (
        "A 中在途、B 的导出中却没有的商机：是数据问题（漏导、被删、编号变化），按 A 中最后已知状态列出，并计入瀑布图的“导出中消失”，从不悄悄丢掉。",
        "Deals open in A but missing from B's export: a data question (left out, deleted, re-numbered), "
        "listed with their last known state and counted in the waterfall's 'removed', never dropped silently.",
    ),
    "wk_bridge": (
        "A 与 B 冻结的年末预测期望值之差，逐项解释并精确到分：新入账收入（B 与 A 已知的本年实际收入之差）；"
        "赢单、丢单、终止、消失（减去该商机在 A 的本年预期收入 p×金额×本年剩余月数/12）；新增、重新打开（加上在 B 的）；"
        "两期都在途的依次拆为金额变化、阶段（概率）变化和签约日期变化（延期为负、提前为正）；其余（运行率、模型重新校准）为差额。",
        "The difference between the year-end expected value frozen at A and at B, explained to the cent: "
        "revenue booked (actual this year known at B less at A); won, lost, terminated, removed (minus the "
        "deal's expected revenue this year p × value × months left / 12 at A); new, reopened (plus theirs "
        "at B); a deal open in both split into value, stage (probability) and close date (slipped negative, "
        "pulled in positive); the rest (run-rate, recalibrated model) is what remains.",
    ),
    "wk_bridge_pipeline": (
        "本范围在途商机的本年预期收入（p×金额×本年剩余月数/12 之和）在 A 与 B 之差，按商机拆分并精确到分："
        "赢单、丢单、终止、消失减其 A 的预期，新增、重新打开加其 B 的预期，两期都在途的拆为金额、阶段（概率）与签约日期变化；"
        "其余为进出本范围的商机。",
        "The difference between the open pipeline's expected revenue this year (Σ p × value × months left / 12) "
        "of this scope at A and at B, split by deal to the cent: won, lost, terminated, removed take their "
        "A figure, new and reopened add their B figure, a deal open in both splits into value, stage "
        "(probability) and close date; the rest is deals that entered or left the scope.",
    ),
    "wk_trend": (
        "每个快照（第一个除外）与其前一个快照比较，规则同上：期初、期末在途及每类变化。",
        "Each snapshot held (but the first) against the one before it, by the same rules: open at both "
        "and every movement.",
    ),
}
