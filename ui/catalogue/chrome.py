"""Labels for what Streamlit or the data would otherwise show in English (issue 17 item 9).

Activity and support codes in the opportunity story, the calibration table's
all-buckets row, the uploader's hint line, and what a viewer without data
rights is told (docs/upload.md for the uploader's limits, docs/roles.md for
who may see data).
"""

LABELS = {
    "activity_visit": ("拜访", "visit"),
    "activity_call": ("电话", "call"),
    "activity_proposal": ("方案", "proposal"),
    "activity_meeting": ("会议", "meeting"),
    "activity_senior_visit": ("高层拜访", "senior visit"),
    "activity_solution_review": ("方案论证会", "solution review"),
    "support_technical": ("技术", "technical"),
    "support_resource": ("资源", "resource"),
    "support_business": ("业务", "business"),
    "cal_bucket_all": ("全部", "all"),
    "upload_limits": (
        "可拖入或点击选择文件：CSV、TXT、XLSX、ZIP，每个文件不超过 {mb} MB。",
        "Drop files or click to choose: CSV, TXT, XLSX, ZIP, at most {mb} MB each.",
    ),
    "upload_button": ("选择文件", "Choose files"),
    "no_data_rights": (
        "您的账户没有可查看的业务数据范围：分析员账户默认只负责导入数据，其他账户需绑定组织架构中在职的人员和角色。如需查看，请联系营销总监。",
        "Your account has no data to view: analyst accounts load data only by default, other accounts need an "
        "active person and role in the org data. Ask a director if you need to see data.",
    ),
    # The forecast's band note in parts, so that zero reads as what it means (issue 17 item 10).
    "fc_band_runs": (
        "P10–P90 来自 {runs:,} 次模拟：每个在途商机按其赢单概率独立抽样，",
        "P10–P90 from {runs:,} runs: each open deal wins as an independent draw with its probability and ",
    ),
    "fc_band_slips": (
        "签约月份按历史签约时点抽样（{slips:,} 个赢单样本，连同窗口内仍未关闭的在途商机的观察时间，按生存表估计；"
        "全公司一条曲线，按阶段分别估计在回测中未胜过它，故未采用）；",
        "closes in a month drawn from the historical timing of wins (a life table of every deal seen open in the "
        "window, {slips:,} of them won, those still open counting as time watched; one company-wide curve, as a "
        "curve per stage did not beat it on the backtest); ",
    ),
    "fc_band_no_slips": (
        "尚无赢单样本可估计延期，签约月份取预计签约月份；",
        "no won deals yet to learn slips from, so it closes in its expected month; ",
    ),
    "fc_band_mean": (
        "已完成收入与存量延续视为已知。模拟均值 {mean} 万元（含延期，故可与不含延期的预测值不同）。",
        "revenue to date and the run-rate are taken as known. Simulated mean {mean} (slips included, so it can "
        "differ from the forecast, which has none). ",
    ),
    "fc_band_mixed": (
        "逐笔模拟的商机 {exact:,} 个（占方差 {share}），其余 {normal:,} 个小额商机按其总和的正态分布计入。",
        "{exact:,} deals drawn one by one ({share} of the variance), the other {normal:,} small ones through "
        "the normal law of their sum.",
    ),
    "fc_band_all_exact": (
        "全部 {exact:,} 个在途商机逐笔模拟。",
        "All {exact:,} open deals drawn one by one.",
    ),
    "fc_band_all_normal": (
        "{normal:,} 个在途商机金额都较小，按其总和的正态分布计入。",
        "All {normal:,} open deals are small and enter through the normal law of their sum.",
    ),
    "fc_band_no_deals": (
        "当前范围没有在途商机，区间只含已完成收入与存量延续。",
        "No open deals in this selection: the band holds revenue to date and the run-rate only.",
    ),
}
