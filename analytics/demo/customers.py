"""Customers: Chinese firm and public-body names, an industry, a tier, an account manager.

A customer's industry follows its account manager's team (a 金融 team serves
financial firms); gold and silver customers bring more and bigger opportunities.
Customer 0 is AIA (友邦保险), the worked case of domain.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.demo import vocab
from analytics.demo.org import Org

AIA_NAME = "友邦保险有限公司上海分公司"


@dataclass
class Customers:
    """Customer attributes as arrays indexed by customer number."""

    customer_id: np.ndarray
    name: np.ndarray
    industry: np.ndarray
    tier: np.ndarray  # index into vocab.TIERS
    am: np.ndarray  # staff index of the account manager
    weight: np.ndarray  # relative chance of being the customer of a new opportunity


def _firm_name(rng: np.random.Generator, industry: str, branch: str) -> str:
    """One plausible name for a customer of the given industry in the given district."""
    brand = "".join(rng.choice(list(vocab.FIRM_CHARS), size=2, replace=False))
    if industry in vocab.PUBLIC_NAMES:
        body = rng.choice(vocab.PUBLIC_NAMES[industry])
        if industry == "政府":
            district = "浦东新区" if branch == "浦东" else f"{branch}区"
            return f"上海市{district}{body}" if rng.random() < 0.6 else f"上海市{district}{brand}{body}"
        return f"上海市{brand}{body}"
    word = rng.choice(vocab.FIRM_WORDS[industry])
    prefix = "上海" if rng.random() < 0.7 else ""
    return f"{prefix}{brand}{word}{rng.choice(vocab.FIRM_SUFFIXES)}"


REDRAWS = 64
"""Draws of a name before a clash takes a numbered suffix instead.

Up to scale 20 no name needs more than 39 draws, so the default demo is drawn
exactly as when clashes were always redrawn; past the vocabulary's reach
(about 9,500 education names against 17,000 education customers at scale 50)
redrawing alone never ended."""


def _unique_names(rng, industries, branches) -> np.ndarray:
    """Names without duplicates, by construction: a clash is drawn again up to
    ``REDRAWS`` times, then numbered (「…有限公司（2）」, a form no drawn name has).
    Once a kind of name (industry × district) needs the suffix, its later clashes
    take it at once, so a vocabulary that has run out costs one draw per name."""
    seen: set[str] = {AIA_NAME}
    copies: dict[str, int] = {}
    exhausted: set[tuple[str, str]] = set()
    out = []
    for ind, br in zip(industries, branches, strict=True):
        name = _firm_name(rng, ind, br)
        draws = 1
        while name in seen and (ind, br) not in exhausted and draws < REDRAWS:
            name = _firm_name(rng, ind, br)
            draws += 1
        if name in seen:
            exhausted.add((ind, br))
            name = _numbered(name, seen, copies)
        seen.add(name)
        out.append(name)
    return np.array(out, dtype=object)


def _numbered(name: str, seen: set[str], copies: dict[str, int]) -> str:
    """The next free 「name（k）」, k from 2: drawn names hold no full-width bracket."""
    k = copies.get(name, 1)
    while True:
        k += 1
        candidate = f"{name}（{k}）"
        if candidate not in seen:
            copies[name] = k
            return candidate


def build_customers(rng: np.random.Generator, org: Org, scale: float) -> Customers:
    """About 3,000 customers at full scale, each served by one account manager."""
    n = max(40, round(3000 * scale))
    ams = org.ams
    am = rng.choice(ams, size=n)
    team = org.team[am]
    seg = org.team_segment[team]
    bulk = n > BULK_CUSTOMERS
    industry = _industries(rng, seg) if bulk else _industries_one_by_one(rng, seg)
    tier = rng.choice(len(vocab.TIERS), size=n, p=vocab.TIER_WEIGHTS)
    tier[industry == "金融"] = np.minimum(
        tier[industry == "金融"], rng.integers(0, 3, (industry == "金融").sum())
    )
    branches = np.array(vocab.BRANCHES, dtype=object)[org.team_branch[team]]
    names = _bulk_names(rng, industry, branches) if bulk else _unique_names(rng, industry, list(branches))
    aia_am = _aia_manager(org)
    am[0], industry[0], tier[0], names[0] = aia_am, "金融", 0, AIA_NAME
    weight = np.array([6.0, 3.0, 1.0])[tier] * rng.lognormal(0, 0.5, n)
    return Customers(customer_ids(rng, n), names, industry, tier, am, weight)


BULK_CUSTOMERS = 60_000
"""Past this many customers (demo scale 20) industries and names are drawn for all
customers at once (:func:`_bulk_names`), not one by one: one by one took about a
minute of the demo's five at scale 50.  Up to it the draws, and so the demo, are
exactly as they always were."""


def _industries_one_by_one(rng: np.random.Generator, segments: np.ndarray) -> np.ndarray:
    """Each customer's industry, one of its team segment's, drawn customer by customer."""
    return np.array([rng.choice(vocab.SEGMENT_INDUSTRIES[s]) for s in segments], dtype=object)


def _industries(rng: np.random.Generator, segments: np.ndarray) -> np.ndarray:
    """:func:`_industries_one_by_one`'s distribution, drawn in one go."""
    out = np.empty(len(segments), dtype=object)
    u = rng.random(len(segments))
    for segment, choices in vocab.SEGMENT_INDUSTRIES.items():
        mask = segments == segment
        out[mask] = np.array(choices, dtype=object)[(u[mask] * len(choices)).astype(np.int64)]
    return out


def _pick(rng: np.random.Generator, options, n: int) -> np.ndarray:
    """n uniform draws from a short list of words, as an object array."""
    return np.array(list(options), dtype=object)[rng.integers(0, len(options), n)]


BULK_REDRAWS = 8
"""Rounds in which :func:`_bulk_names` draws the clashing names again before numbering them."""


def _bulk_names(rng: np.random.Generator, industries: np.ndarray, branches: np.ndarray) -> np.ndarray:
    """:func:`_firm_name`'s kinds of names for every customer at once, unique by construction:
    the names that clash with an earlier one (or AIA's) are drawn again, all at once, a few
    rounds; a clash left then takes 「（k）」, k from 2, its k-th occurrence."""
    names = _draw_names(rng, industries, branches)
    for _ in range(BULK_REDRAWS):
        again = np.flatnonzero(_occurrence(names) > 0)
        if not len(again):
            break
        names[again] = _draw_names(rng, industries[again], branches[again])
    occurrence = _occurrence(names)
    clash = occurrence > 0
    names[clash] = names[clash] + "（" + (occurrence[clash] + 1).astype(str).astype(object) + "）"
    return names


def _occurrence(names: np.ndarray) -> np.ndarray:
    """How many times each name came before it (AIA's name counts as drawn first)."""
    drawn = pd.Series(np.concatenate([np.array([AIA_NAME], dtype=object), names]))
    return drawn.groupby(drawn.to_numpy(), sort=False).cumcount().to_numpy()[1:]


def _draw_names(rng: np.random.Generator, industries: np.ndarray, branches: np.ndarray) -> np.ndarray:
    """One name per customer of the given industries and districts, as :func:`_firm_name` forms them."""
    n = len(industries)
    chars = np.array(list(vocab.FIRM_CHARS), dtype=object)
    first = rng.integers(0, len(chars), n)
    second = rng.integers(0, len(chars) - 1, n)
    second += second >= first  # two different characters, as choice without replacement
    brand = chars[first] + chars[second]
    names = np.empty(n, dtype=object)
    for industry in np.unique(industries):
        rows = np.flatnonzero(industries == industry)
        k = len(rows)
        if industry in vocab.PUBLIC_NAMES:
            body = _pick(rng, vocab.PUBLIC_NAMES[industry], k)
            if industry == "政府":
                district = np.where(branches[rows] == "浦东", "浦东新区", branches[rows] + "区")
                mark = np.where(rng.random(k) < 0.6, "", brand[rows]).astype(object)
                names[rows] = "上海市" + district.astype(object) + mark + body
            else:
                names[rows] = "上海市" + brand[rows] + body
        else:
            prefix = np.where(rng.random(k) < 0.7, "上海", "").astype(object)
            word = _pick(rng, vocab.FIRM_WORDS[industry], k)
            names[rows] = prefix + brand[rows] + word + _pick(rng, vocab.FIRM_SUFFIXES, k)
    return names


def customer_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct ids like C012345, sorted, drawn from a range at least four times ``n``
    (400,000 numbers up to 100,000 customers, as always; a fixed range refused scale > 133)."""
    numbers = np.sort(rng.choice(np.arange(100, max(400_000, 4 * n)), size=n, replace=False))
    return np.array([f"C{k:06d}" for k in numbers], dtype=object)


def _aia_manager(org: Org) -> int:
    """AIA's account manager: the first one of a 黄浦 金融 team, else of any 黄浦 team."""
    ams = org.ams
    branch = org.team_branch[org.team[ams]]
    huangpu = vocab.BRANCHES.index("黄浦")
    fin = (branch == huangpu) & (org.team_segment[org.team[ams]] == "金融")
    pool = ams[fin] if fin.any() else ams[branch == huangpu]
    return int(pool[0])
