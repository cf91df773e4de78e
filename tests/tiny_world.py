"""A tiny, hand-checkable warehouse written as text, built like the demo.

as_of is 2026-06-30. Expected values used by the tests are worked out by hand
in the test files from these rows; keep them in step when editing.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from tests.world_text import parse_dates as _dates
from tests.world_text import read_table as _read
from tests.world_text import with_contract_fields

AS_OF = date(2026, 6, 30)

ORG = """staff_id,name,role,team,branch,active
D1,总监甲,director,,,true
B1,局长乙,branch_head,,浦东,true
T1,经理丙,team_manager,浦东一组,浦东,true
A1,张三,account_manager,浦东一组,浦东,true
A2,李四,account_manager,浦东一组,浦东,true
A3,王五,account_manager,徐汇一组,徐汇,true
"""

# One row per opportunity as of the newest snapshot (2026-06-30).
OPPORTUNITIES = """opportunity_id,owner_id,status,stage,annual_value,business_type,created_date,expected_close_date,closed_date,user_count,demonstration,influence,key_flag,abnormal,product,industry,competitor
O1,A1,open,3,120000,basic,2026-03-01,2026-06-15,,,false,false,false,false,综合VPN,金融,中国移动
O2,A1,open,2,60000,basic,2026-05-01,2026-08-31,,,false,false,false,false,综合VPN,制造,
O3,A1,won,4,30000,basic,2026-01-10,2026-04-10,2026-04-10,,false,false,false,false,企业总机,金融,
O4,A2,lost,2,20000,basic,2026-04-01,2026-05-20,2026-05-20,,false,false,false,false,企业总机,制造,中国联通
O5,A2,open,1,85000,transformation,2026-06-20,2026-10-31,,,false,false,false,false,ICT集成,政府,
O6,A3,open,1,5000,basic,2026-02-01,2026-09-30,,,false,false,false,true,短信群发,教育,
O7,A3,won,4,200000,basic,2024-12-01,2025-03-01,2025-03-01,,false,false,false,false,数据专线,金融,
O8,A3,terminated,1,15000,basic,2026-05-01,2026-06-01,2026-06-01,,false,false,false,false,企业总机,零售,
O9,A2,open,0,8000,basic,2026-04-01,2026-12-31,,30,false,false,false,false,综合VPN,零售,
O10,A1,open,2,50000,basic,2026-06-01,2026-11-30,,,false,true,false,false,综合VPN,金融,
"""

STAGE_HISTORY = """opportunity_id,from_stage,to_stage,to_status,changed_at
O1,,0,open,2026-03-01 09:00:00
O1,0,1,open,2026-03-11 09:00:00
O1,1,2,open,2026-03-31 09:00:00
O1,2,3,open,2026-04-10 09:00:00
O2,,1,open,2026-05-01 09:00:00
O2,1,2,open,2026-06-20 09:00:00
O3,,0,open,2026-01-10 09:00:00
O3,0,2,open,2026-01-20 09:00:00
O3,2,3,open,2026-02-20 09:00:00
O3,3,,won,2026-04-10 09:00:00
O4,,1,open,2026-04-01 09:00:00
O4,1,2,open,2026-05-01 09:00:00
O4,2,,lost,2026-05-20 09:00:00
O5,,1,open,2026-06-20 09:00:00
O6,,1,open,2026-02-01 09:00:00
O7,,3,open,2024-12-01 09:00:00
O7,3,,won,2025-03-01 09:00:00
O8,,0,open,2026-05-01 09:00:00
O8,0,1,open,2026-05-11 09:00:00
O8,1,,terminated,2026-06-01 09:00:00
O9,,0,open,2026-04-01 09:00:00
O10,,2,open,2026-06-01 09:00:00
"""

ACTIVITIES = """activity_id,opportunity_id,staff_id,type,activity_date
AC1,O1,A1,visit,2026-06-25
AC2,O2,A1,call,2026-06-10
AC3,O9,A2,visit,2026-05-01
AC4,,A3,visit,2026-06-29
"""

REVENUE = """period,branch,product,fee_item,amount,owner_id
202512,徐汇,综合VPN,月租费,50000,A3
202601,浦东,综合VPN,月租费,10000,A1
202602,浦东,综合VPN,月租费,10000,A1
202604,浦东,综合VPN,月租费,10000,A1
202604,浦东,综合VPN,收入调整,-2000,A1
202605,浦东,综合VPN,月租费,10000,A1
202601,徐汇,综合VPN,月租费,20000,A3
202602,徐汇,综合VPN,月租费,20000,A3
202603,徐汇,综合VPN,月租费,20000,A3
202604,徐汇,综合VPN,月租费,20000,A3
202605,徐汇,综合VPN,月租费,20000,A3
"""


def _bools(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        frame[column] = frame[column] == "true"
    return frame


def _opportunity_snapshot() -> pd.DataFrame:
    """Two snapshots: 06-30 as written, 06-23 with O1 due 06-01 (it slipped since)."""
    newest = _read(OPPORTUNITIES)
    newest["customer_name"] = "客户" + newest["opportunity_id"]
    newest["origin"] = "mined"
    newest = _bools(newest, "demonstration", "influence", "key_flag", "abnormal")
    newest = _dates(newest, "created_date", "expected_close_date", "closed_date")
    newest["stage"] = newest["stage"].astype(int)
    newest["annual_value"] = newest["annual_value"].astype(float)
    newest["user_count"] = pd.array(pd.to_numeric(newest["user_count"]), dtype="Int64")
    newest["snapshot_date"] = AS_OF
    newest = with_contract_fields(newest, "opportunities")
    older = newest[newest["created_date"] <= date(2026, 6, 23)].copy()
    older["snapshot_date"] = date(2026, 6, 23)
    older.loc[older["opportunity_id"] == "O1", "expected_close_date"] = date(2026, 6, 1)
    return pd.concat([older, newest], ignore_index=True)


def build_frames() -> dict[str, pd.DataFrame]:
    """The tiny world as frames keyed by table name."""
    org = _bools(_read(ORG), "active")
    snap = _opportunity_snapshot()
    snapshots = snap.groupby("snapshot_date").size().rename("row_count").reset_index()
    history = _read(STAGE_HISTORY)
    history["from_stage"] = pd.array(pd.to_numeric(history["from_stage"]), dtype="Int64")
    history["to_stage"] = pd.array(pd.to_numeric(history["to_stage"]), dtype="Int64")
    history["changed_at"] = pd.to_datetime(history["changed_at"])
    history = with_contract_fields(history, "stage_history")
    activities = _dates(_read(ACTIVITIES), "activity_date")
    activities = with_contract_fields(activities, "activities")
    revenue = _read(REVENUE)
    revenue["period"] = revenue["period"].astype(int)
    revenue["amount"] = revenue["amount"].astype(float)
    revenue = with_contract_fields(revenue, "revenue")
    budget = pd.DataFrame(
        {
            "year": [2026] * 13,
            "branch": ["浦东"] * 12 + ["徐汇"],
            "product": ["综合VPN"] * 13,
            "month": pd.array([*range(1, 13), None], dtype="Int64"),
            "amount": [10000.0] * 12 + [240000.0],
        }
    )
    return {
        "org": org,
        "snapshots": snapshots,
        "opportunity_snapshot": snap,
        "stage_history": history,
        "activities": activities,
        "revenue": revenue,
        "budget": budget,
    }
