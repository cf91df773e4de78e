"""The README.txt written beside exported demo files: what each file is and how it is encoded.

Kept next to export.py so that a person handed the folder (or a loader test that
fails on one file) can see which variation each file was meant to exercise.
"""

from __future__ import annotations

import pathlib

import pandas as pd

NOTES = {
    "组织架构": (
        "org",
        "UTF-8 with BOM, comma-separated; roles in Chinese (客户经理…), 在职 as 是/否. "
        "org_history is not exported: the contract has no such file.",
    ),
    "商机清单": (
        "opportunities",
        "GBK, CRLF, comma-separated; one file per snapshot with 导出日期. "
        "Only the newest two of the twelve weekly snapshots are written. "
        "Newest: stage as 阶段N, dates 2026/3/5, amounts with thousands separators; "
        "older: stage as SS0N, dates 20260305, plain amounts. Status 跟进中/赢单/丢单/中止, flags 是/否.",
    ),
    "阶段变更记录": (
        "stage_history",
        "UTF-8 with BOM; 变更时间 as 2026-03-05 14:22:01; 新阶段 a stage 0-5, "
        "or 赢单/丢单/中止 for the closing change. Stage 5 (implementing) only follows a win.",
    ),
    "营销活动记录": (
        "activities",
        "UTF-8 without BOM, tab-separated .txt; dates as 2026年3月5日; "
        "商机编号 empty for customer-level visits.",
    ),
    "支撑需求": ("support_requests", "UTF-8 with BOM; dates as 2026-03-05; 完成日期 empty while open."),
    "合同": ("contracts", "UTF-8 with BOM; dates as 2026/3/5; 合同金额 in CNY with thousands separators."),
    "收入列帐": (
        "revenue",
        "GBK, CRLF; 帐期 as 2026-03; amounts in 万元 (header 金额(万元), six decimals); "
        "收入调整 rows are negative.",
    ),
    "收入预算": ("budget", "Excel .xlsx, sheet 收入预算; 月份 empty on annual-only rows."),
    "个人目标": ("targets", "UTF-8 with BOM; 目标金额 in CNY."),
}
LOAD_ORDER = (
    "org, opportunities, stage_history, activities, support_requests, contracts, revenue, budget, targets"
)


def _rows(path: pathlib.Path, frames: dict) -> int:
    """Data rows in a written file (header excluded)."""
    if path.suffix == ".xlsx":
        return len(frames["budget"])
    encoding = "gbk" if path.stem.startswith(("商机清单", "收入列帐")) else "utf-8-sig"
    with path.open(encoding=encoding, newline="") as handle:
        return sum(1 for _ in handle) - 1


def write_readme(frames: dict, paths: list[pathlib.Path], target: pathlib.Path) -> None:
    """README.txt in UTF-8: one paragraph per data file, in batch load order."""
    dates = [pd.Timestamp(d) for d in sorted(frames["snapshots"]["snapshot_date"])]
    lines = [
        "商机管控 demo export / 演示数据导出",
        f"Snapshots in the warehouse: {len(dates)} weekly, {dates[0]:%Y-%m-%d} .. {dates[-1]:%Y-%m-%d}.",
        f"Load the files below as one batch (order: {LOAD_ORDER}).",
        "",
    ]
    for path in paths:
        kind, note = next(v for k, v in NOTES.items() if path.stem.startswith(k))
        lines += [f"{path.name}  [{kind}, {_rows(path, frames)} rows]", f"  {note}", ""]
    target.write_text("\n".join(lines), encoding="utf-8")
