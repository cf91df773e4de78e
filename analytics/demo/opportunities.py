"""What an opportunity is, apart from how it moves: customer, product, value, labels.

Everything here is fixed at creation (value may later change, see process.py).
Opportunities are numbered in order of creation, so index order is ID order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.demo import vocab
from analytics.demo.customers import Customers
from analytics.demo.frames import month_index, year_of, yearly_ids
from analytics.demo.org import Org

PRODUCT_NAMES = tuple(vocab.PRODUCTS)
IS_TRANSFORMATION = np.array([vocab.PRODUCTS[p][0] == "transformation" for p in PRODUCT_NAMES])
IS_SIMPLE = np.array([vocab.PRODUCTS[p][1] for p in PRODUCT_NAMES])
# Annual revenue per user (or per Wi-Fi point) for products sold by the seat.
PER_USER = {"综合VPN": 600, "企业总机": 400, "短信群发": 300, "IPTV": 480, "精品智能组网": 240}


@dataclass
class Opps:
    """Static opportunity attributes, arrays of length n (index = creation order)."""

    opportunity_id: np.ndarray
    created: np.ndarray  # day number
    customer: np.ndarray  # customer index
    owner: np.ndarray  # staff index
    product: np.ndarray  # index into PRODUCT_NAMES
    value: np.ndarray  # annual value at as_of (CNY)
    dispatched: np.ndarray
    campaign: np.ndarray
    competitor: np.ndarray
    user_count: np.ndarray  # float, nan where not sold by the seat
    demonstration: np.ndarray
    influence: np.ndarray
    key_flag: np.ndarray
    presales: np.ndarray  # staff index or -1
    name: np.ndarray

    @property
    def transformation(self) -> np.ndarray:
        """Whether each opportunity is transformation (ICT/innovative) business."""
        return IS_TRANSFORMATION[self.product]

    @property
    def simple(self) -> np.ndarray:
        """Whether each opportunity is a simple single product (may skip stages 2-3)."""
        return IS_SIMPLE[self.product]


def _created_days(rng: np.random.Generator, n: int, as_of_day: int) -> np.ndarray:
    """Creation days over the 730 days up to as_of: weekdays, slowly growing."""
    days = np.arange(as_of_day - 729, as_of_day + 1)
    weekday = (days + 3) % 7
    weight = np.where(weekday < 5, 1.0, 0.12) * (1 + 0.3 * (days - days[0]) / 730)
    return np.sort(rng.choice(days, size=n, p=weight / weight.sum()))


def _values(rng, product, tier) -> np.ndarray:
    """Log-normal annual value by product and customer tier, rounded to 100 CNY."""
    med = np.array([vocab.PRODUCTS[p][2] for p in PRODUCT_NAMES])[product]
    sd = np.array([vocab.PRODUCTS[p][3] for p in PRODUCT_NAMES])[product]
    factor = np.array(vocab.TIER_VALUE_FACTOR)[tier]
    value = np.exp(rng.normal(np.log(med * factor), sd))
    return np.maximum(1000.0, np.round(value, -2))


def _labels(rng, opps_value, created, transformation) -> dict:
    """Campaign, competitor and the management flags."""
    n = len(opps_value)
    month = month_index(created) % 12 + 1
    year = year_of(created)
    names = [vocab.MONTH_CAMPAIGNS[m].format(y=y) for m, y in zip(month, year, strict=True)]
    campaign = np.where(rng.random(n) < 0.4, np.array(names, dtype=object), None)
    big = opps_value >= 50_000
    comp_pick = rng.choice(vocab.COMPETITORS, size=n, p=vocab.COMPETITOR_WEIGHTS).astype(object)
    competitor = np.where(rng.random(n) < np.where(big, 0.34, 0.21), comp_pick, None)
    major = opps_value >= 100_000
    return {
        "campaign": campaign,
        "competitor": competitor,
        "demonstration": rng.random(n) < np.where(major, 0.05, 0.004),
        "influence": rng.random(n) < np.where(transformation, 0.03, 0.004),
        "key_flag": rng.random(n) < np.where(opps_value >= 150_000, 0.25, 0.018),
    }


def _short(customer_name: str) -> str:
    """A customer name without its legal suffix, as used in opportunity names."""
    for suffix in ("股份有限公司", "集团有限公司", "有限公司"):
        customer_name = customer_name.split(suffix)[0]
    return customer_name.removeprefix("上海市").removeprefix("上海")


def build_opportunities(
    rng: np.random.Generator, org: Org, cust: Customers, as_of_day: int, scale: float
) -> Opps:
    """About 20,000 opportunities at full scale, created over the two years up to as_of."""
    n = max(200, round(20_000 * scale))
    created = _created_days(rng, n, as_of_day)
    customer = rng.choice(len(cust.customer_id), size=n, p=cust.weight / cust.weight.sum())
    product = rng.choice(len(PRODUCT_NAMES), size=n, p=vocab.PRODUCT_WEIGHTS)
    value = _values(rng, product, cust.tier[customer])
    opps = Opps(
        opportunity_id=yearly_ids("OPP", created, 6, rng),
        created=created,
        customer=customer,
        owner=cust.am[customer],
        product=product,
        value=value,
        dispatched=rng.random(n) < 0.3,
        user_count=np.full(n, np.nan),
        presales=np.full(n, -1),
        name=np.empty(n, dtype=object),
        **_labels(rng, value, created, IS_TRANSFORMATION[product]),
    )
    _finish(rng, opps, org, cust)
    return opps


def _finish(rng, opps: Opps, org: Org, cust: Customers) -> None:
    """Derived attributes: seats, pre-sales manager, name (redone after case overrides)."""
    per_user = np.array([PER_USER.get(p, np.nan) for p in PRODUCT_NAMES])[opps.product]
    opps.user_count = np.where(np.isnan(per_user), np.nan, np.maximum(3, np.round(opps.value / per_user)))
    needs = opps.key_flag | (opps.value >= 100_000) | (opps.transformation & (opps.value >= 80_000))
    opps.presales = np.where(needs, rng.choice(org.presales, size=len(needs)), -1)
    actions = rng.choice(vocab.NAME_ACTIONS, size=len(needs))
    opps.name = np.array(
        [
            f"{_short(cust.name[c])}{PRODUCT_NAMES[p]}{a}"
            for c, p, a in zip(opps.customer, opps.product, actions, strict=True)
        ],
        dtype=object,
    )
