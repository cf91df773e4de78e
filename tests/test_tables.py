"""One table helper (issue 14 §5): ui.tables.show_table is the only st.dataframe, and it writes "—".

A missing value reads "—" in text, date and number columns alike (Streamlit
would print "None"), whether the table goes out as a Styler (small) or with
its missing numbers as text (large); numbers keep their formats.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from ui import tables
from ui.tables import Column, Verbatim, styled, table_frame

ROOT = Path(__file__).resolve().parent.parent


def _dataframe_calls(path: Path) -> int:
    """How many calls of ``<something>.dataframe(...)`` the file's code makes (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "dataframe"
        for node in ast.walk(tree)
    )


def test_st_dataframe_is_called_in_exactly_one_place():
    calls = {
        str(path.relative_to(ROOT)): n
        for folder in ("ui", "pages")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (n := _dataframe_calls(path))
    }
    assert calls == {"ui/tables.py": 1}, calls
    assert not (ROOT / "ui" / "forecast_tables.py").read_text().count("def show_table")
    assert not (ROOT / "ui" / "funnel_widgets.py").read_text().count("def show_table")


FRAME = pd.DataFrame(
    {
        "name": ["甲", None, np.nan],
        "n": pd.array([12345, None, 2], dtype="Int64"),
        "value": [123_456_789.0, np.nan, 1.0],
        "share": [0.123, None, 0.5],
        "days": [27.0, 3.4, np.nan],
        "on": [pd.Timestamp("2026-09-20"), None, pd.NaT],
    }
)
COLUMNS = [
    Column("name", "col_type"),
    Column("n", "col_stage", None, "int"),
    Column("value", "annual_value", "open_value", "wan"),
    Column("share", Verbatim("份额"), None, "pct"),
    Column("days", "col_median_days", None, "days"),
    Column("on", "col_date", None, "date"),
]


def test_missing_values_read_a_dash_and_numbers_their_formats():
    shown, kinds = table_frame(FRAME, COLUMNS)
    assert list(shown.iloc[:, 0]) == ["甲", "—", "—"] and list(shown.iloc[:, 5]) == ["2026-09-20", "—", "—"]
    assert shown.iloc[0, 2] == 12345.6789  # 万元
    text = styled(shown, kinds).to_string()
    assert "—" in text and "None" not in text and "nan" not in text.lower() and "<NA>" not in text
    assert "12,345" in text and "12,345.7" in text and "12.3%" in text and "27" in text and "3.4" not in text


def _table_script() -> None:
    from tests.test_tables import COLUMNS, FRAME
    from ui.tables import show_table

    show_table(FRAME, COLUMNS, key="t")


def test_a_small_table_writes_missing_numbers_as_right_aligned_dashes():
    """Chromium drew a missing number as "None" whatever the Styler wrote (客户经理's 覆盖率): a
    number column with a missing value is sent as text, "—" where missing, aligned right."""
    at = AppTest.from_function(_table_script).run()
    assert not at.exception, at.exception
    values = at.dataframe[0].value
    assert list(values.iloc[:, 1]) == ["12,345", "—", "2"] and values.iloc[1, 0] == "—"
    assert not values.isna().any().any()
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["阶段"]["type_config"]["type"] == "text" and config["阶段"]["alignment"] == "right"


def _coloured_script() -> None:
    import pandas as pd

    from ui.tables import Column, Verbatim, show_table

    frame = pd.DataFrame({"line": ["甲", "乙", "丙"], "gap": [-0.02, None, 0.05]})
    show_table(
        frame, [Column("line", "col_type"), Column("gap", Verbatim("差"), None, "pp")], colour_by="gap"
    )


def test_a_coloured_table_colours_by_the_numbers_and_writes_missing_as_dashes():
    at = AppTest.from_function(_coloured_script).run()
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value["差"]) == ["-2.0 pp", "—", "+5.0 pp"]
    css = at.dataframe[0].proto.arrow_data.styler.styles
    assert tables.BEHIND[1:].lower() in css.lower() and tables.AHEAD[1:].lower() in css.lower()


def _large_table_script() -> None:
    from tests.test_tables import COLUMNS, FRAME
    from ui import tables

    limit, tables.STYLER_MAX_CELLS = tables.STYLER_MAX_CELLS, 0
    try:
        tables.show_table(FRAME, COLUMNS, key="t")
    finally:  # the module is shared by every later test of the process
        tables.STYLER_MAX_CELLS = limit


def test_a_large_table_writes_missing_numbers_as_text_without_a_styler():
    at = AppTest.from_function(_large_table_script).run()
    assert not at.exception, at.exception
    assert not at.dataframe[0].proto.arrow_data.styler.display_values
    values = at.dataframe[0].value
    assert list(values.iloc[:, 2]) == ["12,345.7", "—", "0.0"]
    assert not values.isna().any().any()
    formats = {
        c.get("label"): c.get("type_config", {}).get("format")
        for c in json.loads(at.dataframe[0].proto.columns).values()
    }
    assert "%,.0f" not in formats.values() and formats.get("份额") is None  # both sent as text


def _whole_numbers_script() -> None:
    import pandas as pd

    from ui.tables import Column, show_table

    frame = pd.DataFrame({"n": [12345, 2], "value": [1e8, 1.0], "days": [27.0, 3.4]})
    show_table(frame, [Column("n", "col_stage", None, "int"), Column("value", "annual_value", None, "wan"),
                       Column("days", "col_median_days", "open_value", "days")], key="t")  # fmt: skip


def test_complete_numbers_are_formatted_in_the_browser_with_their_help():
    at = AppTest.from_function(_whole_numbers_script).run()
    assert not at.exception, at.exception
    assert not at.dataframe[0].proto.arrow_data.styler.display_values
    config = json.loads(at.dataframe[0].proto.columns)
    assert [config[c]["type_config"]["format"] for c in ("阶段", "年综合收益（万元）", "中位天数")] == [
        "%,d",
        "%,.1f",
        "%,.0f",
    ]
    assert config["中位天数"].get("help")


def test_large_threshold_is_below_streamlits_refusal():
    assert 0 < tables.STYLER_MAX_CELLS < 262_144  # and a test that lowers it puts it back


def _row_labels_script() -> None:
    import pandas as pd

    from ui.tables import show_table

    labels = [f"指标{i}" for i in range(12)] + ["成交周期中位数（天）"]
    show_table(pd.DataFrame({"指标": labels, "张三": range(13)}), key="t")


def test_the_row_label_column_fits_its_longest_label_not_only_its_first_rows():
    """The browser sized the label column from its first rows and cut 成交周期中位数（天）."""
    at = AppTest.from_function(_row_labels_script).run()
    assert not at.exception, at.exception
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["指标"]["width"] == 10 * 14 + 32  # ten CJK characters and the padding
    assert "width" not in config["张三"]
    assert tables.label_width(pd.Series(["x" * 100]), "h") == tables.TEXT_COLUMN_MAX_PX


def _long_values_script() -> None:
    import pandas as pd

    from ui.tables import show_table

    reasons = ["逾期、停滞、无跟进"] + [""] * 11 + [None]
    show_table(pd.DataFrame({"商机编号": [f"OPP{i}" for i in range(13)], "问题原因": reasons}), key="t")


def test_every_text_column_fits_its_longest_value():
    """我的商机 cut 问题原因 (逾期、停滞…): a text column past the first is sized to its values too."""
    at = AppTest.from_function(_long_values_script).run()
    assert not at.exception, at.exception
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["问题原因"]["width"] == 9 * 14 + 32  # nine CJK characters (、 counts as one)
    assert config["商机编号"]["width"] == 4 * 14 + 32  # the header is wider than OPP12


def test_a_bias_is_a_signed_share_not_percentage_points():
    """预测校准 wrote a bias (a share of the revenue that arrived) as "-0.1 pp"."""
    frame = pd.DataFrame({"bias": [-0.0012, 0.034]})
    shown, kinds = table_frame(frame, [Column("bias", Verbatim("偏差"), None, "signed_pct")])
    assert styled(shown, kinds).to_string().count("%") == 2
    assert "-0.1%" in styled(shown, kinds).to_string() and "+3.4%" in styled(shown, kinds).to_string()
