"""Write the demo frames as the files the source systems would send (data-contract.md).

The files deliberately vary the way real exports do, so that uploading them
exercises the loader: GBK with CRLF from the CRM and the ODS, UTF-8 with BOM
elsewhere, a tab-separated .txt, an .xlsx budget, Chinese headers and codes,
five date forms, thousands separators and one column in 万元.  Only the two
newest opportunity snapshots are written (one file each, with 导出日期).

Each file's columns are the loader's fields for its kind (analytics/loader/kinds.py),
in the contract's order and headed by each field's first accepted header, and
each cell is written by the field's type: a column added to a kind is exported
without a change here.  What a file varies (date form, separators, stage
spelling, a unit) is its :class:`Style`.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from dataclasses import dataclass, field

import pandas as pd
import xlsxwriter

from analytics.demo import vocab
from analytics.demo.readme import write_readme
from analytics.loader.kinds import KINDS, Field, Kind
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
# How each coded field's values are written: the Chinese the source systems use.
CODES_ZH = {
    "role": vocab.ROLE_LABELS,
    "status": STATUS_ZH,
    "business_type": TYPE_ZH,
    "origin": ORIGIN_ZH,
    "activity_type": ACTIVITY_ZH,
    "support_type": SUPPORT_ZH,
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


@dataclass(frozen=True)
class Style:
    """How one file writes its fields: the variations real exports show."""

    dates: str = "iso"  # a fmt_date style
    thousands: bool = False  # amounts with thousands separators
    stage_prefix: str = ""  # stages as e.g. SS03 or 阶段3
    stage_width: int = 1
    units: dict[str, str] = field(default_factory=dict)  # field -> unit in its header, e.g. 万元


def fmt_period(values: pd.Series) -> pd.Series:
    """YYYYMM periods as 2026-03."""
    return pd.Series([f"{p // 100}-{p % 100:02d}" for p in values], index=values.index, dtype=object)


def fmt_field(f: Field, frame: pd.DataFrame, style: Style) -> pd.Series:
    """The field's column of ``frame`` as the source system writes it, by the field's type."""
    values = frame[f.target]
    if f.type in ("date", "datetime"):
        return fmt_date(values, "datetime" if f.type == "datetime" else style.dates)
    if f.type == "amount":
        if style.units.get(f.name) == "万元":
            return pd.Series([f"{v / 10_000:.6f}" for v in values], index=values.index, dtype=object)
        return fmt_amount(values, style.thousands)
    if f.type in ("int", "year", "month"):
        return fmt_int(values)
    if f.type == "period":
        return fmt_period(values)
    if f.type == "flag":
        return fmt_flag(values)
    if f.type == "stage":
        width, prefix = style.stage_width, style.stage_prefix
        return pd.Series([f"{prefix}{s:0{width}d}" for s in values], index=values.index, dtype=object)
    if f.type == "to_stage":  # a stage, or the closing status when there is none
        status = f.status_column
        text = fmt_int(values)
        return text.where(values.notna(), frame[status].map(STATUS_ZH)) if status in frame else text
    if f.type.startswith("code:"):
        return values.map(CODES_ZH[f.type.removeprefix("code:")]).astype(object)
    return values


def header(f: Field, style: Style) -> str:
    """The field's first accepted header, with its unit when the file states one."""
    unit = style.units.get(f.name)
    return f"{f.headers[0]}({unit})" if unit else f.headers[0]


def contract_table(kind: Kind, frame: pd.DataFrame, style: Style) -> pd.DataFrame:
    """``frame`` as ``kind``'s file: every field the frame holds, in the contract's order."""
    fields = [f for f in kind.fields if f.target in frame]
    return pd.DataFrame({header(f, style): fmt_field(f, frame, style) for f in fields})


def _write_csv(
    frame: pd.DataFrame, path: pathlib.Path, encoding: str, sep: str = ",", crlf: bool = False
) -> pathlib.Path:
    frame.to_csv(path, index=False, sep=sep, encoding=encoding, lineterminator="\r\n" if crlf else "\n")
    return path


def _org(frames, out: pathlib.Path) -> list[pathlib.Path]:
    table = contract_table(KINDS["org"], frames["org"], Style())
    return [_write_csv(table, out / "组织架构.csv", "utf-8-sig")]


def _opportunities(frames, out: pathlib.Path) -> list[pathlib.Path]:
    snap = frames["opportunity_snapshot"]
    newest = sorted(snap["snapshot_date"].unique())[-2:]
    styles = [
        Style(dates="compact", stage_prefix="SS", stage_width=2),
        Style(dates="slash", thousands=True, stage_prefix="阶段"),
    ][-len(newest) :]
    paths = []
    for day, style in zip(newest, styles, strict=True):
        rows = snap[snap["snapshot_date"] == day]
        table = contract_table(KINDS["opportunities"], rows, style)  # 导出日期: the snapshot date
        name = f"商机清单_{pd.Timestamp(day):%Y%m%d}.csv"
        paths.append(_write_csv(table, out / name, "gbk", crlf=True))
    return paths


def _stage_history(frames, out: pathlib.Path) -> list[pathlib.Path]:
    table = contract_table(KINDS["stage_history"], frames["stage_history"], Style())
    return [_write_csv(table, out / "阶段变更记录.csv", "utf-8-sig")]


def _activities(frames, out: pathlib.Path) -> list[pathlib.Path]:
    table = contract_table(KINDS["activities"], frames["activities"], Style(dates="zh"))
    return [_write_csv(table, out / "营销活动记录.txt", "utf-8", sep="\t")]


def _support(frames, out: pathlib.Path) -> list[pathlib.Path]:
    table = contract_table(KINDS["support_requests"], frames["support_requests"], Style())
    return [_write_csv(table, out / "支撑需求.csv", "utf-8-sig")]


def _contracts(frames, out: pathlib.Path) -> list[pathlib.Path]:
    style = Style(dates="slash", thousands=True, units={"term_months": "月"})
    table = contract_table(KINDS["contracts"], frames["contracts"], style)
    return [_write_csv(table, out / "合同.csv", "utf-8-sig")]


def _revenue(frames, out: pathlib.Path) -> list[pathlib.Path]:
    table = contract_table(KINDS["revenue"], frames["revenue"], Style(units={"amount": "万元"}))
    return [_write_csv(table, out / "收入列帐.csv", "gbk", crlf=True)]


def _budget(frames, out: pathlib.Path) -> list[pathlib.Path]:
    """An .xlsx with typed cells: numbers as numbers (amounts formatted), text as text."""
    b = frames["budget"]
    fields = [f for f in KINDS["budget"].fields if f.target in b]
    path = out / "收入预算.xlsx"
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)  # names stay text, never formulas
    book.set_properties({"title": "收入预算", "created": dt.datetime(int(b["year"].max()), 1, 1)})
    sheet = book.add_worksheet("收入预算")
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, [header(f, Style()) for f in fields])
    for col, f in enumerate(fields):
        for row, value in enumerate(b[f.target], start=1):
            if pd.isna(value):
                continue
            if f.type == "amount":
                sheet.write_number(row, col, float(value), money)
            elif f.type in ("int", "year", "month", "period"):
                sheet.write_number(row, col, int(value))
            else:
                sheet.write_string(row, col, str(value))
    book.close()
    return [path]


def _targets(frames, out: pathlib.Path) -> list[pathlib.Path]:
    table = contract_table(KINDS["targets"], frames["targets"], Style())
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
