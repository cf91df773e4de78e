"""A small, hand-checkable world for budget attainment and the year-end forecast.

as_of is 2026-06-30 (year 2026, revenue loaded through 202605).  Two snapshots:
S0 = 2026-03-31 (for the backtest and the slip distribution) and S1 = as_of.
Expected values are worked out by hand in tests/test_forecast_components.py
and tests/test_forecast_calibration.py; keep them in step when editing.

Closed deals in the 24-month look-back at S1 (max stage reached, outcome):
C1 small 综合VPN won(4) · C2 small 综合VPN won(4) · C3 small 综合VPN lost(2) ·
C4 small 综合VPN lost(1) · C5 ordinary_2 企业总机 terminated(3) · C6 ordinary_2
企业总机 won(4) · C7 ordinary_2 企业总机 lost(0); C8 won 2024-05-01 (outside).
Open at S1: O1..O7 (see OPEN below).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from tests.world_text import parse_dates as _day
from tests.world_text import read_table as _read
from tests.world_text import with_contract_fields

AS_OF = date(2026, 6, 30)
S0 = date(2026, 3, 31)

ORG = """staff_id,name,role,team,branch,active
D1,总监,director,,,true
A1,张三,account_manager,浦东一组,浦东,true
A2,李四,account_manager,徐汇一组,徐汇,true
"""

# id, owner, product, value, created, then per snapshot: status, stage, expected close, closed date
DEALS = """opportunity_id,owner_id,product,annual_value,created_date,industry
C1,A1,综合VPN,5000,2025-10-01,金融
C2,A1,综合VPN,5000,2026-01-05,金融
C3,A1,综合VPN,5000,2026-02-10,制造
C4,A1,综合VPN,5000,2025-08-01,制造
C5,A2,企业总机,20000,2025-05-01,政府
C6,A2,企业总机,20000,2026-01-20,政府
C7,A2,企业总机,20000,2025-09-01,政府
C8,A1,综合VPN,5000,2024-02-01,金融
O1,A1,综合VPN,9600,2026-04-10,金融
O2,A1,综合VPN,6000,2026-01-15,制造
O3,A1,综合VPN,9000,2026-05-01,金融
O4,A2,企业总机,24000,2026-04-15,政府
O5,A1,ICT集成,120000,2026-04-20,金融
O6,A1,ICT集成,150000,2026-06-01,制造
O7,A2,企业总机,12000,2026-05-10,政府
"""

STATES = """snapshot_date,opportunity_id,status,stage,expected_close_date,closed_date
2026-03-31,C1,won,4,2025-12-30,2025-12-30
2026-03-31,C2,open,3,2026-03-20,
2026-03-31,C3,open,2,2026-05-31,
2026-03-31,C4,lost,1,2025-09-10,2025-09-10
2026-03-31,C5,terminated,3,2025-07-15,2025-07-15
2026-03-31,C6,open,2,2026-04-30,
2026-03-31,C7,lost,0,2025-09-20,2025-09-20
2026-03-31,C8,won,4,2024-05-01,2024-05-01
2026-03-31,O2,open,1,2026-03-01,
2026-06-30,C1,won,4,2025-12-30,2025-12-30
2026-06-30,C2,won,4,2026-04-05,2026-04-05
2026-06-30,C3,lost,2,2026-05-20,2026-05-20
2026-06-30,C4,lost,1,2025-09-10,2025-09-10
2026-06-30,C5,terminated,3,2025-07-15,2025-07-15
2026-06-30,C6,won,4,2026-04-20,2026-04-20
2026-06-30,C7,lost,0,2025-09-20,2025-09-20
2026-06-30,C8,won,4,2024-05-01,2024-05-01
2026-06-30,O1,open,2,2026-08-15,
2026-06-30,O2,open,1,2026-03-01,
2026-06-30,O3,open,3,2026-12-10,
2026-06-30,O4,open,1,2026-07-20,
2026-06-30,O5,open,4,2026-09-30,
2026-06-30,O6,open,0,2027-02-01,
2026-06-30,O7,open,3,,
"""

REVENUE = """period,branch,product,fee_item,amount,owner_id
202512,浦东,综合VPN,月租费,10000,A1
202601,浦东,综合VPN,月租费,10000,A1
202602,浦东,综合VPN,月租费,10000,A1
202603,浦东,综合VPN,月租费,10000,A1
202604,浦东,综合VPN,月租费,10000,A1
202604,浦东,综合VPN,调测费,3000,A1
202605,浦东,综合VPN,月租费,10000,A1
202605,浦东,综合VPN,收入调整,-600,A1
202601,徐汇,企业总机,月租费,6000,A2
202602,徐汇,企业总机,月租费,6000,A2
202604,徐汇,企业总机,月租费,6000,A2
202604,徐汇,企业总机,,300,A2
202605,徐汇,企业总机,月租费,6000,A2
202605,徐汇,企业总机,安装费,2000,A2
"""


def snapshot_frame() -> pd.DataFrame:
    """opportunity_snapshot rows: each deal's static fields joined to its state per snapshot."""
    frame = _read(STATES).merge(_read(DEALS), on="opportunity_id")
    frame = _day(frame, "snapshot_date", "expected_close_date", "closed_date", "created_date")
    frame["stage"] = frame["stage"].astype(int)
    frame["annual_value"] = frame["annual_value"].astype(float)
    frame["business_type"] = "basic"
    frame["origin"] = "mined"
    frame["customer_name"] = "客户" + frame["opportunity_id"]
    frame["name"] = "商机" + frame["opportunity_id"]
    return with_contract_fields(frame, "opportunities")


def budget_frame() -> pd.DataFrame:
    """浦东 x 综合VPN 15,000 a month; 徐汇 x 企业总机 120,000 and 浦东 x ICT集成 60,000 annual-only."""
    return pd.DataFrame(
        {
            "year": [2026] * 14,
            "branch": ["浦东"] * 12 + ["徐汇", "浦东"],
            "product": ["综合VPN"] * 12 + ["企业总机", "ICT集成"],
            "month": pd.array([*range(1, 13), None, None], dtype="Int64"),
            "amount": [15000.0] * 12 + [120000.0, 60000.0],
        }
    )


def build_frames() -> dict[str, pd.DataFrame]:
    """The forecast world as frames keyed by table name (for analytics.warehouse.replace_all)."""
    org = _read(ORG)
    org["active"] = True
    snap = snapshot_frame()
    snapshots = snap.groupby("snapshot_date").size().rename("row_count").reset_index()
    revenue = _read(REVENUE)
    revenue["period"] = revenue["period"].astype(int)
    revenue["amount"] = revenue["amount"].astype(float)
    revenue = with_contract_fields(revenue, "revenue")
    return {
        "org": org,
        "snapshots": snapshots,
        "opportunity_snapshot": snap,
        "revenue": revenue,
        "budget": budget_frame(),
    }
