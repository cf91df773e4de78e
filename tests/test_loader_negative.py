"""Negative numbers only where the contract allows them (data-contract.md). Both backends.

A revenue amount may be negative (收入调整, an adjustment); an opportunity's
value, a contract amount, a budget, a target, a user count or a contract term
may not: such a row is quarantined with a reason in Chinese, the rest load.
"""

from __future__ import annotations

import pytest

from analytics.loader.kinds import BUDGET, OPPORTUNITIES, REVENUE
from analytics.loader.rules import must_not_be_negative
from tests.test_loader_helpers import fresh, load, rows, scalar


@pytest.fixture
def wh(empty_engine):
    """An empty warehouse on each backend."""
    return fresh(empty_engine)


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_which_fields_may_be_negative():
    assert not must_not_be_negative(REVENUE, "amount", "amount")
    assert must_not_be_negative(OPPORTUNITIES, "annual_value", "amount")
    assert must_not_be_negative(OPPORTUNITIES, "user_count", "int")
    assert must_not_be_negative(BUDGET, "amount", "amount")
    assert not must_not_be_negative(BUDGET, "month", "month")


def test_negative_opportunity_value_and_user_count_are_quarantined(wh, tmp_path):
    path = write(
        tmp_path,
        "opps.csv",
        "商机编号,客户名称,产品,客户经理工号,阶段,状态,预计年综合收益,创建日期,用户数\n"
        'N1,客户甲,IPTV,S1,1,跟进中,"-6,600,000",2024-01-01,10\n'
        "N2,客户乙,IPTV,S1,1,跟进中,1000,2024-01-01,-3\n"
        "N3,客户丙,IPTV,S1,1,跟进中,0,2024-01-01,0\n"
        "N4,客户丁,IPTV,S1,1,跟进中,-12.5万,2024-01-01,\n",
    )
    report = load(wh, path)
    assert report.outcome == "loaded"
    assert (report.rows_in, report.loaded, report.quarantined) == (4, 1, 3)
    assert rows(wh, "SELECT opportunity_id FROM opportunity_snapshot") == [("N3",)]
    assert rows(wh, "SELECT line_no, field, raw_value, reason FROM quarantine ORDER BY line_no") == [
        (
            2,
            "预计年综合收益",
            "-6,600,000",
            "预计年综合收益 '-6,600,000' 不能为负数（只有收入的金额可为负：收入调整）",
        ),
        (3, "用户数", "-3", "用户数 '-3' 不能为负数（只有收入的金额可为负：收入调整）"),
        (
            5,
            "预计年综合收益",
            "-12.5万",
            "预计年综合收益 '-12.5万' 不能为负数（只有收入的金额可为负：收入调整）",
        ),
    ]


def test_negative_revenue_adjustment_is_loaded(wh, tmp_path):
    path = write(
        tmp_path,
        "revenue.csv",
        "帐期,分局,产品,费用项,金额\n202403,浦东,IPTV,月租费,1000\n202403,浦东,IPTV,收入调整,-300.00\n",
    )
    report = load(wh, path)
    assert (report.loaded, report.quarantined) == (2, 0)
    assert float(scalar(wh, "SELECT SUM(amount) FROM revenue")) == pytest.approx(700)


@pytest.mark.parametrize(
    ("name", "text", "field"),
    [
        ("targets.csv", "年度,工号,目标金额\n2024,S1,-500\n2024,S2,500\n", "目标金额"),
        ("budget.csv", "年度,分局,产品,月份,预算金额\n2024,浦东,IPTV,1,-1\n2024,浦东,IPTV,2,1\n", "预算金额"),
        (
            "contracts.csv",
            "合同编号,产品,签订日期,合同金额,合同期限(月)\nH1,IPTV,2024-03-01,-1234.5,12\n"
            "H2,IPTV,2024-03-01,1234.5,12\n",
            "合同金额",
        ),
        (
            "contracts.csv",
            "合同编号,产品,签订日期,合同金额,合同期限(月)\nH1,IPTV,2024-03-01,1234.5,-12\n"
            "H2,IPTV,2024-03-01,1234.5,12\n",
            "合同期限(月)",
        ),
    ],
    ids=["target", "budget", "contract_amount", "contract_term"],
)
def test_other_negative_amounts_are_quarantined(wh, tmp_path, name, text, field):
    report = load(wh, write(tmp_path, name, text))
    assert (report.loaded, report.quarantined) == (1, 1)
    ((line, got_field, reason),) = rows(wh, "SELECT line_no, field, reason FROM quarantine")
    assert (line, got_field) == (2, field) and "不能为负数" in reason
