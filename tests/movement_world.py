"""A hand-checkable world for the week-over-week movement (metrics.md, Week-over-week
movement), written as text: three snapshots S0 = 06-16, A = 06-23, B = 06-30.

Two teams share the name 一组 in two branches (team identity is branch + team).
What each deal does from A to B (values in yuan; cents on purpose):

M1  A1  open 2, 100000.10, close 07-31 → open 3, 120000.10, close 08-31: advanced,
        slipped, value_changed; increase 20000.00 (major, key)
M2  A1  open 3, 50000.05, close 09-30 → open 2, 40000.00, close 08-15: regressed,
        pulled_in, value_changed; decrease 10000.05 (key flag)
M3  A2  open 1, 30000 → won: won 30000        M4  A2  open 2, 20000 → lost: lost 20000
M5  A3  open 1, 15000 → terminated 15000      M6  A3  open 2, 70000.33 → gone: removed (key flag)
M7  A1  lost 25000 → open 1, 26000: reopened 26000
M8  A2  (not in A) → open 0, 8000.01: new 8000.01
M9  A1  (not in A) → won 9000: new, no waterfall part
M10 A1  won → won: nothing                    M14 A3  lost → gone: nothing
M11 A3 (徐汇) → A1 (浦东), open 2, 40000, unchanged: no label; counted under A1 (B's owner)
M12 A2  open 1, 5000, unchanged               M13 A2  open 1, 6000, close none → 08-01: no slip

Company waterfall A → B: start 9 / 336000.48, new 1 / 8000.01, reopened 1 / 26000,
increase 1 / 20000.00, decrease 1 / 10000.05, won 1 / 30000, lost 1 / 20000,
terminated 1 / 15000, removed 1 / 70000.33, end 7 / 245000.11.
S0 (06-16) holds M1 (open 1, 100000.10, close 07-31) and M6 only, as at A.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from tests.world_text import parse_dates as _dates
from tests.world_text import read_table as _read
from tests.world_text import with_contract_fields

S0 = date(2026, 6, 16)
A = date(2026, 6, 23)
B = date(2026, 6, 30)

ORG = """staff_id,name,role,team,branch,active
D1,总监,director,,,true
A1,张三,account_manager,一组,浦东,true
A2,李四,account_manager,一组,浦东,true
A3,王五,account_manager,一组,徐汇,true
"""

SNAPSHOTS = """snapshot_date,opportunity_id,owner_id,status,stage,annual_value,expected_close_date,closed_date,product,key_flag
2026-06-16,M1,A1,open,1,100000.10,2026-07-31,,综合VPN,false
2026-06-16,M6,A3,open,2,70000.33,2026-08-31,,数据专线,true
2026-06-23,M1,A1,open,2,100000.10,2026-07-31,,综合VPN,false
2026-06-23,M2,A1,open,3,50000.05,2026-09-30,,ICT集成,true
2026-06-23,M3,A2,open,1,30000,2026-07-15,,综合VPN,false
2026-06-23,M4,A2,open,2,20000,2026-07-20,,企业总机,false
2026-06-23,M5,A3,open,1,15000,2026-08-01,,企业总机,false
2026-06-23,M6,A3,open,2,70000.33,2026-08-31,,数据专线,true
2026-06-23,M7,A1,lost,2,25000,2026-06-10,2026-06-10,综合VPN,false
2026-06-23,M10,A1,won,4,12000,2026-05-10,2026-05-10,企业总机,false
2026-06-23,M11,A3,open,2,40000,2026-07-15,,数据专线,false
2026-06-23,M12,A2,open,1,5000,2026-09-01,,短信群发,false
2026-06-23,M13,A2,open,1,6000,,,短信群发,false
2026-06-23,M14,A3,lost,1,9999.99,2026-06-01,2026-06-01,企业总机,false
2026-06-30,M1,A1,open,3,120000.10,2026-08-31,,综合VPN,false
2026-06-30,M2,A1,open,2,40000.00,2026-08-15,,ICT集成,true
2026-06-30,M3,A2,won,4,30000,2026-06-28,2026-06-28,综合VPN,false
2026-06-30,M4,A2,lost,2,20000,2026-06-27,2026-06-27,企业总机,false
2026-06-30,M5,A3,terminated,1,15000,2026-06-29,2026-06-29,企业总机,false
2026-06-30,M7,A1,open,1,26000,2026-09-30,,综合VPN,false
2026-06-30,M8,A2,open,0,8000.01,2026-12-31,,综合VPN,false
2026-06-30,M9,A1,won,4,9000,2026-06-29,2026-06-29,企业总机,false
2026-06-30,M10,A1,won,4,12000,2026-05-10,2026-05-10,企业总机,false
2026-06-30,M11,A1,open,2,40000,2026-07-15,,数据专线,false
2026-06-30,M12,A2,open,1,5000,2026-09-01,,短信群发,false
2026-06-30,M13,A2,open,1,6000,2026-08-01,,短信群发,false
"""

ACTIVITIES = """activity_id,opportunity_id,staff_id,type,activity_date
AC1,M1,A1,visit,2026-06-29
AC2,M2,A1,call,2026-06-20
"""

SUPPORT = """request_id,opportunity_id,type,requested_date,resolved_date
R1,M1,technical,2026-06-25,
R2,M1,resource,2026-06-20,2026-06-28
"""

CREATED = {"M8": date(2026, 6, 26), "M9": date(2026, 6, 24)}


def complete_snapshot(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed snapshot rows with every column the schema wants; the core columns
    (snapshot_date, opportunity_id, owner_id, status, stage, annual_value,
    expected_close_date, closed_date, product, key_flag) as given."""
    frame = frame.copy()
    frame["stage"] = frame["stage"].astype(int)
    frame["annual_value"] = frame["annual_value"].astype(float)
    frame["name"] = "商机" + frame["opportunity_id"]
    frame["customer_name"] = "客户" + frame["opportunity_id"]
    frame["industry"] = "金融"
    frame["business_type"] = "basic"
    frame["origin"] = "mined"
    frame["created_date"] = frame["opportunity_id"].map(CREATED).fillna(date(2026, 5, 1))
    return with_contract_fields(frame, "opportunities")


def _snapshot_rows() -> pd.DataFrame:
    frame = _dates(_read(SNAPSHOTS), "snapshot_date", "expected_close_date", "closed_date")
    frame["key_flag"] = frame["key_flag"] == "true"
    return complete_snapshot(frame)


def build_frames() -> dict[str, pd.DataFrame]:
    """The movement world as frames keyed by table name."""
    org = _read(ORG)
    org["active"] = org["active"] == "true"
    snap = _snapshot_rows()
    snapshots = snap.groupby("snapshot_date").size().rename("row_count").reset_index()
    activities = _dates(_read(ACTIVITIES), "activity_date")
    activities = with_contract_fields(activities, "activities")
    support = _dates(_read(SUPPORT), "requested_date", "resolved_date")
    return {
        "org": org,
        "snapshots": snapshots,
        "opportunity_snapshot": snap,
        "activities": activities,
        "support_requests": support,
    }
