"""The loader's words in Chinese and English, one place per text (issue 14 §5).

Quarantine reasons, refusals and the report's headers come from
analytics/loader/messages.py in the loader's language: Chinese by default (the
command line), English when the viewer reads English; the label catalogue shows
the same texts rather than copies.
"""

from __future__ import annotations

import re
import string

import pytest

from analytics import loader
from analytics.loader import messages
from analytics.loader.messages import MESSAGES, say, speaking
from analytics.loader.report import BatchReport, FileResult, quarantine_for_people
from analytics.settings import load_settings
from ui.catalogue import label

CJK = re.compile(r"[\u4e00-\u9fff]")
BAD = (
    "商机编号,商机名称,客户名称,客户经理工号,客户经理,团队,分公司,产品,阶段,状态,"
    "预计签约日期,预计年综合收益,创建日期,导出日期\n"
    "O1,甲,乙,S1,张三,一组,浦东,云,2,跟进中,2024-13-40,100,2024-01-01,2024-06-30\n"
)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(code):
    zh, en = MESSAGES[code]
    assert zh and en and _fields(zh) == _fields(en), code


def test_the_loader_speaks_chinese_unless_told_and_keeps_sql_placeholders():
    assert messages.language() == "zh"
    assert say("rule_required", header="商机编号") == "商机编号 为空（必填）"
    with speaking("en"):
        assert say("rule_required", header="商机编号") == "商机编号 is empty (required)"
        assert say("rule_duplicate", header="商机编号") == (
            "商机编号 '{value}' repeats in this file (line {first} has it; the first line is kept)"
        )
    assert messages.language() == "zh"
    with pytest.raises(ValueError):
        messages.use_language("fr")


def test_the_catalogue_shows_the_loaders_own_words():
    for code, (zh, en) in MESSAGES.items():
        assert label(f"loader_{code}", "zh") == zh and label(f"loader_{code}", "en") == en


def _preview(engine, tmp_path, language: str) -> loader.FileResult:
    path = tmp_path / "商机清单.csv"
    path.write_text(BAD, encoding="utf-8")
    with speaking(language):
        (result,) = loader.inspect(engine, [loader.Input.from_path(str(path))], load_settings())
    return result


def test_quarantine_reasons_in_the_viewers_language(empty_engine, tmp_path):
    zh, en = _preview(empty_engine, tmp_path, "zh"), _preview(empty_engine, tmp_path, "en")
    assert zh.quarantined == en.quarantined == 1
    zh_reason = quarantine_for_people(zh.sample)["原因"].iloc[0]
    with speaking("en"):
        en_reason = quarantine_for_people(en.sample)["Reason"].iloc[0]
    assert (
        zh_reason
        == "预计签约日期 '2024-13-40' 不是有效日期（可用：2024-03-05、2024/3/5、20240305、2024年3月5日 或 Excel 日期）"
    )
    assert en_reason.startswith("预计签约日期 '2024-13-40' is not a valid date (use 2024-03-05")


def test_refusals_and_the_report_headers_in_english(empty_engine, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with speaking("en"):
        (result,) = loader.inspect(empty_engine, [loader.Input.from_path(str(path))], load_settings())
        report = BatchReport(
            "b", "refused", [FileResult("empty.csv", outcome="refused", message=result.message)]
        )
        frame = report.summary_frame()
    assert not CJK.search(result.message or ""), result.message
    assert list(frame.columns[:3]) == ["File", "Kind", "Encoding"] and frame["Outcome"].iloc[0] == "refused"
    assert list(report.summary_frame().columns[:3]) == ["文件", "类型", "编码"]  # Chinese again outside


def test_encoding_doubts_replacements_and_progress_speak_english():
    """The texts moved last (encoding doubts, a line of another encoding, what a load replaces,
    the progress words) follow the loader's language like the rest."""
    from analytics.loader.detect import canonical, guess
    from analytics.loader.replacement import Replacement

    with speaking("en"):
        with pytest.raises(ValueError) as unknown:
            canonical("klingon-8")
        doubt = guess(b"\x00\x01\x02 binary \x03", complete=True)
        line = Replacement(
            file_name="a.csv", kind="opportunities", key_name="snapshot_date", key="2026-11-20", old_rows=4,
            new_rows=2,
            old_value=1_000_000.0, new_value=200_000.0, branches=("浦东",), kept_rows=3,
        )  # fmt: skip
        english = [
            str(unknown.value),
            doubt.reason,
            line.sentence(),
            line.confirmation(),
            say("progress_committed"),
        ]
    for text in english:
        assert not CJK.search(text.replace("浦东", "").replace("万元", "")), text  # data and the unit
    assert "snapshot 2026-11-20: held 4 rows (100.0 万元) → after the load 2 rows (20.0 万元)" in english[2]
    with speaking("zh"):
        assert CJK.search(line.sentence()) and say("progress_committed") == "已提交"
