"""An open deal's win probability p(o) is below 1 (issue 17): shown as 赢单概率 on 收入预测,
团队 and 我的商机, it must not read 100.0 % for a deal that has not closed, even where every deal
seen open at its stage went on to win (issue 16). Demo data, both backends."""

from __future__ import annotations

import pytest

from analytics.blocks.probability import win_probabilities
from analytics.context import Context
from analytics.scope import Filters, Scope
from analytics.settings import Settings


def test_open_deals_at_the_won_stage_are_not_certain(demo_warehouse):
    settings = Settings()
    ctx = Context(demo_warehouse["engine"], Scope.company(), settings, demo_warehouse["as_of"], Filters())
    p = win_probabilities(ctx)
    at_contract = p[p["probability_stage"] >= 4]
    # Every closed deal that reached 确认合同 was won, so the history alone says 1.0, and every
    # deal seen open there at past dates went on to win (its cohort's rate is 1.0) ...
    assert len(at_contract) and (at_contract["stage_rate"] == 1.0).all()
    # ... but an open deal gets at most probability_won_stage_max (probability_open_max without a cohort).
    seen = at_contract["cohort_closed"] > 0
    assert seen.any()
    assert at_contract.loc[seen, "p_win"].tolist() == pytest.approx(
        [settings.probability_won_stage_max] * int(seen.sum())
    )
    assert (at_contract.loc[~seen, "p_win"] <= settings.probability_open_max).all()
    assert p["p_win"].max() < 1.0 and f"{p['p_win'].max() * 100:.1f}%" != "100.0%"
