"""Header matching, kind detection, encodings and delimiters: no database needed."""

from __future__ import annotations

import pytest

from analytics.loader import detect, headers
from analytics.loader.kinds import KINDS
from tests.test_loader_helpers import FIXTURES


@pytest.mark.parametrize(
    ("header", "base", "unit"),
    [
        ("金额（万元）", "金额", "万元"),
        ("金额(万元)", "金额", "万元"),
        ("金额 (万元)", "金额", "万元"),
        ("金额（元）", "金额", "元"),
        ("预算金额万元", "预算金额", "万元"),
        ("合同期限(月)", "合同期限", "月"),
        ("  商机编号 ", "商机编号", None),
        ("Annual Value (万元)", "annualvalue", "万元"),
    ],
)
def test_unit_suffixes_split_after_normalising_width_case_and_spaces(header, base, unit):
    assert headers.split_unit(header) == (base, unit)
    assert headers.scale_of(unit) == (10_000 if unit == "万元" else 1)


def test_headers_match_synonyms_full_width_english_and_units():
    mapping = headers.match(
        KINDS["revenue"], ["帐期", " 区局 ", "产品", "费用项", "金额（万元）", "Owner ID", "备注"]
    )
    got = {c.header: (c.field, c.unit) for c in mapping.columns}
    assert got == {
        "帐期": ("period", None),
        " 区局 ": ("branch", None),
        "产品": ("product", None),
        "费用项": ("fee_item", None),
        "金额（万元）": ("amount", "万元"),
        "Owner ID": ("owner_id", None),
        "备注": (None, None),
    }
    assert mapping.column_for("amount").scale == 10_000
    assert not mapping.missing and [c.header for c in mapping.extras] == ["备注"]


def test_first_header_claims_a_field_and_overrides_win():
    mapping = headers.match(KINDS["activities"], ["活动编号", "工号", "客户经理工号", "类型", "日期"])
    assert [c.field for c in mapping.columns] == ["activity_id", "staff_id", None, "type", "date"]
    mapping = headers.match(
        KINDS["activities"],
        ["活动编号", "工号", "客户经理工号", "类型", "日期"],
        {"工号": None, "客户经理工号": "staff_id"},
    )
    assert [c.field for c in mapping.columns] == ["activity_id", None, "staff_id", "type", "date"]


def test_missing_required_fields_are_named():
    mapping = headers.match(
        KINDS["opportunities"], ["商机编号", "客户名称", "产品", "客户经理工号", "阶段", "状态"]
    )
    assert mapping.missing == ["annual_value", "created_date"]
    assert "年综合收益" in headers.accepted_headers(KINDS["opportunities"], "annual_value")


@pytest.mark.parametrize(
    ("columns", "kind"),
    [
        ("工号,姓名,角色,团队,分局,在职", "org"),
        ("商机编号,原阶段,新阶段,变更时间,操作人工号", "stage_history"),
        ("活动编号,商机编号,客户编号,工号,类型,日期", "activities"),
        ("需求编号,商机编号,类型,提出日期,完成日期", "support_requests"),
        ("合同编号,商机编号,客户编号,产品,签订日期,合同金额,合同期限(月),客户经理工号", "contracts"),
        ("帐期,合同编号,分局,产品,费用项科目,金额(万元),客户经理工号", "revenue"),
        ("年度,分局,产品,月份,预算金额", "budget"),
        ("年度,工号,目标金额", "targets"),
        ("商机编号,客户名称,产品,客户经理工号,阶段,状态,预计年综合收益,创建日期", "opportunities"),
    ],
)
def test_every_kind_is_recognised_from_its_headers(columns, kind):
    found, _scores = headers.best_kind(columns.split(","))
    assert found is not None and found.name == kind


def test_unrelated_headers_are_not_a_kind():
    found, _ = headers.best_kind(["说明", "日期"])
    assert found is None


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("opportunities_gbk.csv", "gbk"),
        ("opportunities_gb18030.csv", "gb18030"),
        ("opportunities_utf8_en.csv", "utf-8"),
        ("opportunities_utf8_bom.csv", "utf-8-sig"),
        ("revenue.csv", "gbk"),
    ],
)
def test_encodings_are_detected(name, encoding):
    sample = (FIXTURES / name).read_bytes()
    found = detect.guess(sample, complete=True)  # GBK cannot decode 䶮: the chain moves on to GB18030
    assert isinstance(found, tuple) and found[0] == encoding


def test_a_short_gbk_sample_is_still_gbk():
    assert detect.guess("商机编号,客户名称\n".encode("gbk"), complete=True)[0] == "gbk"


@pytest.mark.parametrize("name", ["latin1.csv", "big5.csv"])
def test_doubtful_encodings_offer_choices(name):
    found = detect.guess((FIXTURES / name).read_bytes(), complete=True)
    assert isinstance(found, detect.Doubt)
    assert "gb18030" in found.candidates and "utf-8" in found.candidates
    if name == "big5.csv":
        assert "big5" in found.candidates


def test_control_characters_make_an_encoding_doubtful():
    assert isinstance(detect.guess(b"a,b\n\x00\x01,\x02\n", complete=True), detect.Doubt)


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("a,b,c", ","), ("a\tb\tc", "\t"), ("a;b;c", ";"), ("a|b|c", "|"), ('"x,y"\tb\tc', "\t")],
)
def test_delimiter_is_the_one_splitting_the_header(line, delimiter):
    cells, found = detect.header_fields(line + "\n1,2,3\n")
    assert found == delimiter and len(cells) == 3


def test_unknown_encoding_name_is_refused_clearly():
    with pytest.raises(ValueError, match="未知编码"):
        detect.canonical("klingon")
    assert detect.canonical("GBK") == "gbk" and detect.canonical("UTF8") == "utf-8"
