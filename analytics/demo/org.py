"""The division's people: branches, teams, managers, and who moved team when.

Account managers own customers and opportunities; a few moved team during the
two years, so org_history carries a closed row and a new one for them (valid_to
is the last day in the old team, inclusive; the new row starts the next day).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.demo import vocab
from analytics.demo.frames import NO_DAY, conform, to_dates


@dataclass
class Org:
    """People and teams as arrays; account managers are rows am_first.. of the staff."""

    staff_id: np.ndarray
    name: np.ndarray
    role: np.ndarray
    team: np.ndarray  # current team index, -1 for none
    hired: np.ndarray  # day joined (start of their first org_history row)
    moved: np.ndarray  # day a mover joined the current team, NO_DAY otherwise
    old_team: np.ndarray  # team before the move, -1 otherwise
    team_name: np.ndarray
    team_branch: np.ndarray  # branch index per team
    team_segment: np.ndarray
    team_manager: np.ndarray  # staff index of each team's manager
    presales: np.ndarray  # staff indices of industry managers (pre-sales support)
    skill: np.ndarray  # per staff: shifts the win probability (standard normal)
    diligence: np.ndarray  # per staff: multiplies the activity rate
    hider: np.ndarray  # per staff: tends to register deals late (藏单)

    @property
    def ams(self) -> np.ndarray:
        """Staff indices of account managers."""
        return np.flatnonzero(self.role == "account_manager")

    def branch_of(self, staff: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Branch index of each staff member on each day (the team of that time)."""
        team = np.where(
            (self.moved[staff] != NO_DAY) & (day < self.moved[staff]), self.old_team[staff], self.team[staff]
        )
        return self.team_branch[team]


# Segments whose teams are named without their branch, so the same team name
# (金融一组) exists in 浦东, 徐汇, 静安 and 黄浦, as in real org exports.
UNPREFIXED_SEGMENTS = frozenset({"金融"})


def team_name(branch: str, segment: str, ordinal: int) -> str:
    """A team's name: 金融 teams are named without their branch (金融一组 exists in several).

    Real org exports repeat team names across branches, so the demo does too:
    a team is identified by branch + team everywhere, never by its name alone.
    """
    prefix = "" if segment in UNPREFIXED_SEGMENTS else branch
    return f"{prefix}{segment}{vocab.ORDINALS[ordinal]}组"


def _teams(scale: float) -> tuple[list[str], list[int], list[str]]:
    """Team names, branch indices and segments; fewer teams when scaled down, every branch kept."""
    rows = []
    for b, branch in enumerate(vocab.BRANCHES):
        seen: dict[str, int] = {}
        for pos, seg in enumerate(vocab.TEAM_SEGMENTS[branch]):
            seen[seg] = seen.get(seg, 0) + 1
            rows.append((pos, b, team_name(branch, seg, seen[seg] - 1), seg))
    rows.sort(key=lambda r: (r[0], r[1]))
    keep = sorted(rows[: max(len(vocab.BRANCHES), round(len(rows) * scale))], key=lambda r: (r[1], r[0]))
    return [r[2] for r in keep], [r[1] for r in keep], [r[3] for r in keep]


def person_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """Chinese names: a common surname and one or two given characters."""
    sur = rng.choice(list(vocab.SURNAMES), size=n)
    g1 = rng.choice(list(vocab.GIVEN_CHARS), size=n)
    g2 = rng.choice(list(vocab.GIVEN_CHARS), size=n)
    two = rng.random(n) < 0.7
    return np.array(
        [s + a + (b if t else "") for s, a, b, t in zip(sur, g1, g2, two, strict=True)], dtype=object
    )


def build_org(rng: np.random.Generator, as_of_day: int, scale: float) -> Org:
    """Directors, analysts, branch heads, industry managers, team managers, account managers."""
    names, branches, segments = _teams(scale)
    n_teams = len(names)
    n_am = max(2 * n_teams, round(300 * scale))
    per_team = 1 + rng.multinomial(n_am - n_teams, rng.dirichlet(np.full(n_teams, 8.0)))
    roles = (
        ["director"] * 2 + ["analyst"] * 2 + ["branch_head"] * len(vocab.BRANCHES) + ["industry_manager"] * 4
    )
    teams = [-1] * len(roles)
    roles += ["team_manager"] * n_teams + ["account_manager"] * n_am
    teams += list(range(n_teams)) + list(np.repeat(np.arange(n_teams), per_team))
    n = len(roles)
    team = np.array(teams)
    hired = as_of_day - 730 - rng.integers(30, 3000, size=n)
    moved, old_team = _moves(rng, np.array(roles), team, np.array(branches), as_of_day)
    staff_role = np.array(roles, dtype=object)
    return Org(
        staff_id=np.array([f"S{i + 1:05d}" for i in range(n)], dtype=object),
        name=person_names(rng, n),
        role=staff_role,
        team=team,
        hired=hired,
        moved=moved,
        old_team=old_team,
        team_name=np.array(names, dtype=object),
        team_branch=np.array(branches),
        team_segment=np.array(segments, dtype=object),
        team_manager=np.flatnonzero(staff_role == "team_manager"),
        presales=np.flatnonzero(staff_role == "industry_manager"),
        skill=rng.normal(0.0, 1.0, n),
        diligence=rng.lognormal(0.0, 0.35, n),
        hider=rng.random(n) < 0.08,
    )


def _moves(rng, roles, team, team_branch, as_of_day) -> tuple[np.ndarray, np.ndarray]:
    """About 3% of account managers (at least one) changed team; mostly within their branch."""
    ams = np.flatnonzero(roles == "account_manager")
    movers = rng.choice(ams, size=max(1, round(0.03 * len(ams))), replace=False)
    moved = np.full(len(roles), NO_DAY)
    old_team = np.full(len(roles), -1)
    n_teams = len(team_branch)
    for s in movers:
        same = np.flatnonzero((team_branch == team_branch[team[s]]) & (np.arange(n_teams) != team[s]))
        pool = same if len(same) and rng.random() < 0.7 else np.flatnonzero(np.arange(n_teams) != team[s])
        old_team[s] = rng.choice(pool)
        moved[s] = as_of_day - rng.integers(30, 700)
    return moved, old_team


def org_frames(org: Org) -> dict:
    """The org table (current team) and org_history (a row per stint in a team)."""
    has_team = org.team >= 0
    branch_idx = np.where(has_team, org.team_branch[np.maximum(org.team, 0)], -1)
    branch_idx[org.role == "branch_head"] = np.arange((org.role == "branch_head").sum())
    branch = np.array([vocab.BRANCHES[b] if b >= 0 else None for b in branch_idx], dtype=object)
    team = np.array([org.team_name[t] if t >= 0 else None for t in org.team], dtype=object)
    current = {"staff_id": org.staff_id, "name": org.name, "role": org.role, "team": team, "branch": branch}
    org_frame = conform("org", {**current, "active": np.ones(len(org.staff_id), bool)})
    movers = np.flatnonzero(org.moved != NO_DAY)
    start = np.where(org.moved != NO_DAY, org.moved, org.hired)
    old = org.old_team[movers]
    hist = {
        "staff_id": np.concatenate([org.staff_id[movers], org.staff_id]),
        "team": np.concatenate([org.team_name[old], team]),
        "branch": np.concatenate([np.array(vocab.BRANCHES)[org.team_branch[old]], branch]),
        "role": np.concatenate([org.role[movers], org.role]),
        "valid_from": to_dates(np.concatenate([org.hired[movers], start])),
        "valid_to": to_dates(np.concatenate([org.moved[movers] - 1, np.full(len(start), NO_DAY)])),
    }
    history = conform("org_history", hist).sort_values(["staff_id", "valid_from"], kind="stable")
    return {"org": org_frame, "org_history": history.reset_index(drop=True)}
