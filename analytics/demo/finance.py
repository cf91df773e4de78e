"""Money: contracts of won deals, revenue recognised per period, budget and targets.

Revenue is a legacy base of recurring income per branch and product (so totals
look like a real division's few hundred million CNY a year) plus what each
contract brings: a monthly fee from the month after signing and one-off fees.
The budget is set from that revenue's year-end run rate times a factor per
branch and product, so some lines are clearly ahead of time progress and some
clearly behind.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.demo import vocab
from analytics.demo.frames import NO_DAY, conform, month_index, to_dates, yearly_ids
from analytics.demo.opportunities import PRODUCT_NAMES, Opps
from analytics.demo.org import Org
from analytics.demo.process import WON, History, Plan

USAGE_BASED = np.array([p in ("综合VPN", "企业总机", "短信群发") for p in PRODUCT_NAMES])
BRANCHES = np.array(vocab.BRANCHES, dtype=object)
PRODUCTS = np.array(PRODUCT_NAMES, dtype=object)


def won_contracts(rng, opps: Opps, plan: Plan, hist: History) -> dict:
    """One contract per opportunity won by as_of, signed on its closing day."""
    won = np.flatnonzero((hist.closed_day != NO_DAY) & (plan.outcome == WON))
    won = won[np.argsort(hist.closed_day[won], kind="stable")]
    signed = hist.closed_day[won]
    term = rng.choice([12, 24, 36], size=len(won), p=[0.5, 0.3, 0.2])
    amount = np.round(opps.value[won] * term / 12 * rng.uniform(0.95, 1.05, len(won)), 2)
    ids = yearly_ids("HT", signed, 6, rng)
    return {"opp": won, "signed": signed, "term": term, "amount": amount, "ids": ids}


def contracts_frame(con: dict, opps: Opps, cust, org: Org):
    """The contracts table."""
    w = con["opp"]
    return conform(
        "contracts",
        {
            "contract_id": con["ids"],
            "opportunity_id": opps.opportunity_id[w],
            "customer_id": cust.customer_id[opps.customer[w]],
            "product": PRODUCTS[opps.product[w]],
            "signed_date": to_dates(con["signed"]),
            "amount": con["amount"],
            "term_months": con["term"],
            "owner_id": org.staff_id[opps.owner[w]],
        },
    )


def period_range(as_of_day: int) -> tuple[int, int]:
    """First and last loaded month index: January last year to the month before as_of's."""
    last = int(month_index(np.array([as_of_day]))[0]) - 1
    first = (last + 1) // 12 * 12 - 12
    return first, last


def _period(months: np.ndarray) -> np.ndarray:
    """Month index to YYYYMM."""
    return (1970 + months // 12) * 100 + months % 12 + 1


def _one_off(rng, product: np.ndarray, value: np.ndarray, users: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fee item and amount of a contract's one-off fee (amount 0: none)."""
    name = PRODUCTS[product]
    n = len(product)
    u = rng.random(n)
    amount = np.select(
        [name == "精品智能组网", name == "ICT集成", np.isin(name, ["数据专线", "互联网专线"]), u < 0.3],
        [
            500 + 160 * (np.nan_to_num(users, nan=1) - 1),
            value * rng.uniform(0.2, 0.4, n),
            rng.uniform(1000, 5000, n),
            rng.uniform(200, 2000, n),
        ],
        0.0,
    )
    amount = np.where(np.isin(name, ["数据专线", "互联网专线"]) & (u > 0.7), 0.0, amount)
    item = np.where(np.isin(name, ["ICT集成", "数据专线", "互联网专线"]), "安装费", "调测费").astype(object)
    return item, np.round(amount, 2)


def _contract_rows(rng, con: dict, opps: Opps, org: Org, first: int, last: int) -> dict:
    """Monthly fee rows from the month after signing to the end of term, and one-off fees."""
    w = con["opp"]
    start = np.maximum(month_index(con["signed"]) + 1, first)
    stop = np.minimum(month_index(con["signed"]) + con["term"], last)
    n = np.maximum(0, stop - start + 1)
    row = np.repeat(np.arange(len(w)), n)
    month = start[row] + np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    noise = np.where(USAGE_BASED[opps.product[w]][row], rng.normal(1, 0.03, len(row)), 1.0)
    amount = opps.value[w][row] / 12 * noise
    item, fee = _one_off(rng, opps.product[w], opps.value[w], opps.user_count[w])
    month_1 = month_index(con["signed"]) + 1
    one = np.flatnonzero((fee > 0) & (month_1 >= first) & (month_1 <= last))
    branch = org.branch_of(opps.owner[w], con["signed"])
    rows = np.concatenate([row, one])
    return {
        "period": _period(np.concatenate([month, month_1[one]])),
        "contract_id": con["ids"][rows],
        "branch": BRANCHES[branch[rows]],
        "product": PRODUCTS[opps.product[w][rows]],
        "fee_item": np.concatenate([np.full(len(row), "月租费", dtype=object), item[one]]),
        "amount": np.concatenate([amount, fee[one]]),
        "owner_id": org.staff_id[opps.owner[w][rows]],
    }


def _legacy_rows(rng, first: int, last: int, scale: float) -> dict:
    """Recurring revenue of the installed base, per branch x product x period."""
    months = np.arange(first, last + 1)
    nb, npd = len(BRANCHES), len(PRODUCTS)
    level = 30_000_000 * scale * np.outer(vocab.BRANCH_WEIGHTS, [vocab.PRODUCTS[p][4] for p in PRODUCT_NAMES])
    level = level * rng.lognormal(0, 0.25, (nb, npd))
    growth = (1 + np.array(vocab.PRODUCT_GROWTH))[None, :, None] ** ((months - last) / 12)[None, None, :]
    amount = level[:, :, None] * growth * rng.normal(1, 0.015, (nb, npd, len(months)))
    b, p, m = (a.ravel() for a in np.meshgrid(np.arange(nb), np.arange(npd), months, indexing="ij"))
    return {
        "period": _period(m),
        "contract_id": np.full(len(m), None),
        "branch": BRANCHES[b],
        "product": PRODUCTS[p],
        "fee_item": np.full(len(m), "月租费", dtype=object),
        "amount": amount.ravel(),
        "owner_id": np.full(len(m), None),
    }


def _adjustments(rng, first: int, last: int, scale: float) -> dict:
    """A few negative corrections (收入调整)."""
    n = max(3, round(40 * scale))
    return {
        "period": _period(rng.integers(first, last + 1, n)),
        "contract_id": np.full(n, None),
        "branch": rng.choice(BRANCHES, n),
        "product": rng.choice(PRODUCTS, n),
        "fee_item": np.full(n, "收入调整", dtype=object),
        "amount": -rng.uniform(2_000, 80_000, n) * max(scale, 0.2),
        "owner_id": np.full(n, None),
    }


def revenue_frame(rng, con: dict, opps: Opps, org: Org, as_of_day: int, scale: float):
    """The revenue table, periods from January last year to the month before as_of."""
    first, last = period_range(as_of_day)
    parts = [_legacy_rows(rng, first, last, scale), _contract_rows(rng, con, opps, org, first, last)]
    parts.append(_adjustments(rng, first, last, scale))
    data = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    del parts
    keys = ["period", "branch", "product"]
    order = pd.DataFrame({k: data[k] for k in keys}).sort_values(keys, kind="stable").index.to_numpy()
    # rows put in order column by column and each converted as it goes: sorting the
    # converted frame copied all of it (3.2 M rows at demo scale 50)
    return conform("revenue", {k: data.pop(k)[order] for k in list(data)}, consume=True)
