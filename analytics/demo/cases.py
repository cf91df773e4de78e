"""The worked case of domain.md, written into the generated data: AIA (友邦保险).

A gold financial customer spending about 550,000 CNY a month; a competitor
carries its backbone.  The demo holds the major competitive opportunity to win
that (综合VPN with the SDH/DDN backbone, ~6.6 M CNY a year, demonstration and key
flags) still open at stage 3 after two slips, and an earlier won backup-circuit
deal that already brings revenue.
"""

from __future__ import annotations

import numpy as np

from analytics.demo.customers import Customers
from analytics.demo.drift import Drift
from analytics.demo.opportunities import PRODUCT_NAMES, Opps
from analytics.demo.org import Org
from analytics.demo.process import LOST, WON, Plan

AIA_MAIN_NAME = "友邦保险总部及分支机构综合VPN与骨干组网项目"
AIA_BACKUP_NAME = "友邦保险DDN备份专线扩容"


def _nearest(created: np.ndarray, day: int, taken: tuple = ()) -> int:
    """The opportunity created closest to a day (keeps creation order, hence IDs)."""
    gap = np.abs(created - day).astype(float)
    gap[list(taken)] = np.inf
    return int(np.argmin(gap))


def _set_opp(opps: Opps, i: int, **values) -> None:
    for name, value in values.items():
        getattr(opps, name)[i] = value


def _set_plan(plan: Plan, i: int, s0, target, outcome, zombie, dur, implement, planned) -> None:
    plan.s0[i], plan.target[i], plan.outcome[i], plan.zombie[i] = s0, target, outcome, zombie
    plan.visited[i] = np.arange(5) >= s0
    plan.visited[i, target + 1 :] = False
    plan.dur[i] = dur
    plan.back[i], plan.implement[i], plan.planned[i] = -1, implement, planned


def _replace_drift(drift: Drift, i: int, slips: list, value_change: tuple | None) -> None:
    keep = drift.slip_opp != i
    drift.slip_opp = np.concatenate([drift.slip_opp[keep], np.full(len(slips), i)])
    drift.slip_day = np.concatenate([drift.slip_day[keep], [d for d, _ in slips]]).astype(np.int64)
    drift.slip_delta = np.concatenate([drift.slip_delta[keep], [s for _, s in slips]]).astype(np.int64)
    keep = drift.value_opp != i
    changes = [value_change] if value_change else []
    drift.value_opp = np.concatenate([drift.value_opp[keep], np.full(len(changes), i)]).astype(np.int64)
    drift.value_day = np.concatenate([drift.value_day[keep], [d for d, _ in changes]]).astype(np.int64)
    drift.value_before = np.concatenate([drift.value_before[keep], [v for _, v in changes]])


def apply_aia(
    opps: Opps, plan: Plan, drift: Drift, org: Org, cust: Customers, as_of_day: int
) -> tuple[int, int]:
    """Turn two ordinary opportunities into the AIA case; returns (main, backup) indices."""
    main = _nearest(opps.created, as_of_day - 160)
    backup = _nearest(opps.created, as_of_day - 480, taken=(main,))
    common = {
        "customer": 0,
        "owner": cust.am[0],
        "dispatched": False,
        "campaign": None,
        "presales": org.presales[0],
    }
    _set_opp(opps, main, **common, product=PRODUCT_NAMES.index("综合VPN"), value=6_600_000.0)
    _set_opp(opps, main, competitor="中国移动", user_count=3200, demonstration=True, influence=True)
    _set_opp(opps, main, key_flag=True, name=AIA_MAIN_NAME)
    _set_plan(plan, main, 0, 3, LOST, True, [14, 25, 30, 400, 10], -1, 120)
    drift.ecd0[main] = as_of_day - 40
    _replace_drift(drift, main, [(as_of_day - 50, 45), (as_of_day - 12, 30)], (as_of_day - 26, 6_000_000.0))
    _set_opp(opps, backup, **common, product=PRODUCT_NAMES.index("数据专线"), value=360_000.0)
    _set_opp(opps, backup, competitor="中国联通", user_count=np.nan, demonstration=False, influence=False)
    _set_opp(opps, backup, key_flag=False, name=AIA_BACKUP_NAME)
    _set_plan(plan, backup, 1, 4, WON, False, [10, 20, 25, 35, 12], 25, 100)
    drift.ecd0[backup] = opps.created[backup] + 100
    _replace_drift(drift, backup, [], None)
    return main, backup
