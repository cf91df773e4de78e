"""Labels for what Streamlit or the data would otherwise show in English (issue 17 item 9).

Activity and support codes in the opportunity story, the calibration table's
all-buckets row, the uploader's hint line, and what a viewer without data
rights is told.
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
        "您的账户没有可查看的业务数据范围（未绑定组织中的人员或角色）。请联系营销总监在用户管理中为您绑定工号。",
        "Your account has no data scope (no staff or role bound). Ask a director to bind your staff id in Users.",
    ),
}
