"""Labels of the upload page (数据上传) and the load history page (导入记录).

The kinds of file, accepted headers and upload rules these pages talk about are
docs/upload.md (generated from the loader's field list); who may load: docs/roles.md.
"""

from __future__ import annotations

from analytics.loader.messages import MESSAGES

LABELS: dict[str, tuple[str, str]] = {
    "section_data": ("数据", "Data"),
    "page_upload": ("数据上传", "Upload"),
    "page_load_history": ("导入记录", "Load history"),
    "upload_no_right": ("只有分析员和营销总监可以导入数据。", "Only analysts and directors may load data."),
    "upload_intro": (
        "选择一个或多个导出文件（CSV、TXT、XLSX，或装有它们的 ZIP）。写入前先预览每个文件的识别结果；"
        "同一批文件要么全部导入，要么全部不导入。",
        "Choose one or more export files (CSV, TXT, XLSX, or a ZIP of them). Each file is previewed "
        "before anything is written; a batch is loaded all or nothing.",
    ),
    "upload_choose": ("选择导出文件", "Choose export files"),
    "upload_preview": ("预览", "Preview"),
    "upload_kind": ("文件类型", "Kind"),
    "upload_encoding": ("编码", "Encoding"),
    "upload_delimiter": ("分隔符", "Delimiter"),
    "upload_sheet": ("工作表", "Worksheet"),
    "upload_auto": ("自动识别", "Detect"),
    "upload_snapshot": ("快照日期", "Snapshot date"),
    "upload_snapshot_set": (
        "指定快照日期（覆盖文件中的导出日期）",
        "Set the snapshot date (overrides 导出日期)",
    ),
    "upload_mapping": ("表头 → 字段", "Header → field"),
    "upload_mapping_help": (
        "识别错误时可改为其他字段，或选“（忽略）”只保留在原始副本中。",
        "Change a field when detection is wrong, or pick “(ignore)” to keep the column in the raw copy only.",
    ),
    "upload_ignore": ("（忽略）", "(ignore)"),
    "upload_header": ("表头", "Header"),
    "upload_field": ("字段", "Field"),
    "upload_unit": ("单位", "Unit"),
    "upload_coverage": ("覆盖范围", "Covers"),
    "upload_first_rows": ("前几行（按入库后的样子）", "First rows, as they will be stored"),
    "upload_problems": ("将被隔离的行（前 200 条）", "Rows that will be quarantined (first 200)"),
    "upload_diff": ("与上次同类导入相比的列变化", "Column changes since the previous load of this kind"),
    "upload_diff_none": ("列与上次同类导入相同。", "Same columns as the previous load of this kind."),
    "upload_diff_first": ("这是此类文件的第一次导入。", "First load of this kind."),
    "upload_added": ("新增列", "Added"),
    "upload_missing": ("缺少的列", "Missing"),
    "upload_renamed": ("改名的列", "Renamed"),
    "upload_refused": ("此文件不能导入", "This file cannot be loaded"),
    "upload_choose_encoding": ("请选择编码后重新预览", "Choose an encoding to preview again"),
    "upload_load": ("导入这批文件", "Load this batch"),
    "upload_blocked": ("有文件被拒绝，请先按提示处理。", "A file is refused: fix it first."),
    "upload_progress": ("正在导入…", "Loading…"),
    "upload_report": ("导入报告", "Load report"),
    "upload_rows_in": ("读入行数", "Rows in"),
    "upload_rows_loaded": ("导入行数", "Rows loaded"),
    "upload_rows_quarantined": ("隔离行数", "Rows quarantined"),
    "upload_warnings": ("提示（不影响导入）", "Warnings (loaded anyway)"),
    "upload_quarantine": ("隔离的行", "Quarantined rows"),
    "upload_download": ("下载报告（Excel）", "Download the report (Excel)"),
    "upload_done": ("导入完成。", "Loaded."),
    "upload_after_commit": ("提交后的步骤", "Steps after the commit"),
    "upload_step_failed": (
        "失败（数据已导入，下次导入或启动时自动补做）：",
        "failed (the data is loaded; retried at the next load or start):",
    ),
    "step_derived": ("汇总表构建", "Derived tables"),
    "step_freeze": ("冻结本周预测", "Forecast freeze"),
    "step_backtest": ("校准回测状态", "Calibration backtest states"),
    "step_calibration": ("校准回测汇总", "Calibration backtest sums"),
    "step_past_rates": ("上期胜率表", "The previous snapshot's win rates"),
    "step_checkpoint": ("写入压缩存储", "DuckDB checkpoint"),
    "upload_unchanged": (
        "这些文件已导入过，仓库未做更改。",
        "These files were loaded before; nothing changed.",
    ),
    "upload_failed": ("导入失败，仓库未做任何更改。", "The load failed; the warehouse is unchanged."),
    "upload_refused_batch": ("这批文件被拒绝，仓库未做任何更改。", "The batch was refused; nothing changed."),
    "upload_confirm_needed": (
        "以下替换会使现有数据减少超过 {share}：请逐项确认后再导入。",
        "These replacements shrink what is held by more than {share}: confirm each before loading.",
    ),
    "upload_unconfirmed": (
        "未导入：这批文件会使现有数据减少过多，需要确认。仓库未做任何更改。",
        "Not loaded: this batch shrinks what is held too much and needs confirmation. Nothing changed.",
    ),
    "history_empty": ("还没有导入记录。", "No loads yet."),
    "history_loads": ("导入记录", "Loads"),
    "history_detail": ("查看一次导入", "Inspect a load"),
    "history_notes": ("提示", "Warnings"),
    "history_no_quarantine": ("这次导入没有隔离的行。", "This load quarantined no rows."),
    "history_undo": ("撤销导入", "Undo a load"),
    "history_undo_pick": ("选择要撤销的导入", "Load to undo"),
    "history_undo_none": ("没有可以撤销的导入。", "No load can be undone."),
    "history_undo_dependents": (
        "以下后续导入依赖它，将先被撤销：",
        "These later loads depend on it and will be undone first:",
    ),
    "history_undo_confirm": (
        "我确认撤销（仓库将回到这次导入之前的状态，包括它冻结的周预测）",
        "I confirm (the warehouse returns to its state before this load, frozen weekly forecasts included)",
    ),
    "history_undo_button": ("撤销", "Undo"),
    "history_undone": ("已撤销：", "Undone:"),
    "history_col_load_id": ("编号", "Load"),
    "history_col_loaded_at": ("时间", "When"),
    "history_col_loaded_by": ("导入人", "By"),
    "history_col_file_name": ("文件", "File"),
    "history_col_file_size": ("大小（字节）", "Size (bytes)"),
    "history_col_sha256": ("SHA-256", "SHA-256"),
    "history_col_kind": ("类型", "Kind"),
    "history_col_encoding": ("编码", "Encoding"),
    "history_col_rows_in": ("读入", "In"),
    "history_col_rows_loaded": ("导入", "Loaded"),
    "history_col_rows_quarantined": ("隔离", "Quarantined"),
    "history_col_outcome": ("结果", "Outcome"),
    "history_col_message": ("说明", "Note"),
    "history_outcome_loaded": ("已导入", "loaded"),
    "history_outcome_unchanged": ("无变化", "unchanged"),
    "history_outcome_refused": ("已拒绝", "refused"),
    "history_outcome_failed": ("失败", "failed"),
    "history_outcome_undo": ("撤销操作", "undo"),
    "history_outcome_undone": ("已撤销", "undone"),
    "history_outcome_demo": ("演示数据", "demo data"),
    "history_outcome_fixture": ("测试数据", "test data"),
    "history_kind_all": ("全部类型", "every kind"),
    "history_by_demo": ("演示数据生成", "demo generator"),
    "history_file_demo": ("（演示数据）", "(demo data)"),
}

# The loader's own words (quarantine reasons, refusals, report headers) are kept once, in
# analytics/loader/messages.py, below the UI; the catalogue shows them as loader_<code>.
LABELS.update({f"loader_{code}": words for code, words in MESSAGES.items()})
