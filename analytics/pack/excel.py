"""The meeting pack as an Excel workbook, through the team's one writer (analytics.xlsx).

A cover sheet, then a sheet per table of each section (its header frozen and
filtered, the section's notes and the rows-left-out note above it), a native
chart beside the attainment and the waterfall tables, and a sheet of the
definitions (the page tooltips) section by section.  Money columns hold yuan in
the pack and are written in 万元 by the writer, so no number is 10,000× off its
header; chart data is converted with ``analytics.money.to_wan`` here.
"""

from __future__ import annotations

import pandas as pd

from analytics import xlsx
from analytics.money import to_wan
from analytics.pack.content import Chart, Pack, Section, Table, Texts

COVER_COLUMNS = (("money_wan", "pk_amount_wan"), ("percent", "pk_ratio"), ("int", "pk_count"))


def cover_sheet(pack: Pack, texts: Texts) -> xlsx.Sheet:
    """项目 | 金额（万元） | 比率 | 数量 | 内容: each figure in the column of its kind, so every
    column keeps one number format."""
    rows = []
    for item in pack.cover:
        row: dict[str, object] = {
            "item": item.label,
            "money_wan": None,
            "percent": None,
            "int": None,
            "text": None,
        }
        row[item.kind if item.kind in row else "text"] = item.value
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["item", "money_wan", "percent", "int", "text"])
    columns = [xlsx.Column("item", texts.label("pk_item"))]
    columns += [xlsx.Column(kind, texts.label(key), kind) for kind, key in COVER_COLUMNS]
    columns.append(xlsx.Column("text", texts.label("pk_text")))
    notes = [pack.title, f"{texts.label('pk_built_at')}: {pack.built_at:%Y-%m-%d %H:%M}"]
    return xlsx.Sheet(texts.label("pk_cover"), frame, columns, notes=notes)


def left_out_note(table: Table, texts: Texts) -> list[str]:
    """'This table lists the first N of M rows; K are left out' and where the rest are."""
    if not table.left_out:
        return []
    note = texts.label("pk_left_out").format(shown=len(table.frame), total=table.total, left=table.left_out)
    return [note, table.where] if table.where else [note]


def excel_chart(chart: Chart, texts: Texts) -> xlsx.Chart:
    """A pack chart as a native Excel chart: the waterfall as stacked columns on an invisible
    base, attainment as columns with the time-progress line over them."""
    if chart.kind == "waterfall":
        return waterfall_chart(chart, texts)
    frame = pd.DataFrame(
        {
            "category": chart.categories,
            "value": chart.values,
            "reference": [chart.reference] * len(chart.values),
        }
    )
    series = [
        xlsx.Series("value", texts.label("pk_chart_attainment")),
        xlsx.Series("reference", texts.label("pk_chart_progress"), "line"),
    ]
    return xlsx.Chart(chart.title, frame, "category", series, number_format="0%")


def waterfall_steps(values: list[float]) -> pd.DataFrame:
    """Total, base, rise and fall of each bar: the first and last are totals from zero, the
    parts float from the running total (a fall hangs below it)."""
    rows, running = [], 0.0
    for n, value in enumerate(values):
        if n in (0, len(values) - 1):
            rows.append((value, 0.0, 0.0, 0.0))
            running = value
        elif value >= 0:
            rows.append((0.0, running, value, 0.0))
            running += value
        else:
            running += value
            rows.append((0.0, running, 0.0, -value))
    return pd.DataFrame(rows, columns=["total", "base", "rise", "fall"])


def waterfall_chart(chart: Chart, texts: Texts) -> xlsx.Chart:
    steps = to_wan(waterfall_steps(chart.values))
    frame = steps.assign(category=chart.categories)
    series = [
        xlsx.Series("base", "", "invisible"),
        xlsx.Series("total", chart.categories[0] + " / " + chart.categories[-1]),
        xlsx.Series("rise", texts.label("pk_value_wan") + " +"),
        xlsx.Series("fall", texts.label("pk_value_wan") + " −"),
    ]
    return xlsx.Chart(chart.title, frame, "category", series, stacked=True, y_title=texts.label("wan_yuan"))


def table_sheet(section: Section, table: Table, texts: Texts, first: bool) -> xlsx.Sheet:
    """One table of a section; the first carries the section's notes and charts."""
    notes = [section.title if first else f"{section.title} · {table.title}"]
    notes += list(section.notes) if first else []
    notes += left_out_note(table, texts)
    if first and section.definitions:
        notes.append(texts.label("pk_definitions_see"))
    columns = [xlsx.Column(c.source, c.header, c.kind) for c in table.columns]
    charts = [excel_chart(c, texts) for c in section.charts] if first else []
    name = section.title if first else table.title
    return xlsx.Sheet(name, table.frame, columns, notes=notes, charts=charts)


def notes_sheet(section: Section, texts: Texts) -> xlsx.Sheet:
    """A section without tables (fewer than two snapshots, no alert): its notes as a sheet."""
    frame = pd.DataFrame({"note": list(section.notes) or [texts.label("pk_empty_table")]})
    return xlsx.Sheet(section.title, frame, [xlsx.Column("note", texts.label("pk_notes"))])


def definitions_sheet(pack: Pack, texts: Texts) -> xlsx.Sheet:
    rows = [
        {"section": s.title, "term": term, "definition": text}
        for s in pack.sections
        for term, text in s.definitions
    ]
    frame = pd.DataFrame(rows, columns=["section", "term", "definition"])
    columns = [
        xlsx.Column("section", texts.label("pk_notes")),
        xlsx.Column("term", texts.label("pk_item")),
        xlsx.Column("definition", texts.label("pk_definitions"), width=100),
    ]
    return xlsx.Sheet(texts.label("pk_definitions"), frame, columns)


def pack_sheets(pack: Pack, texts: Texts) -> list[xlsx.Sheet]:
    sheets = [cover_sheet(pack, texts)]
    for section in pack.sections:
        if not section.tables:
            sheets.append(notes_sheet(section, texts))
        for n, table in enumerate(section.tables):
            sheets.append(table_sheet(section, table, texts, first=n == 0))
    sheets.append(definitions_sheet(pack, texts))
    return sheets


def pack_xlsx(pack: Pack, texts: Texts) -> bytes:
    """The pack's .xlsx bytes."""
    return xlsx.workbook(pack_sheets(pack, texts))
