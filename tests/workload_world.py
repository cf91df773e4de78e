"""A small, hand-checkable warehouse for the account-manager scorecard (issue 8).

as_of is 2026-06-30.  W (13 weeks) is 2026-04-01 … 2026-06-30, T (12 months)
2025-07-01 … 2026-06-30.  Two teams:

* 浦东一组: A1 (busy, 7 closed deals), A2 (one won deal: the small sample),
  A5 (hides orders: registers deals late; no org_history rows, so the
  current org team is used), and A3 since 2026-04-15;
* 徐汇一组: A3 until 2026-04-14 (a team move), A4 (no deals at all).

Window edges on purpose: P4 won on T's first day and P5 on its last, P6 won
the day before T; P1 and M4 created on W's first day, P3 on its last, P2 the
day before W; AC1 on W's first day, AC3 on its last, AC2 the day before.  M3
closed on A3's last day in 徐汇一组.  H7 was won 7 days after creation (late),
P11 8 days after (not late).  The 2026-02-23 snapshot is partial: it holds
only H3 (first seen at stage 1) and H6 (first seen at stage 3), the two won
deals without stage history.  Expected values are worked out in
tests/test_metrics_workload.py.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from tests.world_text import parse_dates as _dates
from tests.world_text import read_table as _read
from tests.world_text import with_contract_fields

AS_OF = date(2026, 6, 30)
EARLY_SNAPSHOT = date(2026, 2, 23)

ORG = """staff_id,name,role,team,branch,active
D1,总监甲,director,,,true
T1,经理浦,team_manager,浦东一组,浦东,true
T2,经理徐,team_manager,徐汇一组,徐汇,true
A1,张一,account_manager,浦东一组,浦东,true
A2,李二,account_manager,浦东一组,浦东,true
A3,王三,account_manager,浦东一组,浦东,true
A4,赵四,account_manager,徐汇一组,徐汇,true
A5,钱五,account_manager,浦东一组,浦东,true
"""

ORG_HISTORY = """staff_id,team,branch,role,valid_from,valid_to
T1,浦东一组,浦东,team_manager,2024-01-01,
T2,徐汇一组,徐汇,team_manager,2024-01-01,
A1,浦东一组,浦东,account_manager,2024-01-01,
A2,浦东一组,浦东,account_manager,2024-01-01,
A3,徐汇一组,徐汇,account_manager,2024-01-01,2026-04-14
A3,浦东一组,浦东,account_manager,2026-04-15,
A4,徐汇一组,徐汇,account_manager,2024-01-01,
"""

# The newest snapshot (2026-06-30): every opportunity.
OPPORTUNITIES = """opportunity_id,owner_id,customer_id,origin,status,stage,annual_value,created_date,expected_close_date,closed_date
P1,A1,C1,mined,open,3,200000,2026-04-01,2026-06-15,
P2,A1,C2,dispatched,open,1,40000,2026-03-31,2026-12-31,
P3,A1,C1,mined,open,2,60000,2026-06-30,2027-03-31,
P4,A1,C3,mined,won,4,50000,2025-05-01,2025-07-01,2025-07-01
P5,A1,C4,mined,won,4,30000,2026-01-10,2026-06-30,2026-06-30
P6,A1,C3,mined,won,4,70000,2025-03-01,2025-06-30,2025-06-30
P7,A1,C5,mined,lost,1,20000,2025-10-01,2026-02-01,2026-02-01
P8,A1,C5,mined,terminated,0,10000,2025-11-01,2026-03-01,2026-03-01
P9,A1,C4,mined,won,4,40000,2026-02-01,2026-05-01,2026-05-01
P10,A1,C6,mined,lost,2,30000,2026-01-05,2026-04-05,2026-04-05
P11,A1,C7,dispatched,won,4,35000,2026-05-24,2026-06-01,2026-06-01
Q1,A2,C8,mined,won,4,100000,2026-03-01,2026-05-01,2026-05-01
Q2,A2,C8,dispatched,open,0,8000,2026-05-15,2026-09-30,
M1,A3,C9,mined,won,4,60000,2025-09-01,2026-01-15,2026-01-15
M2,A3,C10,mined,won,4,80000,2026-01-20,2026-04-20,2026-04-20
M3,A3,C11,mined,lost,1,25000,2025-12-01,2026-04-14,2026-04-14
M4,A3,C9,mined,open,2,90000,2026-04-01,2026-08-31,
H1,A5,C12,dispatched,won,4,30000,2026-05-01,2026-05-05,2026-05-05
H2,A5,C13,mined,won,4,50000,2026-03-01,2026-04-01,2026-04-01
H3,A5,C14,mined,won,4,40000,2026-01-01,2026-03-01,2026-03-01
H5,A5,C15,mined,lost,1,10000,2026-02-01,2026-03-01,2026-03-01
H6,A5,C16,mined,won,4,20000,2026-02-10,2026-04-10,2026-04-10
H7,A5,C17,mined,won,4,20000,2026-06-23,2026-06-30,2026-06-30
"""

STAGE_HISTORY = """opportunity_id,from_stage,to_stage,to_status,changed_at
P1,,1,open,2026-04-01 09:00:00
P1,1,3,open,2026-04-11 09:00:00
P2,,1,open,2026-03-31 09:00:00
P3,,2,open,2026-06-30 09:00:00
P4,,2,open,2025-05-01 09:00:00
P4,2,,won,2025-07-01 09:00:00
P5,,1,open,2026-01-10 09:00:00
P5,1,,won,2026-06-30 09:00:00
P6,,1,open,2025-03-01 09:00:00
P6,1,,won,2025-06-30 09:00:00
P7,,1,open,2025-10-01 09:00:00
P7,1,,lost,2026-02-01 09:00:00
P8,,0,open,2025-11-01 09:00:00
P8,0,,terminated,2026-03-01 09:00:00
P9,,1,open,2026-02-01 09:00:00
P9,1,,won,2026-05-01 09:00:00
P10,,2,open,2026-01-05 09:00:00
P10,2,,lost,2026-04-05 09:00:00
P11,,1,open,2026-05-24 09:00:00
P11,1,,won,2026-06-01 09:00:00
Q1,,1,open,2026-03-01 09:00:00
Q1,1,,won,2026-05-01 09:00:00
Q2,,0,open,2026-05-15 09:00:00
M1,,1,open,2025-09-01 09:00:00
M1,1,,won,2026-01-15 09:00:00
M2,,1,open,2026-01-20 09:00:00
M2,1,,won,2026-04-20 09:00:00
M3,,1,open,2025-12-01 09:00:00
M3,1,,lost,2026-04-14 09:00:00
M4,,2,open,2026-04-01 09:00:00
H1,,1,open,2026-05-01 09:00:00
H1,1,,won,2026-05-05 09:00:00
H2,,3,open,2026-03-01 09:00:00
H2,3,,won,2026-04-01 09:00:00
H5,,1,open,2026-02-01 09:00:00
H5,1,,lost,2026-03-01 09:00:00
H7,,0,open,2026-06-23 09:00:00
H7,0,,won,2026-06-30 09:00:00
"""

ACTIVITIES = """activity_id,opportunity_id,customer_id,staff_id,type,activity_date
AC1,P1,C1,A1,visit,2026-04-01
AC2,P2,C2,A1,call,2026-03-31
AC3,,C4,A1,visit,2026-06-30
AC4,P2,C2,A1,proposal,2026-05-10
AC5,M4,C9,A3,visit,2026-04-02
AC6,M4,C9,A3,meeting,2026-05-02
AC7,,C11,A3,visit,2026-03-20
AC8,,C12,A5,visit,2026-06-01
"""

SUPPORT = """request_id,opportunity_id,type,requested_date,resolved_date
S1,P1,technical,2026-06-01,
S2,P1,resource,2026-05-01,2026-05-10
S3,M4,business,2026-06-20,2026-07-05
S4,H1,technical,2026-05-02,
S5,Q2,technical,2026-07-01,
"""

TARGETS = """year,staff_id,amount
2026,A1,400000
2026,A3,300000
2026,A4,100000
2025,A1,999999
"""


def _snapshot() -> pd.DataFrame:
    """The newest snapshot as written, and the partial early one (H3, H6 still open)."""
    newest = _dates(_read(OPPORTUNITIES), "created_date", "expected_close_date", "closed_date")
    newest["name"] = "商机" + newest["opportunity_id"]
    newest["customer_name"] = "客户" + newest["customer_id"]
    newest["industry"] = "金融"
    newest["product"] = "综合VPN"
    newest["business_type"] = "basic"
    newest["stage"] = newest["stage"].astype(int)
    newest["annual_value"] = newest["annual_value"].astype(float)
    newest["snapshot_date"] = AS_OF
    newest = with_contract_fields(newest, "opportunities")
    early = newest[newest["opportunity_id"].isin(["H3", "H6"])].copy()
    early["snapshot_date"] = EARLY_SNAPSHOT
    early["status"] = "open"
    early["closed_date"] = None
    early["stage"] = early["opportunity_id"].map({"H3": 1, "H6": 3})
    return pd.concat([early, newest], ignore_index=True)


def build_frames() -> dict[str, pd.DataFrame]:
    """The workload world as frames keyed by table name."""
    org = _read(ORG)
    org["active"] = org["active"] == "true"
    history = _dates(_read(ORG_HISTORY), "valid_from", "valid_to")
    snap = _snapshot()
    snapshots = snap.groupby("snapshot_date").size().rename("row_count").reset_index()
    stages = _read(STAGE_HISTORY)
    for column in ("from_stage", "to_stage"):
        stages[column] = pd.array(pd.to_numeric(stages[column]), dtype="Int64")
    stages["changed_at"] = pd.to_datetime(stages["changed_at"])
    stages = with_contract_fields(stages, "stage_history")
    targets = _read(TARGETS)
    targets["year"] = targets["year"].astype(int)
    targets["amount"] = targets["amount"].astype(float)
    return {
        "org": org,
        "org_history": history,
        "snapshots": snapshots,
        "opportunity_snapshot": snap,
        "stage_history": stages,
        "activities": _dates(_read(ACTIVITIES), "activity_date"),
        "support_requests": _dates(_read(SUPPORT), "requested_date", "resolved_date"),
        "targets": targets,
    }
