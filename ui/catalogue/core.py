"""Labels and metric definitions of the shell, sign-in and home page.

Help texts are worded as docs/metrics.md (Overview, Budget attainment, Problem
opportunities, Classes).
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # navigation and chrome
    "app_title": ("商机管控", "Opportunity control"),
    "page_home": ("总览", "Overview"),
    "page_sign_in": ("登录", "Sign in"),
    "page_admin": ("用户管理", "Users"),
    "page_audit": ("审计日志", "Audit log"),
    "section_analysis": ("分析", "Analysis"),
    "section_admin": ("管理", "Administration"),
    "language": ("语言 / Language", "语言 / Language"),
    "filters": ("筛选", "Filters"),
    "as_of": ("数据日期（快照）", "As of (snapshot)"),
    "branch": ("分局", "Branch"),
    "team": ("团队", "Team"),
    "product": ("产品", "Product"),
    "industry": ("行业", "Industry"),
    "owner": ("客户经理", "Account manager"),
    "all": ("全部", "All"),
    "created_from": ("商机创建日期 从", "Created from"),
    "created_to": ("商机创建日期 至", "Created to"),
    "team_link_ambiguous": (
        "链接中的团队“{team}”在多个分局都有，未按它筛选；请在侧栏选择带分局的团队（如 浦东/金融一组）。",
        "The link's team '{team}' exists in several branches and was not applied; choose the team with its "
        "branch in the sidebar (e.g. 浦东/金融一组).",
    ),
    "share_link": (
        "当前筛选已写入网址，可复制链接分享此视图。",
        "The filters are in the URL: copy it to share this view.",
    ),
    # freshness
    "freshness": ("数据新鲜度", "Data freshness"),
    "newest_snapshot": ("商机快照", "Opportunity snapshot"),
    "last_revenue_period": ("收入帐期至", "Revenue through period"),
    "last_loaded_at": ("最近导入", "Last loaded"),
    "no_data": ("尚无数据", "no data yet"),
    "empty_warehouse": (
        "仓库中还没有数据。请分析员在“数据上传”页导入导出文件，或运行 `make run` 生成演示数据。",
        "The warehouse holds no data yet. An analyst can load export files on the upload page, "
        "or run `make run` to generate demo data.",
    ),
    "empty_filter": (
        "当前筛选条件下没有数据，请放宽筛选。",
        "Nothing matches the current filters: widen them.",
    ),
    "ignored_filters": (
        "以下筛选不适用于收入数据，收入数字未按其筛选：",
        "These filters do not apply to revenue, which is not filtered by them: ",
    ),
    # home
    "home_title": ("总览", "Overview"),
    "scope_caption": ("查看范围", "Scope"),
    "revenue_block": ("收入预算完成（按时序进度）", "Revenue budget vs time progress"),
    "pipeline_block": ("商机", "Pipeline"),
    "attainment_by_branch": ("各分局预算完成率与时序进度", "Attainment by branch vs time progress"),
    "attainment_by_product": ("各产品预算完成率与时序进度", "Attainment by product vs time progress"),
    "top_problems": ("问题商机（重点优先，按金额）", "Problem opportunities (key first, by value)"),
    "no_problems": ("当前范围内没有问题商机。", "No problem opportunities in this scope."),
    "no_budget": (
        "当前范围没有预算（预算按分局 × 产品编制）。",
        "No budget in this scope (budgets are set per branch × product).",
    ),
    "behind": ("落后", "behind"),
    "ahead": ("超前", "ahead"),
    "wan_yuan": ("万元", "10k CNY"),
    "actual_ytd": ("累计收入（万元）", "Revenue YTD (10k CNY)"),
    "budget_annual": ("年度预算（万元）", "Annual budget (10k CNY)"),
    "budget_ytd": ("累计预算（万元）", "Budget YTD (10k CNY)"),
    "attainment": ("预算完成率", "Attainment"),
    "ytd_attainment": ("累计预算完成率", "YTD attainment"),
    "time_progress": ("时序进度", "Time progress"),
    "progress_gap": ("进度差", "Progress gap"),
    "open_count": ("在途商机数", "Open opportunities"),
    "open_value": ("在途商机金额（万元）", "Open pipeline (10k CNY)"),
    "win_rate": ("赢单率", "Win rate"),
    "key_open_count": ("重点商机", "Key opportunities"),
    "problem_count": ("问题商机", "Problem opportunities"),
    # columns
    "opportunity_id": ("商机编号", "Opportunity"),
    "name": ("商机名称", "Name"),
    "customer_name": ("客户名称", "Customer"),
    "owner_name": ("客户经理", "Owner"),
    "stage": ("阶段", "Stage"),
    "annual_value": ("年综合收益（万元）", "Annual value (10k CNY)"),
    "expected_close_date": ("预计签约日期", "Expected close"),
    "reasons": ("问题原因", "Reasons"),
    "overdue": ("逾期", "overdue"),
    "stale": ("停滞", "stale"),
    "idle": ("无跟进", "idle"),
    "abnormal": ("异常", "abnormal"),
    "slip_count": ("延期次数", "Slips"),
    "is_key": ("重点", "Key"),
    "audit_action": ("操作类型", "Action"),
    "audit_empty": ("没有符合条件的审计记录。", "No audit entries match."),
    # sign-in
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出登录", "Sign out"),
    "sign_in_oidc": ("使用单点登录", "Sign in with single sign-on"),
    "oidc_unknown_user": (
        "单点登录成功，但该账户未在本系统登记或已停用，请联系管理员。",
        "Signed in with the provider, but this account is not registered here or is disabled.",
    ),
    "signed_in_as": ("当前用户", "Signed in as"),
    "bad_credentials": ("用户名或密码错误。", "Wrong username or password."),
    "locked": (
        "连续登录失败次数过多，账户已暂时锁定，请稍后再试。",
        "Too many failed attempts: the account is locked for a while.",
    ),
    "disabled": ("该账户已停用。", "This account is disabled."),
    "no_users": (
        "尚未配置任何用户，且仓库不是演示数据：为保护数据，仪表盘拒绝提供数据。请用 `python -m analytics users add` 创建用户。",
        "No users are configured and the warehouse is not demo data: the dashboard refuses to serve data. "
        "Create users with `python -m analytics users add`.",
    ),
    "no_scope": ("您的账户没有可查看的数据范围。", "Your account has no data scope to view."),
}

# Metric definitions, worded as in metrics.md.
HELP: dict[str, tuple[str, str]] = {
    "actual_ytd": (
        "本年截至最后已导入帐期（data_through）的收入合计，含收入调整（负数）。",
        "Σ revenue for periods Y01…P, the last period loaded for the year (adjustments included).",
    ),
    "budget_annual": ("本年预算合计。", "Σ budget for the year."),
    "budget_ytd": (
        "截至最后已导入帐期所在月的月度预算合计；仅有年度数的预算按月平均分摊。",
        "Σ monthly budget for months ≤ P's month; annual-only rows phased evenly.",
    ),
    "attainment": ("预算完成率 = 本年累计收入 ÷ 年度预算。", "attainment = actual_ytd / budget_annual."),
    "ytd_attainment": (
        "累计预算完成率 = 本年累计收入 ÷ 累计预算。",
        "ytd_attainment = actual_ytd / budget_ytd.",
    ),
    "time_progress": (
        "时序进度 = 数据日期在本年中的天数 ÷ 本年天数。",
        "time_progress = day of year of as_of / days in the year.",
    ),
    "progress_gap": (
        "进度差 = 预算完成率 − 时序进度（负数表示落后于时序进度）。",
        "progress_gap = attainment − time_progress (negative = behind schedule).",
    ),
    "open_count": (
        "数据日期最新快照中状态为跟进中的商机数。",
        "Opportunities with status open in the newest snapshot on or before as_of.",
    ),
    "open_value": ("在途商机的预计年综合收益合计。", "Σ annual_value of open opportunities."),
    "win_rate": (
        "赢单率 = 近{setting.trailing_months}个月内关闭的商机中赢单的比例（赢单 ÷ (赢单+丢单+中止)）。",
        "win_rate = won / closed among opportunities closed in the trailing {setting.trailing_months} months.",
    ),
    "key_open_count": (
        "重点商机：管理层标记的重点商机、重大商机，或在全公司在途商机中按年综合收益排前{setting.key_top_share:.0%}的商机"
        "（与查看者无关）。",
        "key = key_flag, or class major, or among the top {setting.key_top_share:.0%} of open opportunities by "
        "annual_value company-wide.",
    ),
    "problem_count": (
        "问题商机：在途且逾期（预计签约日期早于数据日期超过{setting.overdue_grace_days}天）、"
        "停滞（当前阶段停留超过该阶段p90的{setting.stale_p90_factor:g}倍，至少{setting.stale_min_days}天）、"
        "{setting.idle_days}天无跟进活动或被标记异常的商机；已关闭商机不计。",
        "Open and any of: overdue (expected_close_date more than {setting.overdue_grace_days} days before as_of); "
        "stale (current stint older than {setting.stale_p90_factor:g} × the stage's p90, at least "
        "{setting.stale_min_days} days); idle (no activity in the last {setting.idle_days} days); abnormal. "
        "Closed deals are not counted.",
    ),
    "data_through": ("最后已导入的收入帐期。", "The last revenue period loaded for the year."),
}
