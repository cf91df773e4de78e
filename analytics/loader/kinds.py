"""The kinds of export file (data-contract.md), as data: fields, header synonyms, types.

Everything the loader knows about a kind lives here, so that header matching,
parsing SQL, upload rules and replacement all read one declaration.  A
field's ``type`` names a parser macro in ``sql/macros.sql``; its ``headers``
are the accepted header names (compared after normalising width, case, spaces
and unit suffixes, see headers.py).  ``column`` is the warehouse column when it
differs from the contract's field name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    # text | date | datetime | period | amount | int | year | month | flag | stage | to_stage | code:<vocab>
    type: str
    headers: tuple[str, ...]
    required: bool = False
    column: str | None = None  # warehouse column; None means the field name
    default: bool | None = None  # flags: value of an empty cell

    @property
    def target(self) -> str:
        return self.column or self.name

    @property
    def status_column(self) -> str | None:
        """A stage-or-status field's parsed status column (``to_status``, ``from_status``), else None.

        The stage goes to the field's own column (NULL for a terminal status), the
        status to this one; a cell is valid when its status parses.
        """
        return self.name.replace("stage", "status") if self.type == "to_stage" else None


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # Chinese name, as the contract titles it
    table: str
    fields: tuple[Field, ...]
    mode: str  # how a load replaces what is held: see apply.py
    key: tuple[str, ...] = ()  # replacement / de-duplication key (warehouse columns)
    unique: tuple[str, ...] = ()  # unique within a file: a repeat is a row error
    hints: tuple[str, ...] = ()  # file-name words that suggest the kind

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)


F = Field
ORG = Kind(
    "org", "组织架构", "org",
    (
        F("staff_id", "text", ("工号", "员工编号", "员工工号", "人员编号", "staff id", "employee id"), True),
        F("name", "text", ("姓名", "员工姓名", "name"), True),
        F("role", "code:role", ("角色", "岗位", "role")),
        F("team", "text", ("团队", "销售团队", "team")),
        F("branch", "text", ("分局", "区局", "分公司", "branch")),
        F("active", "flag", ("在职", "是否在职", "active"), default=True),
    ),
    mode="hierarchy", unique=("staff_id",), hints=("组织", "人员", "org"),
)  # fmt: skip

OPPORTUNITIES = Kind(
    "opportunities", "商机清单", "opportunity_snapshot",
    (
        F("opportunity_id", "text", ("商机编号", "商机ID", "opportunity id"), True),
        F("name", "text", ("商机名称", "opportunity name")),
        F("customer_id", "text", ("客户编号", "客户ID", "customer id")),
        F("customer_name", "text", ("客户名称", "customer name"), True),
        F("customer_tier", "text", ("客户等级", "customer tier")),
        F("industry", "text", ("行业", "industry")),
        F("product", "text", ("产品", "产品线", "product"), True),
        F("business_type", "code:business_type", ("业务类型", "business type")),
        F("origin", "code:origin", ("商机来源", "origin")),
        F("campaign", "text", ("营销活动", "campaign")),
        F("owner_id", "text", ("客户经理工号", "owner id", "account manager id"), True),
        F("stage", "stage", ("阶段", "商机阶段", "stage"), True),
        F("status", "code:status", ("状态", "商机状态", "status"), True),
        F("annual_value", "amount", ("预计年综合收益", "年综合收益", "annual value"), True),
        F("expected_close_date", "date", ("预计签约日期", "expected close date")),
        F("created_date", "date", ("创建日期", "created date"), True),
        F("closed_date", "date", ("关闭日期", "closed date")),
        F("competitor", "text", ("竞争对手", "competitor")),
        F("user_count", "int", ("用户数", "user count")),
        F("demonstration", "flag", ("示范作用", "demonstration"), default=False),
        F("influence", "flag", ("行业影响力", "influence"), default=False),
        F("key_flag", "flag", ("重点商机", "key flag", "key"), default=False),
        F("abnormal", "flag", ("异常", "abnormal"), default=False),
        F("presales_id", "text", ("售前支撑经理工号", "presales id")),
        F("snapshot_date", "date", ("导出日期", "快照日期", "snapshot date", "export date")),
    ),
    mode="replace", key=("snapshot_date",), unique=("snapshot_date", "opportunity_id"),
    hints=("商机清单", "商机", "opportunit"),
)  # fmt: skip

STAGE_HISTORY = Kind(
    "stage_history", "阶段变更记录", "stage_history",
    (
        F("opportunity_id", "text", ("商机编号", "商机ID", "opportunity id"), True),
        # A reopened deal's change starts from a terminal status (丢单 → 确认客户需求): from_stage
        # takes every spelling to_stage takes; a status is stored as no from_stage (see status_column).
        F("from_stage", "to_stage", ("原阶段", "from stage")),
        F("to_stage", "to_stage", ("新阶段", "to stage"), True),
        F("changed_at", "datetime", ("变更时间", "changed at"), True),
        F("changed_by", "text", ("操作人工号", "changed by")),
    ),
    mode="append", key=("opportunity_id", "to_stage", "to_status", "changed_at"),
    hints=("阶段变更", "stage"),
)  # fmt: skip

ACTIVITIES = Kind(
    "activities", "营销活动记录", "activities",
    (
        F("activity_id", "text", ("活动编号", "activity id"), True),
        F("opportunity_id", "text", ("商机编号", "商机ID", "opportunity id")),
        F("customer_id", "text", ("客户编号", "customer id")),
        F("staff_id", "text", ("工号", "客户经理工号", "staff id"), True),
        F("type", "code:activity_type", ("类型", "活动类型", "type"), True),
        F("date", "date", ("日期", "活动日期", "date"), True, column="activity_date"),
    ),
    mode="append", key=("activity_id",), unique=("activity_id",), hints=("活动", "拜访", "activit"),
)  # fmt: skip

SUPPORT_REQUESTS = Kind(
    "support_requests", "支撑需求", "support_requests",
    (
        F("request_id", "text", ("需求编号", "request id"), True),
        F("opportunity_id", "text", ("商机编号", "商机ID", "opportunity id"), True),
        F("type", "code:support_type", ("类型", "需求类型", "支撑类型", "type"), True),
        F("requested_date", "date", ("提出日期", "requested date"), True),
        F("resolved_date", "date", ("完成日期", "resolved date")),
    ),
    mode="replace", key=("request_id",), unique=("request_id",), hints=("支撑", "support"),
)  # fmt: skip

CONTRACTS = Kind(
    "contracts", "合同", "contracts",
    (
        F("contract_id", "text", ("合同编号", "contract id"), True),
        F("opportunity_id", "text", ("商机编号", "商机ID", "opportunity id")),
        F("customer_id", "text", ("客户编号", "customer id")),
        F("product", "text", ("产品", "product")),
        F("signed_date", "date", ("签订日期", "签约日期", "signed date"), True),
        F("amount", "amount", ("合同金额", "amount"), True),
        F("term_months", "int", ("合同期限", "合同期限月", "term months")),
        F("owner_id", "text", ("客户经理工号", "owner id")),
    ),
    mode="replace", key=("contract_id",), unique=("contract_id",), hints=("合同", "contract"),
)  # fmt: skip

REVENUE = Kind(
    "revenue", "收入列帐", "revenue",
    (
        F("period", "period", ("帐期", "账期", "period"), True),
        F("contract_id", "text", ("合同编号", "contract id")),
        F("branch", "text", ("分局", "区局", "branch"), True),
        F("product", "text", ("产品", "product"), True),
        F("fee_item", "text", ("费用项科目", "费用项", "fee item")),
        F("amount", "amount", ("金额", "列帐金额", "列账金额", "amount"), True),
        F("owner_id", "text", ("客户经理工号", "owner id")),
    ),
    mode="replace", key=("period",), hints=("收入", "列帐", "列账", "revenue"),
)  # fmt: skip

BUDGET = Kind(
    "budget", "收入预算", "budget",
    (
        F("year", "year", ("年度", "year"), True),
        F("branch", "text", ("分局", "区局", "branch"), True),
        F("product", "text", ("产品", "product"), True),
        F("month", "month", ("月份", "month")),
        F("amount", "amount", ("预算金额", "budget amount", "amount"), True),
    ),
    mode="replace", key=("year",), hints=("预算", "budget"),
)  # fmt: skip

TARGETS = Kind(
    "targets", "个人目标", "targets",
    (
        F("year", "year", ("年度", "year"), True),
        F("staff_id", "text", ("工号", "客户经理工号", "staff id"), True),
        F("amount", "amount", ("目标金额", "target amount", "amount"), True),
    ),
    mode="replace", key=("year",), hints=("目标", "target"),
)  # fmt: skip

# Batch order (data-contract.md, Batches).
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        ORG,
        OPPORTUNITIES,
        STAGE_HISTORY,
        ACTIVITIES,
        SUPPORT_REQUESTS,
        CONTRACTS,
        REVENUE,
        BUDGET,
        TARGETS,
    )
}
ORDER = tuple(KINDS)

# Accepted spellings of each coded value, for messages (the SQL macros hold the mapping).
CODE_CHOICES = {
    "status": "跟进中、赢单、丢单、中止",
    "business_type": "基础业务、转型业务",
    "origin": "挖掘、派单",
    "activity_type": "拜访、电话、方案、会议、高层拜访、方案论证会",
    "support_type": "技术、资源、业务",
    "role": "客户经理、团队经理、行业经理、分局局长、营销总监、分析员",
}
