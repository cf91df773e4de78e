"""A small, hand-checkable world for the funnel, durations, process and explorer tests.

as_of is 2026-06-30; snapshots on 06-16, 06-23 and 06-30.  Each opportunity
exists to exercise one rule (the expected values are worked out by hand in
tests/test_metrics_funnel.py and friends):

* F1 full path 0→1→2→3→4→won; F2 skips 2 (1→3) and is won from 3 with its
  snapshots saying stage 3 (won implies reached 4);
* F3 advances to 3 and is then lost (lost-after-advance);
* F4 is lost at 1, reopened at 1, then moves to 2 (reopen);
* F5's history only shows 0→1, but the 06-16 snapshot said stage 2 (max stage
  from every snapshot), later snapshots say 1;
* F6 skips 2 (1→3) then moves back to 2 (backward move; max stage from history);
* F7 is terminated at 0; F8 is created 06-10 and moves to 1 on 06-25 (after the
  06-23 snapshot: as_of 06-23 must not see it);
* F9 was won in 2025 (outside the default cohort); F10 starts at 2, is won and
  then moves to implementation stage 5 (counts as 4).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from tests.world_text import parse_dates as _dates
from tests.world_text import read_table as _read
from tests.world_text import with_contract_fields

AS_OF = date(2026, 6, 30)
SNAPSHOT_DATES = (date(2026, 6, 16), date(2026, 6, 23), date(2026, 6, 30))

ORG = """staff_id,name,role,team,branch,active
D1,总监甲,director,,,true
B1,局长乙,branch_head,,浦东,true
T1,经理丙,team_manager,浦东一组,浦东,true
A1,张三,account_manager,浦东一组,浦东,true
A2,李四,account_manager,浦东二组,浦东,true
A3,王五,account_manager,徐汇一组,徐汇,true
"""

# The newest snapshot (2026-06-30).
OPPORTUNITIES = """opportunity_id,owner_id,status,stage,annual_value,business_type,created_date,expected_close_date,closed_date,user_count,product,industry,origin,campaign,competitor,abnormal
F1,A1,won,4,120000,basic,2026-01-05,2026-04-30,2026-04-20,,综合VPN,金融,mined,春季行动,中国移动,false
F2,A1,won,3,30000,basic,2026-02-01,2026-03-15,2026-03-01,,企业总机,金融,mined,,,false
F3,A2,lost,3,60000,basic,2026-03-01,2026-05-31,2026-05-10,,综合VPN,制造,dispatched,春季行动,中国联通,false
F4,A2,open,2,20000,basic,2026-02-15,2026-07-31,,,企业总机,制造,mined,,,false
F5,A3,open,1,8000,basic,2026-04-01,2026-06-20,,,短信群发,教育,mined,,,true
F6,A3,open,2,85000,transformation,2026-03-10,2026-09-30,,,ICT集成,政府,dispatched,数字政府,中国移动,false
F7,A1,terminated,0,15000,basic,2026-05-01,2026-07-15,2026-05-20,,综合VPN,零售,mined,,,false
F8,A1,open,1,5000,basic,2026-06-10,2026-08-31,,30,综合VPN,零售,mined,,,false
F9,A3,won,4,200000,basic,2025-03-01,2025-06-30,2025-06-01,,数据专线,金融,mined,,,false
F10,A2,won,5,95000,transformation,2026-01-20,2026-03-31,2026-03-10,,ICT集成,政府,mined,,,false
"""

# What differed in the older snapshots: (snapshot date, opportunity, column, value).
OLDER = (
    ("2026-06-16", "F4", "expected_close_date", "2026-06-20"),
    ("2026-06-23", "F4", "expected_close_date", "2026-07-15"),
    ("2026-06-16", "F5", "stage", 2),
    ("2026-06-16", "F6", "expected_close_date", "2026-08-31"),
    ("2026-06-16", "F8", "stage", 0),
    ("2026-06-23", "F8", "stage", 0),
)

STAGE_HISTORY = """opportunity_id,from_stage,to_stage,to_status,changed_at
F1,,0,open,2026-01-05 09:00:00
F1,0,1,open,2026-01-15 09:00:00
F1,1,2,open,2026-02-01 09:00:00
F1,2,3,open,2026-03-01 09:00:00
F1,3,4,open,2026-04-01 09:00:00
F1,4,,won,2026-04-20 09:00:00
F2,,1,open,2026-02-01 09:00:00
F2,1,3,open,2026-02-11 09:00:00
F2,3,,won,2026-03-01 09:00:00
F3,,1,open,2026-03-01 09:00:00
F3,1,2,open,2026-03-21 09:00:00
F3,2,3,open,2026-04-10 09:00:00
F3,3,,lost,2026-05-10 09:00:00
F4,,0,open,2026-02-15 09:00:00
F4,0,1,open,2026-03-01 09:00:00
F4,1,,lost,2026-04-01 09:00:00
F4,1,1,open,2026-05-01 09:00:00
F4,1,2,open,2026-06-01 09:00:00
F5,,0,open,2026-04-01 09:00:00
F5,0,1,open,2026-04-20 09:00:00
F6,,1,open,2026-03-10 09:00:00
F6,1,3,open,2026-04-01 09:00:00
F6,3,2,open,2026-05-01 09:00:00
F7,,0,open,2026-05-01 09:00:00
F7,0,,terminated,2026-05-20 09:00:00
F8,,0,open,2026-06-10 09:00:00
F8,0,1,open,2026-06-25 09:00:00
F9,,3,open,2025-03-01 09:00:00
F9,3,,won,2025-06-01 09:00:00
F10,,2,open,2026-01-20 09:00:00
F10,2,3,open,2026-02-10 09:00:00
F10,3,4,open,2026-03-01 09:00:00
F10,4,,won,2026-03-10 09:00:00
F10,4,5,won,2026-05-01 09:00:00
"""

ACTIVITIES = """activity_id,opportunity_id,staff_id,type,activity_date
AC1,F1,A1,visit,2026-04-10
AC2,F4,A2,call,2026-06-20
AC3,F6,A3,visit,2026-06-28
AC4,F6,A3,proposal,2026-07-05
AC5,,A3,visit,2026-06-29
"""

SUPPORT = """request_id,opportunity_id,type,requested_date,resolved_date
S1,F1,technical,2026-03-05,2026-03-20
S2,F6,resource,2026-06-01,
S3,F6,business,2026-07-02,
"""

CONTRACTS = """contract_id,opportunity_id,customer_id,product,signed_date,amount,term_months,owner_id
C1,F1,,综合VPN,2026-04-20,120000,12,A1
C2,F10,,ICT集成,2026-03-10,95000,12,A2
"""

REVENUE = """period,contract_id,branch,product,fee_item,amount,owner_id
202605,C1,浦东,综合VPN,月租费,10000,A1
202605,C1,浦东,综合VPN,安装费,2000,A1
202606,C1,浦东,综合VPN,月租费,10000,A1
202607,C1,浦东,综合VPN,月租费,10000,A1
202604,C2,浦东,ICT集成,月租费,8000,A2
"""


def _newest() -> pd.DataFrame:
    frame = _read(OPPORTUNITIES)
    frame["abnormal"] = frame["abnormal"] == "true"
    frame["name"] = "商机" + frame["opportunity_id"]
    frame["customer_name"] = "客户" + frame["opportunity_id"]
    frame["stage"] = frame["stage"].astype(int)
    frame["annual_value"] = frame["annual_value"].astype(float)
    frame["user_count"] = pd.array(pd.to_numeric(frame["user_count"]), dtype="Int64")
    return with_contract_fields(
        _dates(frame, "created_date", "expected_close_date", "closed_date"), "opportunities"
    )


def _opportunity_snapshot() -> pd.DataFrame:
    """The three snapshots: the newest as written, older ones with the OLDER differences."""
    newest = _newest()
    parts = []
    for day in SNAPSHOT_DATES:
        part = newest[newest["created_date"] <= day].copy()
        part["snapshot_date"] = day
        for when, opportunity, column, value in OLDER:
            if date.fromisoformat(when) == day:
                row = part["opportunity_id"] == opportunity
                part.loc[row, column] = date.fromisoformat(value) if isinstance(value, str) else value
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def build_frames() -> dict[str, pd.DataFrame]:
    """The funnel world as frames keyed by table name (for analytics.warehouse.replace_all)."""
    org = _read(ORG)
    org["active"] = org["active"] == "true"
    snap = _opportunity_snapshot()
    snapshots = snap.groupby("snapshot_date").size().rename("row_count").reset_index()
    history = _read(STAGE_HISTORY)
    for column in ("from_stage", "to_stage"):
        history[column] = pd.array(pd.to_numeric(history[column]), dtype="Int64")
    history["changed_at"] = pd.to_datetime(history["changed_at"])
    history = with_contract_fields(history, "stage_history")
    activities = _dates(_read(ACTIVITIES), "activity_date")
    activities = with_contract_fields(activities, "activities")
    support = _dates(_read(SUPPORT), "requested_date", "resolved_date")
    contracts = _dates(_read(CONTRACTS), "signed_date")
    contracts["amount"] = contracts["amount"].astype(float)
    contracts["term_months"] = contracts["term_months"].astype(int)
    revenue = _read(REVENUE)
    revenue["period"] = revenue["period"].astype(int)
    revenue["amount"] = revenue["amount"].astype(float)
    return {
        "org": org,
        "snapshots": snapshots,
        "opportunity_snapshot": snap,
        "stage_history": history,
        "activities": activities,
        "support_requests": support,
        "contracts": contracts,
        "revenue": revenue,
    }


def load(engine, frames: dict[str, pd.DataFrame] | None = None) -> None:
    """Write the funnel world (or a variant of its frames) into an empty warehouse."""
    from analytics.warehouse import replace_all

    replace_all(engine, frames or build_frames(), loaded_by="test", label="fixture")
