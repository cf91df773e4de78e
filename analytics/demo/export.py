"""Write the demo frames as the files the source systems would send (data-contract.md).

The files deliberately vary the way real exports do, so that uploading them
exercises the loader: GBK with CRLF from the CRM and the ODS, UTF-8 with BOM
elsewhere, a tab-separated .txt, an .xlsx budget, Chinese headers and codes,
five date forms, thousands separators and one column in 万元.  Only the two
newest opportunity snapshots are written (one file each, with 导出日期).
"""

from __future__ import annotations

import datetime as dt
import pathlib

import pandas as pd
import xlsxwriter

from analytics.demo import vocab
from analytics.demo.readme import write_readme
from analytics.xlsx import WORKBOOK_OPTIONS

STATUS_ZH = {"open": "跟进中", "won": "赢单", "lost": "丢单", "terminated": "中止"}
TYPE_ZH = {"basic": "基础业务", "transformation": "转型业务"}
ORIGIN_ZH = {"mined": "挖掘", "dispatched": "派单"}
ACTIVITY_ZH = {
    "visit": "拜访",
    "call": "电话",
    "proposal": "方案",
    "meeting": "会议",
    "senior_visit": "高层拜访",
    "solution_review": "方案论证会",
}
SUPPORT_ZH = {"technical": "技术", "resource": "资源", "business": "业务"}
OPP_HEADERS = {
    "opportunity_id": "商机编号",
    "name": "商机名称",
    "customer_id": "客户编号",
    "customer_name": "客户名称",
    "customer_tier": "客户等级",
    "industry": "行业",
    "product": "产品",
    "business_type": "业务类型",
    "origin": "商机来源",
    "campaign": "营销活动",
    "owner_id": "客户经理工号",
    "stage": "阶段",
    "status": "状态",
    "annual_value": "预计年综合收益",
    "expected_close_date": "预计签约日期",
    "created_date": "创建日期",
    "closed_date": "关闭日期",
    "competitor": "竞争对手",
    "user_count": "用户数",
    "demonstration": "示范作用",
    "influence": "行业影响力",
    "key_flag": "重点商机",
    "abnormal": "异常",
    "presales_id": "售前支撑经理工号",
}
DATE_FORMATS = {"iso": "%Y-%m-%d", "compact": "%Y%m%d", "datetime": "%Y-%m-%d %H:%M:%S"}


def fmt_date(values: pd.Series, style: str) -> pd.Series:
    """Dates as text in one of the contract's forms; missing -> empty."""
    ts = pd.to_datetime(values)
    y, m, d = (part.astype("Int64").astype("string") for part in (ts.dt.year, ts.dt.month, ts.dt.day))
    if style == "slash":  # 2024/3/5
        text = y + "/" + m + "/" + d
    elif style == "zh":  # 2024年3月5日
        text = y + "年" + m + "月" + d + "日"
    else:
        text = ts.dt.strftime(DATE_FORMATS[style])
    return text.fillna("").astype(object)


def fmt_amount(values: pd.Series, thousands: bool) -> pd.Series:
    """Amounts with two decimals, optionally with thousands separators; missing -> empty."""
    pattern = "{:,.2f}" if thousands else "{:.2f}"
    return pd.Series(
        [pattern.format(v) if pd.notna(v) else "" for v in values], index=values.index, dtype=object
    )


def fmt_flag(values: pd.Series) -> pd.Series:
    """Booleans as 是/否."""
    return values.map({True: "是", False: "否"}).astype(object)


def fmt_int(values: pd.Series) -> pd.Series:
    """Integers (nullable) as text; missing -> empty."""
    return pd.Series(["" if pd.isna(v) else str(int(v)) for v in values], index=values.index, dtype=object)


def _write_csv(
    frame: pd.DataFrame, path: pathlib.Path, encoding: str, sep: str = ",", crlf: bool = False
) -> pathlib.Path:
    frame.to_csv(path, index=False, sep=sep, encoding=encoding, lineterminator="\r\n" if crlf else "\n")
    return path


def _org(frames, out: pathlib.Path) -> list[pathlib.Path]:
    org = frames["org"]
    table = pd.DataFrame(
        {
            "工号": org["staff_id"],
            "姓名": org["name"],
            "角色": org["role"].map(vocab.ROLE_LABELS),
            "团队": org["team"],
            "分局": org["branch"],
            "在职": fmt_flag(org["active"]),
        }
    )
    return [_write_csv(table, out / "组织架构.csv", "utf-8-sig")]


def _opportunities(frames, out: pathlib.Path) -> list[pathlib.Path]:
    snap = frames["opportunity_snapshot"]
    newest = sorted(snap["snapshot_date"].unique())[-2:]
    styles = [("SS", "compact", False), ("阶段", "slash", True)][-len(newest) :]
    paths = []
    for day, (stage_prefix, date_style, thousands) in zip(newest, styles, strict=True):
        rows = snap[snap["snapshot_date"] == day]
        table = rows[list(OPP_HEADERS)].copy()
        width = 2 if stage_prefix == "SS" else 1
        table["stage"] = [f"{stage_prefix}{s:0{width}d}" for s in rows["stage"]]
        table["status"] = rows["status"].map(STATUS_ZH)
        table["business_type"] = rows["business_type"].map(TYPE_ZH)
        table["origin"] = rows["origin"].map(ORIGIN_ZH)
        table["annual_value"] = fmt_amount(rows["annual_value"], thousands)
        for col in ("expected_close_date", "created_date", "closed_date"):
            table[col] = fmt_date(rows[col], date_style)
        table["user_count"] = fmt_int(rows["user_count"])
        for col in ("demonstration", "influence", "key_flag", "abnormal"):
            table[col] = fmt_flag(rows[col])
        table = table.rename(columns=OPP_HEADERS)
        table["导出日期"] = fmt_date(rows["snapshot_date"], date_style)
        name = f"商机清单_{pd.Timestamp(day):%Y%m%d}.csv"
        paths.append(_write_csv(table, out / name, "gbk", crlf=True))
    return paths


def _stage_history(frames, out: pathlib.Path) -> list[pathlib.Path]:
    h = frames["stage_history"]
    terminal = h["to_status"].map({"won": "赢单", "lost": "丢单", "terminated": "中止"})
    table = pd.DataFrame(
        {
            "商机编号": h["opportunity_id"],
            "原阶段": fmt_int(h["from_stage"]),
            "新阶段": fmt_int(h["to_stage"]).where(h["to_stage"].notna(), terminal),
            "变更时间": fmt_date(h["changed_at"], "datetime"),
            "操作人工号": h["changed_by"],
        }
    )
    return [_write_csv(table, out / "阶段变更记录.csv", "utf-8-sig")]


def _activities(frames, out: pathlib.Path) -> list[pathlib.Path]:
    a = frames["activities"]
    table = pd.DataFrame(
        {
            "活动编号": a["activity_id"],
            "商机编号": a["opportunity_id"],
            "客户编号": a["customer_id"],
            "工号": a["staff_id"],
            "类型": a["type"].map(ACTIVITY_ZH),
            "日期": fmt_date(a["activity_date"], "zh"),
        }
    )
    return [_write_csv(table, out / "营销活动记录.txt", "utf-8", sep="\t")]


def _support(frames, out: pathlib.Path) -> list[pathlib.Path]:
    s = frames["support_requests"]
    table = pd.DataFrame(
        {
            "需求编号": s["request_id"],
            "商机编号": s["opportunity_id"],
            "类型": s["type"].map(SUPPORT_ZH),
            "提出日期": fmt_date(s["requested_date"], "iso"),
            "完成日期": fmt_date(s["resolved_date"], "iso"),
        }
    )
    return [_write_csv(table, out / "支撑需求.csv", "utf-8-sig")]


def _contracts(frames, out: pathlib.Path) -> list[pathlib.Path]:
    c = frames["contracts"]
    table = pd.DataFrame(
        {
            "合同编号": c["contract_id"],
            "商机编号": c["opportunity_id"],
            "客户编号": c["customer_id"],
            "产品": c["product"],
            "签订日期": fmt_date(c["signed_date"], "slash"),
            "合同金额": fmt_amount(c["amount"], thousands=True),
            "合同期限(月)": fmt_int(c["term_months"]),
            "客户经理工号": c["owner_id"],
        }
    )
    return [_write_csv(table, out / "合同.csv", "utf-8-sig")]


def _revenue(frames, out: pathlib.Path) -> list[pathlib.Path]:
    r = frames["revenue"]
    table = pd.DataFrame(
        {
            "帐期": [f"{p // 100}-{p % 100:02d}" for p in r["period"]],
            "合同编号": r["contract_id"],
            "分局": r["branch"],
            "产品": r["product"],
            "费用项科目": r["fee_item"],
            "金额(万元)": [f"{v / 10_000:.6f}" for v in r["amount"]],
            "客户经理工号": r["owner_id"],
        }
    )
    return [_write_csv(table, out / "收入列帐.csv", "gbk", crlf=True)]


def _budget(frames, out: pathlib.Path) -> list[pathlib.Path]:
    b = frames["budget"]
    path = out / "收入预算.xlsx"
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)  # names stay text, never formulas
    book.set_properties({"title": "收入预算", "created": dt.datetime(int(b["year"].max()), 1, 1)})
    sheet = book.add_worksheet("收入预算")
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, ["年度", "分局", "产品", "月份", "预算金额"])
    for i, row in enumerate(b.itertuples(index=False), start=1):
        sheet.write_number(i, 0, int(row.year))
        sheet.write_string(i, 1, str(row.branch))
        sheet.write_string(i, 2, str(row.product))
        if pd.notna(row.month):
            sheet.write_number(i, 3, int(row.month))
        sheet.write_number(i, 4, float(row.amount), money)
    book.close()
    return [path]


def _targets(frames, out: pathlib.Path) -> list[pathlib.Path]:
    t = frames["targets"]
    table = pd.DataFrame(
        {"年度": t["year"], "工号": t["staff_id"], "目标金额": fmt_amount(t["amount"], False)}
    )
    return [_write_csv(table, out / "个人目标.csv", "utf-8-sig")]


WRITERS = (
    _org,
    _opportunities,
    _stage_history,
    _activities,
    _support,
    _contracts,
    _revenue,
    _budget,
    _targets,
)


def export(frames: dict[str, pd.DataFrame], out_dir: pathlib.Path) -> list[pathlib.Path]:
    """Write every kind of file into out_dir (created if missing) in batch load order.

    Returns the data files; a README.txt describing them is written beside them
    but not returned, since it is not something to load.
    """
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [p for writer in WRITERS for p in writer(frames, out)]
    write_readme(frames, paths, out / "README.txt")
    return paths
