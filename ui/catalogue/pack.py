"""Labels of the meeting pack, 会议材料 (issue 18): the Excel and PDF files, the download
button, subscriptions and alerts.  Keys start with ``pk_``.  The pack's definitions are
the page tooltips themselves (the other areas' HELP, worded as docs/metrics.md), not copies;
settings named here are in docs/settings.md.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "pk_title": ("会议材料", "Meeting pack"),
    "pk_download": ("下载会议材料", "Download meeting pack"),
    "pk_format": ("格式", "Format"),
    "pk_building": ("正在生成会议材料…", "Building the meeting pack…"),
    "pk_built": ("会议材料已生成（{seconds:.1f} 秒）", "Meeting pack built ({seconds:.1f} s)"),
    "pk_save": ("保存文件", "Save the file"),
    "pk_cover": ("封面", "Cover"),
    "pk_item": ("项目", "Item"),
    "pk_amount_wan": ("金额（万元）", "Amount (10k CNY)"),
    "pk_ratio": ("比率", "Ratio"),
    "pk_count": ("数量", "Count"),
    "pk_text": ("内容", "Value"),
    "pk_recipient": ("呈送", "Prepared for"),
    "pk_revenue_periods": ("已导入收入帐期", "Revenue periods loaded"),
    "pk_key_problem_count": ("重点问题商机", "Key problem opportunities"),
    "pk_no_filters": ("无（全部数据）", "none (all data)"),
    "pk_built_at": ("生成时间", "Built at"),
    "pk_level_overall": ("合计", "Overall"),
    "pk_part": ("项目", "Part"),
    "pk_value_wan": ("金额（万元）", "Value (10k CNY)"),
    "pk_budget_annual_wan": ("年度预算（万元）", "Annual budget (10k CNY)"),
    "pk_budget_ytd_wan": ("累计预算（万元）", "Budget YTD (10k CNY)"),
    "pk_cohort": ("商机创建日期 {start} 至 {end} 的批次", "Cohort created {start} to {end}"),
    "pk_where": (
        "其余行见“{page}”页，或运行：{command}",
        "The rest are on the page “{page}”, or run: {command}",
    ),
    "pk_left_out": (
        "本表仅列出前 {shown:,} 行，共 {total:,} 行，另有 {left:,} 行未列出。",
        "This table lists the first {shown:,} of {total:,} rows; {left:,} rows are left out.",
    ),
    "pk_definitions": ("口径说明", "Definitions"),
    "pk_notes": ("说明", "Notes"),
    "pk_definitions_see": ("各项口径见“口径说明”工作表。", "Definitions: see the sheet “Definitions”."),
    "pk_page": ("第 {page} 页 / 共 {pages} 页", "Page {page} of {pages}"),
    "pk_empty_table": ("（无数据）", "(no rows)"),
    # sections
    "pk_section_alerts": ("预警", "Alerts"),
    "pk_section_attainment": ("预算完成（分局 × 产品）", "Budget attainment (branch × product)"),
    "pk_section_forecast": ("年末收入预测及本周变化", "Year-end forecast and why it moved"),
    "pk_section_movement": ("本周商机变化", "The week's movement"),
    "pk_section_problems": (
        "问题商机（重点优先，按风险金额）",
        "Problem opportunities (key first, by value at risk)",
    ),
    "pk_section_workload": ("客户经理记分卡（含团队中位数）", "Account-manager scorecard (with team median)"),
    "pk_section_funnel": ("阶段漏斗与阶段时长", "Stage funnel and durations"),
    "pk_table_attainment": ("预算完成明细", "Attainment by level"),
    "pk_table_forecast": ("年末收入预测", "Year-end forecast"),
    "pk_table_problems": ("问题商机", "Problem opportunities"),
    "pk_table_workload": ("客户经理记分卡", "Scorecard"),
    "pk_table_alerts": ("预警明细", "Alerts"),
    "pk_chart_attainment": ("预算完成率", "Attainment"),
    "pk_chart_progress": ("同口径时序进度", "Time progress, like for like"),
    "pk_progress_basis": ("比较口径", "Compared with"),
    "pk_alerts_title": ("商机预警", "Opportunity alerts"),
    "pk_alerts_more": (
        "另有 {count:,} 条预警未列出，请在周例会页查看。",
        "{count:,} more alerts: see the weekly review page.",
    ),
    "pk_format_alerts": ("仅预警（正文，无附件）", "Alerts only (in the mail, no attachment)"),
    "pk_sub_daily": ("每天", "daily"),
    # alerts
    "pk_alert_kind": ("预警类型", "Alert"),
    "pk_alert_subject": ("对象", "Subject"),
    "pk_alert_before": ("上期", "Before"),
    "pk_alert_after": ("本期", "Now"),
    "pk_alert_change": ("变化（万元）", "Change (10k CNY)"),
    "pk_alert_detail": ("说明", "Detail"),
    "pk_alert_slipped": ("重点商机延期", "Key deal slipped"),
    "pk_alert_regressed": ("重点商机阶段倒退", "Key deal regressed"),
    "pk_alert_lost": ("重点商机丢单", "Key deal lost"),
    "pk_alert_terminated": ("重点商机终止", "Key deal terminated"),
    "pk_alert_became_problem": ("重点商机成为问题商机", "Key deal became a problem"),
    "pk_alert_value_drop": ("重点商机金额下降", "Key deal value dropped"),
    "pk_alert_attainment_gap": (
        "预算完成率落后同口径时序进度超过阈值",
        "Attainment fell behind time progress (like for like) past the threshold",
    ),
    "pk_alert_none": (
        "自上期材料（{since}）以来没有达到阈值的预警。",
        "No alert past the thresholds since the previous pack ({since}).",
    ),
    "pk_alert_since": (
        "与上期材料的数据日期 {since} 相比；金额预警须同时达到相对阈值 {relative:.0%} 与绝对阈值 {absolute:,.0f} 万元。",
        "Compared with the previous pack's data date {since}; a money alert needs both the relative "
        "threshold {relative:.0%} and the absolute threshold {absolute:,.0f} (10k CNY).",
    ),
    # subscriptions
    "page_subscriptions": ("会议材料订阅", "Pack subscriptions"),
    "pk_sub_id": ("编号", "ID"),
    "pk_sub_recipient": ("收件人（用户）", "Recipient (user)"),
    "pk_sub_email": ("邮箱", "E-mail"),
    "pk_sub_formats": ("格式", "Formats"),
    "pk_sub_schedule": ("时间", "Schedule"),
    "pk_sub_kind": ("周期", "Repeat"),
    "pk_sub_weekly": ("每周", "weekly"),
    "pk_sub_monthly": ("每月", "monthly"),
    "pk_sub_weekday": ("星期", "Weekday"),
    "pk_weekday_mon": ("周一", "Monday"),
    "pk_weekday_tue": ("周二", "Tuesday"),
    "pk_weekday_wed": ("周三", "Wednesday"),
    "pk_weekday_thu": ("周四", "Thursday"),
    "pk_weekday_fri": ("周五", "Friday"),
    "pk_weekday_sat": ("周六", "Saturday"),
    "pk_weekday_sun": ("周日", "Sunday"),
    "pk_sub_day": ("日期（每月第几日）", "Day of month"),
    "pk_sub_time": ("时间（HH:MM）", "Time (HH:MM)"),
    "pk_sub_filters": ("筛选（每行一个 字段=值）", "Filters (one FIELD=VALUE a line)"),
    "pk_sub_channel": ("发送方式", "Delivery"),
    "pk_sub_paused": ("已暂停", "Paused"),
    "pk_sub_last": ("最近一次发送", "Last delivery"),
    "pk_sub_status": ("状态", "Status"),
    "pk_sub_add": ("新增订阅", "Add subscription"),
    "pk_sub_added": ("已新增订阅 #{id}", "Subscription #{id} added"),
    "pk_sub_pause": ("暂停 / 恢复", "Pause / resume"),
    "pk_sub_remove": ("删除", "Remove"),
    "pk_sub_send_now": ("立即发送（测试）", "Send now (test)"),
    "pk_sub_sent": ("已发送：{detail}", "Sent: {detail}"),
    "pk_sub_failed": ("发送失败：{detail}", "Failed: {detail}"),
    "pk_sub_none": ("还没有订阅。", "No subscriptions yet."),
    "pk_sub_choose": ("选择订阅", "Choose a subscription"),
    "pk_sub_deliveries": (
        "发送记录（失败的将在下次运行时重试）",
        "Deliveries (a failed one is retried on the next run)",
    ),
    "pk_sub_cron": (
        "定时发送由服务器上的计划任务运行：",
        "Scheduled delivery runs from the server's scheduler:",
    ),
}


def pack_texts(language: str = "zh", settings=None):
    """The catalogue as the pack reads it (``analytics.pack.Texts``): labels and the page
    tooltips in ``language``, settings' values filled in; no Streamlit involved, so the
    command line and ``deliver`` word the pack exactly as the download button does."""
    from analytics.pack.content import Texts
    from ui.catalogue import help_text, label

    return Texts(lambda key: label(key, language, settings), lambda key: help_text(key, language, settings))
