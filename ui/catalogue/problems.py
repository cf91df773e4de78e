"""Labels of the open-only problem lists, the share flagged, the support data question
and 我的商机's deal list: docs/metrics.md, sections Problem opportunities, Team and My pipeline."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "problem_share": ("问题商机占在途商机", "Problem share of open deals"),
    "problems_open_only": (
        "问题商机只含在途商机：已赢单、丢单或中止的商机没有逾期、停滞或无跟进之说；已关闭商机请在商机明细中按状态查看。",
        "Problem lists hold open deals only: a deal already won, lost or terminated cannot be overdue, stale or "
        "idle; see closed deals in the explorer by status.",
    ),
    "problem_share_of": (
        "在途商机 {open} 个中，问题商机 {problems} 个。",
        "{problems} problem deals of {open} open deals.",
    ),
    "include_closed": ("包含已关闭商机", "Include closed deals"),
    "support_on_closed": ("已关闭商机仍有未完成支撑", "Support still open on closed deals"),
    "support_on_closed_note": (
        "以下支撑需求所属商机已赢单、丢单或中止，但需求仍未完成：这是数据问题（应关闭需求或更正商机状态），不计入待响应队列。",
        "These support requests are still open on deals already won, lost or terminated: a data question "
        "(close the request or correct the deal), not part of the waiting queue.",
    ),
    "support_on_closed_none": (
        "没有挂在已关闭商机上的未完成支撑需求。",
        "No open support request on a closed deal.",
    ),
    "col_closed_days": ("商机关闭至今（天）", "Days since the deal closed"),
    "my_deals": ("我的商机及问题", "My deals and their problems"),
    "my_deals_none": ("没有在途商机。", "No open deals."),
}

HELP: dict[str, tuple[str, str]] = {
    "problem_share": (
        "问题商机占在途商机 = 问题商机数 ÷ 当前范围内在途商机数。阈值：逾期超过{setting.overdue_grace_days}天、"
        "停滞超过该阶段p90的{setting.stale_p90_factor:g}倍（至少{setting.stale_min_days}天）、"
        "{setting.idle_days}天无跟进；占比过高说明清单太长、难以逐一跟进。",
        "problem_share = problem opportunities ÷ open opportunities in scope. Thresholds: overdue by more than "
        "{setting.overdue_grace_days} days, stale over {setting.stale_p90_factor:g} × the stage's p90 (at least "
        "{setting.stale_min_days} days), idle {setting.idle_days} days; a high share means a list too long to act on.",
    ),
    "support_on_closed": (
        "数据日期时仍未完成、但所属商机已赢单、丢单或中止的支撑需求：不是等待处理的工作，而是待核实的数据。",
        "Support requests open at as_of on deals already won, lost or terminated: not work waiting, a data "
        "question.",
    ),
    "col_closed_days": (
        "商机关闭至今天数 = 数据日期 − 关闭日期。",
        "closed_days = as_of − the deal's closed date.",
    ),
    "my_deals": (
        "本人名下的在途商机及其问题原因（与问题商机同一定义），重点商机在前，再按年综合收益从高到低；"
        "勾选“包含已关闭商机”时一并列出已关闭的商机（已关闭商机无问题原因）。",
        "The manager's own open deals with their problem reasons (as in Problem opportunities), key first, then "
        "by value; with 'include closed deals' the closed ones too (a closed deal has no problem reasons).",
    ),
}
