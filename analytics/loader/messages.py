"""The loader's words, in Chinese and English: one place per text.

Quarantine reasons, refusals and report words are looked up here by code, with
their parameters, in the language the loader speaks: Chinese unless told
otherwise (the command line), the viewer's language on the dashboard
(``ui.i18n`` sets it on every page run with :func:`use_language`).  The label
catalogue re-exports these texts (``ui/catalogue/upload.py``), so the UI and
the loader share them rather than copy them, and docs/upload.md is generated
from the same templates (``analytics.docs``).

A template may keep placeholders the warehouse fills (``{value}``, ``{first}``:
the quarantine rules replace them in SQL, cell by cell); :func:`say` leaves a
placeholder it is not given as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

LANGUAGES = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # Quarantine reasons: a value that does not parse ({value} is the cell as written).
    "format_date": (
        "'{value}' 不是有效日期（可用：2024-03-05、2024/3/5、20240305、2024年3月5日 或 Excel 日期）",
        "'{value}' is not a valid date (use 2024-03-05, 2024/3/5, 20240305, 2024年3月5日 or an Excel date)",
    ),
    "format_datetime": (
        "'{value}' 不是有效的日期时间（如 2024-03-05 14:22:01）",
        "'{value}' is not a valid date and time (e.g. 2024-03-05 14:22:01)",
    ),
    "format_period": (
        "'{value}' 不是有效帐期（应为 202403、2024-03、2024/03 或 2024年3月）",
        "'{value}' is not a valid period (use 202403, 2024-03, 2024/03 or 2024年3月)",
    ),
    "format_amount": (
        "'{value}' 不是有效金额（如 1234.5、1,234.50、¥1,234、12.5万），或超出范围",
        "'{value}' is not a valid amount (e.g. 1234.5, 1,234.50, ¥1,234, 12.5万) or is out of range",
    ),
    "format_int": ("'{value}' 不是整数", "'{value}' is not a whole number"),
    "format_year": ("'{value}' 不是有效年度（如 2026）", "'{value}' is not a valid year (e.g. 2026)"),
    "format_month": ("'{value}' 不是 1–12 的月份", "'{value}' is not a month from 1 to 12"),
    "format_flag": (
        "'{value}' 不是是/否标志（可用：是/否、Y/N、1/0、true/false）",
        "'{value}' is not a yes/no flag (use 是/否, Y/N, 1/0, true/false)",
    ),
    "format_stage": (
        "'{value}' 不是有效阶段（0–5、阶段3、SS03 或阶段名称）",
        "'{value}' is not a valid stage (0–5, 阶段3, SS03 or a stage name)",
    ),
    "format_to_stage": (
        "'{value}' 既不是阶段 0–5，也不是 赢单/丢单/中止",
        "'{value}' is neither a stage 0–5 nor 赢单/丢单/中止 (won/lost/terminated)",
    ),
    "format_code": (
        "'{value}' 不是可识别的值（可用：{choices}）",
        "'{value}' is not a recognised value (use {choices})",
    ),
    # Quarantine reasons of the other rules ({header}: the header as the file wrote it).
    "rule_required": ("{header} 为空（必填）", "{header} is empty (required)"),
    "rule_negative": (
        "{header} '{value}' 不能为负数（只有收入的金额可为负：收入调整）",
        "{header} '{value}' cannot be negative (only revenue amounts may be: adjustments)",
    ),
    "rule_too_long": (
        "{header} '{value}' 超过 {length} 个字符",
        "{header} '{value}' is longer than {length} characters",
    ),
    "rule_closed_date": (
        "状态为 '{value}' 的商机必须填写{header}",
        "an opportunity with status '{value}' needs {header}",
    ),
    "rule_closed_date_header": ("关闭日期", "关闭日期 (closed date)"),
    "rule_control": (
        "{header} '{value}' 含控制字符（以 ? 显示），可能是文件损坏或编码不对",
        "{header} '{value}' holds control characters (shown as ?): the file may be damaged or misread",
    ),
    "rule_duplicate": (
        "{header} '{value}' 在本文件中重复（第 {first} 行已有，保留第一行）",
        "{header} '{value}' repeats in this file (line {first} has it; the first line is kept)",
    ),
    # Refusals: a file the loader will not read.
    "refused_unreadable_workbook": (
        "无法读取电子表格（文件已损坏，或不是 Excel 工作簿）：{error}",
        "cannot read the spreadsheet (damaged, or not an Excel workbook): {error}",
    ),
    "refused_empty": ("文件为空", "the file is empty"),
    "refused_too_large": (
        "文件大小 {size}，超过上限 {limit} MB（设置 max_upload_mb）",
        "the file is {size}, over the limit of {limit} MB (setting max_upload_mb)",
    ),
    "refused_unsupported": (
        "不支持的文件类型 '{suffix}'（可用：{accepted}）",
        "files of type '{suffix}' are not read (accepted: {accepted})",
    ),
    "refused_zip_no_data": ("ZIP 中没有数据文件", "the ZIP holds no data file"),
    "zip_invalid": ("不是有效的 ZIP 文件（{error}）", "not a valid ZIP file ({error})"),
    "zip_too_many": (
        "ZIP 中有 {count:,} 个文件，超过上限 {limit:,} 个（设置 max_zip_members）",
        "the ZIP holds {count:,} files, over the limit of {limit:,} (setting max_zip_members)",
    ),
    "zip_encrypted": (
        "已加密（设有密码），无法读取；请解密后重新打包上传",
        "is encrypted (password protected) and cannot be read; decrypt it and zip it again",
    ),
    "zip_method": (
        "使用了不支持的压缩方式 {number}（{method}）；请用普通 ZIP（deflate）压缩后上传",
        "uses a compression method not read, {number} ({method}); zip it plainly (deflate) and upload again",
    ),
    "zip_member_too_large": (
        "解压后超过上限 {limit} MB（设置 max_upload_mb），已停止解压",
        "inflates beyond the limit of {limit} MB (setting max_upload_mb); inflating stopped",
    ),
    "zip_total_too_large": (
        "ZIP 解压后的总大小超过上限 {limit} MB（设置 max_unzipped_mb），已停止解压",
        "the ZIP inflates beyond the total limit of {limit} MB (setting max_unzipped_mb); inflating stopped",
    ),
    "zip_ratio": (
        "压缩比超过 {ratio} 倍（设置 max_zip_ratio），可能是 ZIP 炸弹，已停止解压",
        "compressed more than {ratio} times (setting max_zip_ratio): maybe a ZIP bomb; inflating stopped",
    ),
    "zip_longer": ("内容比这更长", "the content is longer"),
    "zip_inflated_to": ("解压得到 {actual:,} 字节", "it inflates to {actual:,} bytes"),
    "zip_lying": (
        "已损坏：ZIP 记录的解压后大小为 {declared:,} 字节，实际{found}（大小记录不实）",
        "damaged: the ZIP records {declared:,} bytes inflated, but {found} (the size record is false)",
    ),
    "zip_damaged": ("已损坏，无法解压（{error}）", "damaged, cannot be inflated ({error})"),
    "zip_crc": (
        "已损坏：CRC 校验失败（内容与 ZIP 记录的校验值不符）",
        "damaged: the CRC check failed (the content does not match the ZIP's checksum)",
    ),
    "refused_spreadsheet_part": (
        "无法读取电子表格：其中的部件 '{part}' {why}",
        "cannot read the spreadsheet: its part '{part}' {why}",
    ),
    "zip_member_over_limit": (
        "解压后超过上限（设置 max_upload_mb）",
        "inflates beyond the limit (setting max_upload_mb)",
    ),
    "zip_member_refused": ("ZIP 中的文件 '{member}' {why}", "the ZIP's file '{member}' {why}"),
    "refused_nested_zip": ("ZIP 中不能再套 ZIP", "a ZIP inside a ZIP is not read"),
    "refused_missing_file": ("文件不存在", "no such file"),
    "refused_no_header": ("文件第一行没有表头", "the file's first line holds no headers"),
    "refused_encoding_doubt": (
        "编码不确定：{reason}。请选择编码",
        "encoding uncertain: {reason}. Choose one",
    ),
    "refused_encoding_tail": (
        "编码不确定：文件后部不是有效的 UTF-8 或 GBK/GB18030。请选择编码",
        "encoding uncertain: the end of the file is neither valid UTF-8 nor GBK/GB18030. Choose one",
    ),
    "refused_spreadsheet": ("无法读取电子表格：{error}", "cannot read the spreadsheet: {error}"),
    "refused_no_sheet": (
        "工作簿中没有工作表 '{sheet}'（有：{sheets}）",
        "the workbook has no sheet '{sheet}' (it has: {sheets})",
    ),
    "refused_empty_sheet": (
        "工作表 '{sheet}' 为空（可另选：{others}）",
        "sheet '{sheet}' is empty (others: {others})",
    ),
    "refused_sheet_no_header": (
        "工作表 '{sheet}' 第一行没有表头",
        "sheet '{sheet}' has no headers on its first row",
    ),
    "note_reading_sheet": ("读取工作表 '{sheet}'", "reading sheet '{sheet}'"),
    "note_reading_sheet_others": (
        "读取工作表 '{sheet}'（工作簿另有：{others}；可另选工作表）",
        "reading sheet '{sheet}' (the workbook also holds {others}; another may be chosen)",
    ),
    "note_boms_removed": (
        "已删除文件中的 {count:,} 个字节顺序标记（U+FEFF）",
        "removed {count:,} byte order marks (U+FEFF) from the file",
    ),
    "refused_header_only": ("文件只有表头，没有数据行", "the file has headers but no data rows"),
    "refused_unknown_kind": (
        "未知的文件类型 '{kind}'（可用：{kinds}）",
        "unknown kind of file '{kind}' (known: {kinds})",
    ),
    "refused_kind_not_found": (
        "无法从表头识别文件类型（表头：{headers}）。可选类型：{kinds}",
        "cannot tell the kind of file from its headers ({headers}). Kinds: {kinds}",
    ),
    "refused_missing_columns": ("{kind}缺少必填列：{columns}", "{kind} lacks required columns: {columns}"),
    "missing_column": (
        "{header}（{field}，可用表头：{accepted}）",
        "{header} ({field}; accepted headers: {accepted})",
    ),
    "refused_csv": ("文件无法按 CSV 读取：{error}", "the file cannot be read as CSV: {error}"),
    # The batch and its report.
    "batch_all_unchanged": (
        "所有文件都与已导入的文件完全相同，仓库未做更改",
        "every file is identical to one already loaded; the warehouse is unchanged",
    ),
    "batch_nothing": ("没有可导入的文件", "no file to load"),
    "batch_refused": (
        "批次被拒绝（{files}），整批未导入；请按说明修改后重新上传",
        "the batch was refused ({files}) and nothing was loaded; fix what is said and upload again",
    ),
    "batch_sibling_refused": (
        "同批次有文件被拒绝，本文件未导入",
        "another file of the batch was refused, so this one was not loaded",
    ),
    "note_repeated_lines": (
        "{count:,} 行与本文件前面的行完全相同，只写入一次",
        "{count:,} lines repeat an earlier line of this file exactly and are written once",
    ),
    "note_already_held": (
        "{count:,} 行仓库中已有（或在本文件中重复），未重复写入",
        "{count:,} rows are already in the warehouse (or repeat in this file) and are not written again",
    ),
    "failed_rolled_back": (
        "写入失败，整批已回滚，仓库未做任何更改：{cause}",
        "writing failed; the whole batch was rolled back and the warehouse is unchanged: {cause}",
    ),
    "locked": (
        "仓库文件正被另一个进程使用（仪表盘是否正在运行？）。本次导入未做任何更改；"
        "请在仪表盘的“数据上传”页导入，或关闭仪表盘后重试",
        "the warehouse file is in use by another process (is the dashboard running?). Nothing was "
        "changed; load on the dashboard's 数据上传 (upload) page, or close the dashboard and retry",
    ),
    "undo_no_load": ("没有第 {load_id} 号导入", "there is no load #{load_id}"),
    "undo_not_loaded": (
        "第 {load_id} 号导入的状态是 {outcome}，不能撤销",
        "load #{load_id} is {outcome} and cannot be undone",
    ),
    "undo_before_rebuild": (
        "第 {load_id} 号导入早于演示/测试数据的整库重建，不能撤销",
        "load #{load_id} predates the rebuild of the warehouse (demo or test data) and cannot be undone",
    ),
    "undo_dependents": (
        "以下后续导入依赖第 {load_id} 号导入，需先撤销：{names}",
        "these later loads depend on load #{load_id} and must be undone first: {names}",
    ),
    "rows_of": ("{value}（{rows:,} 行）", "{value} ({rows:,} rows)"),
    "covers": ("{what}：{values}", "{what}: {values}"),
    "covers_range": ("{what}：{low} 至 {high}", "{what}: {low} to {high}"),
    "covers_org": (
        "人员：{people:,}（替换当前组织架构）",
        "people: {people:,} (replacing the current organisation)",
    ),
    "covers_snapshot_date": ("快照日期", "snapshot dates"),
    "covers_period": ("帐期", "periods"),
    "covers_year": ("年度", "years"),
    "covers_changed_at": ("变更时间", "changed"),
    "covers_activity_date": ("活动日期", "activity dates"),
    "covers_requested_date": ("提出日期", "requested"),
    "covers_signed_date": ("签订日期", "signed"),
    "warning_unknown_owner": (
        "{n} 个客户经理工号不在组织架构中（商机已导入）：{items}",
        "{n} account manager ids are not in the organisation (the opportunities were loaded): {items}",
    ),
    "warning_unknown_staff": (
        "{n} 个工号不在组织架构中（营销活动已导入）：{items}",
        "{n} staff ids are not in the organisation (the activities were loaded): {items}",
    ),
    "warning_history_without_snapshot": (
        "{n} 个商机有阶段变更记录，但没有任何商机快照包含它们：{items}",
        "{n} opportunities have stage changes but are in no opportunity snapshot: {items}",
    ),
    "warning_budget_without_revenue": (
        "预算年度 {items} 还没有任何收入列帐",
        "no revenue is booked yet for the budget years {items}",
    ),
    "duplicate_keys": (
        "{kind}写入后有 {count:,} 个（{keys}）重复，整批不导入",
        "{kind} would hold {count:,} repeated ({keys}) after the write; the batch is not loaded",
    ),
    "outcome_loaded": ("已导入", "loaded"),
    "outcome_unchanged": ("未更改（相同文件已导入）", "unchanged (the same file was loaded before)"),
    "outcome_refused": ("被拒绝", "refused"),
    "outcome_failed": ("失败（仓库未更改）", "failed (the warehouse is unchanged)"),
    "outcome_preview": ("预览", "preview"),
    "outcome_unconfirmed": (
        "未导入（减少过多，需要确认）",
        "not loaded (shrinks too much; needs confirming)",
    ),
    # A line the CSV reader could not split as the header ({line}, {found}, {error}: filled in SQL).
    "ragged_cells": (
        "第 {line} 行有 {found} 列，表头有 {columns} 列（列数不齐）",
        "line {line} has {found} cells where the header has {columns}",
    ),
    "ragged_unreadable": (
        "第 {line} 行无法按 CSV 读取（{error}）：请检查引号是否成对",
        "line {line} cannot be read as CSV ({error}): check that its quotes are paired",
    ),
    # Encoding: a file or line the encoding refuses, and doubts about which encoding it is.
    "decode_offset": (
        "文件在第 {offset:,} 字节处不是有效的 {encoding} 编码",
        "the file is not valid {encoding} at byte {offset:,}",
    ),
    "decode_header": (
        "文件第 1 行（表头）不是有效的 {encoding} 编码",
        "line 1 (the header) is not valid {encoding}",
    ),
    "decode_many": (
        "文件有 {count} 行不是有效的 {encoding} 编码（第一处在第 {first} 行），可能选错了编码",
        "{count} lines are not valid {encoding} (the first is line {first}): the encoding may be wrong",
    ),
    "decode_at_least": ("至少 {count:,}", "at least {count:,}"),
    "decode_line": ("第 {line} 行不是有效的 {encoding} 编码", "line {line} is not valid {encoding}"),
    "decode_line_other": (
        "第 {line} 行{verb} {other} 编码，而文件是 {encoding}：按 {encoding} 读会成乱码，"
        "请按 {encoding} 重新保存该行",
        "line {line} {verb} {other} in a {encoding} file: read as {encoding} it would be garbled; "
        "save that line as {encoding} again",
    ),
    "decode_verb_is": ("是", "is"),
    "decode_verb_looks": ("像是", "looks like"),
    "detect_unknown": ("未知编码 '{name}'（可用：{known}）", "unknown encoding '{name}' (use {known})"),
    "detect_control": (
        "文件含控制字符，可能不是文本文件或编码不对",
        "the file holds control characters: it may not be text, or the encoding is wrong",
    ),
    "detect_rare": (
        "按 {encoding} 解码得到大量生僻字，可能是乱码",
        "decoded as {encoding} it reads as many rare characters: probably garbled",
    ),
    "detect_unsure": (
        "无法确定文件编码（不是有效的 UTF-8 或 GBK/GB18030）",
        "the file's encoding cannot be told (it is not valid UTF-8, GBK or GB18030)",
    ),
    "detect_header_cell": (
        "文件第一行不是表头：有单元格超过 {limit:,} 个字符（{error}）",
        "the first line is no header: a cell is longer than {limit:,} characters ({error})",
    ),
    "lines_unplaced": (
        "文件含无法定位的换行，行号按记录顺序给出",
        "the file has line breaks that cannot be placed: line numbers are given in record order",
    ),
    # Progress of a load (the upload page's bar).
    "progress_parse": ("解析 {name}", "Reading {name}"),
    "progress_write": ("写入 {name}", "Writing {name}"),
    "progress_committed": ("已提交", "Committed"),
    # A file loaded before, byte for byte; an undo.
    "unchanged_same": (
        "与第 {load_id} 号导入（{when}，{by}）的文件完全相同（SHA-256），未做更改",
        "identical (SHA-256) to load #{load_id} ({when}, {by}): nothing changed",
    ),
    "unchanged_superseded": (
        "。其数据已被后来的导入替换：{names}；再次导入旧文件不会恢复旧数据。"
        "如需恢复，请在“导入记录”页（或用 {command}）撤销后来的导入",
        ". Its data was replaced by later loads: {names}; loading the old file again does not bring it back. "
        "To go back, undo those on the 导入记录 (load history) page or with {command}",
    ),
    "undo_done": ("撤销导入 {loads}", "Undo of loads {loads}"),
    # What a load replaces (the preview, the command's output and its refusal).
    "replace_title": ("将替换的数据", "What this load replaces"),
    "replace_line": (
        "{label}{key}：现有 {old} → 导入后 {new}",
        "{label}{key}: held {old} → after the load {new}",
    ),
    "replace_amount": ("{rows:,} 行（{wan:,.1f} 万元）", "{rows:,} rows ({wan:,.1f} 万元)"),
    "replace_rows": ("{rows:,} 行", "{rows:,} rows"),
    "replace_branches": (
        "只替换文件中的分公司：{branches}（其他分公司的 {kept:,} 行保留）",
        "only the file's branches are replaced: {branches} (the other branches' {kept:,} rows stay)",
    ),
    "replace_shrink": ("（减少 {share:.1%}）", " (down {share:.1%})"),
    "replace_separator": ("；", "; "),
    "replace_file": ("  {file}：{sentence}", "  {file}: {sentence}"),
    "replace_confirm": (
        "确认用 {new}替换{label}{key}{branches} 的 {old}",
        "confirm: replace {old} of {label}{key}{branches} with {new}",
    ),
    "replace_refused": (
        "以下替换会使现有数据减少超过 {share:.0%}，需要确认后才能导入（命令行加 --confirm-shrink）；"
        "仓库未做任何更改：\n{lines}",
        "these replacements shrink what is held by more than {share:.0%} and need confirmation "
        "(on the command line: --confirm-shrink); nothing was changed:\n{lines}",
    ),
    "replace_ids": ("{count:,} 个编号", "{count:,} ids"),
    "replace_org": ("（全部人员）", " (everyone)"),
    "replace_key_snapshot_date": ("快照日期 ", "snapshot "),
    "replace_key_period": ("帐期 ", "period "),
    "replace_key_year": ("年度 ", "year "),
    "replace_key_contract_id": ("合同 ", "contracts "),
    "replace_key_request_id": ("支撑需求 ", "support requests "),
    "replace_key_org": ("组织架构", "org"),
    "summary_file": ("文件", "File"),
    "summary_kind": ("类型", "Kind"),
    "summary_encoding": ("编码", "Encoding"),
    "summary_rows_in": ("读入行数", "Rows in"),
    "summary_loaded": ("导入行数", "Rows loaded"),
    "summary_quarantined": ("隔离行数", "Rows quarantined"),
    "summary_written": ("新写入", "New"),
    "summary_replaced": ("替换", "Replaced"),
    "summary_coverage": ("范围", "Coverage"),
    "summary_outcome": ("结果", "Outcome"),
    "summary_message": ("说明", "Note"),
    "summary_load_id": ("导入编号", "Load #"),
    "quarantine_file_name": ("文件", "File"),
    "quarantine_line_no": ("行号", "Line"),
    "quarantine_field": ("字段", "Field"),
    "quarantine_raw_value": ("原始值", "Value"),
    "quarantine_reason": ("原因", "Reason"),
    "quarantine_raw_row": ("原始行", "Line as written"),
}
"""Every text of the loader by code: (Chinese, English)."""

_LANGUAGE: ContextVar[str] = ContextVar("loader_language", default="zh")


class _Kept(dict):
    """Format parameters that leave a placeholder not given as it is ({value} for SQL)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def language() -> str:
    """The language the loader speaks now."""
    return _LANGUAGE.get()


def use_language(code: str) -> None:
    """Speak ``code`` (zh or en) from now on in this thread of work (a dashboard run)."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    _LANGUAGE.set(code)


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak ``code`` inside the block, then what was spoken before."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    token = _LANGUAGE.set(code)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def say(code: str, /, **params: object) -> str:
    """The text ``code`` in the loader's language, with ``params`` put in."""
    zh, en = MESSAGES[code]
    return (en if language() == "en" else zh).format_map(_Kept(params))
