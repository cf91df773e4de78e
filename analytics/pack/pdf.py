"""The meeting pack as a printable PDF: A4 landscape, ReportLab, no browser on the server.

Chinese is drawn with an embedded TrueType font (WenQuanYi Zen Hei, Debian's
``fonts-wqy-zenhei``: TrueType outlines, which ReportLab subsets into the file,
so no viewer shows missing-glyph boxes; Noto CJK is CFF and cannot be embedded
by ReportLab).  Charts are vector drawings (reportlab.graphics), tables break
across pages with their header row repeated, every page carries its number
("第 n 页 / 共 N 页").  Text from the data is escaped before it becomes a
Paragraph, so a customer called ``<b>…`` or ``&`` prints as written.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from analytics.money import to_wan
from analytics.pack.content import Chart, Col, Pack, Section, Table, Texts
from analytics.pack.excel import waterfall_steps
from analytics.xlsx import display_width

FONT = "SJGK-CJK"
FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
)
"""Where Debian (and Fedora) put WenQuanYi Zen Hei; scripts/install_system_deps.sh installs it."""

PAGE = landscape(A4)
MARGIN = 12 * mm
BODY_WIDTH = PAGE[0] - 2 * MARGIN
HEADER_BG = colors.HexColor("#e8edf3")
BAR = colors.HexColor("#4472c4")
RISE, FALL, LINE = colors.HexColor("#70ad47"), colors.HexColor("#c00000"), colors.HexColor("#ed7d31")


class FontMissing(RuntimeError):
    """No embeddable CJK font: the PDF would show boxes, so none is written."""


def register_font() -> str:
    """Register the CJK TrueType font once (subfont 0 of the .ttc) and return its name."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    for path in FONT_FILES:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
            return FONT
    raise FontMissing(
        "no embeddable CJK font: install fonts-wqy-zenhei (scripts/install_system_deps.sh) — looked in "
        + ", ".join(FONT_FILES)
    )


def styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", base, fontSize=22, leading=28, spaceAfter=8),
        "h1": ParagraphStyle("h1", base, fontSize=15, leading=20, spaceBefore=4, spaceAfter=6),
        "h2": ParagraphStyle("h2", base, fontSize=11, leading=15, spaceBefore=6, spaceAfter=4),
        "body": base,
        "note": ParagraphStyle("note", base, fontSize=8, leading=10.5, textColor=colors.HexColor("#555555")),
        "cell": ParagraphStyle("cell", base, fontSize=7, leading=8.6),
        "num": ParagraphStyle("num", base, fontSize=7, leading=8.6, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontSize=7, leading=8.6),
    }


# ----------------------------------------------------------------------------- values


def shown(value: Any, kind: str) -> str:
    """A cell as printed: 万元 with one decimal, percentages, counts, dates; blanks as —."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return "—"
    if kind == "money_wan":
        return f"{to_wan(float(value)):,.1f}"
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "number":
        return f"{float(value):,.1f}"
    if kind in ("date", "datetime") and isinstance(value, (date, datetime, pd.Timestamp)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "bool":
        return "✓" if value else ""
    return str(value)


# ----------------------------------------------------------------------------- tables


def _widths(table: Table, header_cells: list[str]) -> list[float]:
    """Column widths in proportion to their content (a CJK character counts two), the header
    allowed to wrap onto two lines, filling the page."""
    sample = table.frame.head(50)
    weights = []
    for col, header in zip(table.columns, header_cells, strict=True):
        cells = [shown(v, col.kind) for v in sample[col.source].tolist()] if col.source in sample else []
        widest = max([display_width(c) for c in cells] + [1])
        weights.append(min(max(widest, display_width(header) / 2, 5), 44))
    total = sum(weights)
    return [BODY_WIDTH * w / total for w in weights]


def _fits(text: str, width: float) -> bool:
    """True when ``text`` fits its column on one line at 7 pt (a CJK character is about one
    em, others about half): such a cell is a plain string, not a wrapping Paragraph, which
    keeps a thousand-row table quick to lay out."""
    return display_width(text) * 7 * 0.55 <= width - 4 and "\n" not in text


def pdf_table(table: Table, st: dict[str, ParagraphStyle]) -> LongTable:
    """A table that breaks across pages with its header row repeated on each."""
    columns: list[Col] = table.columns
    widths = _widths(table, [c.header for c in columns])
    header = [Paragraph(escape(c.header), st["head"]) for c in columns]
    rows = [header]
    numeric = {"money_wan", "percent", "int", "number"}
    values = [
        table.frame[c.source].tolist() if c.source in table.frame else [None] * len(table.frame)
        for c in columns
    ]
    for i in range(len(table.frame)):
        row = []
        for col, width, column_values in zip(columns, widths, values, strict=True):
            text = shown(column_values[i], col.kind)
            plain = col.kind in numeric or _fits(text, width)
            row.append(text if plain else Paragraph(escape(text), st["cell"]))
        rows.append(row)
    if len(rows) == 1:
        rows.append([Paragraph("—", st["cell"])] + [""] * (len(columns) - 1))
    out = LongTable(rows, colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 7),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b7c3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for n, col in enumerate(columns):
        if col.kind in numeric:
            style.append(("ALIGN", (n, 1), (n, -1), "RIGHT"))
    out.setStyle(TableStyle(style))
    return out


# ----------------------------------------------------------------------------- charts


def _axis_fonts(chart: VerticalBarChart, size: int = 7) -> None:
    for axis in (chart.categoryAxis.labels, chart.valueAxis.labels):
        axis.fontName, axis.fontSize = FONT, size


def attainment_drawing(chart: Chart, texts: Texts) -> Drawing:
    """Attainment per branch as bars, time progress as a dashed line across them."""
    width, height = BODY_WIDTH, 62 * mm
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 40, 28, width - 60, height - 48
    bars.data = [[v * 100 for v in chart.values]]
    bars.categoryAxis.categoryNames = chart.categories
    bars.bars[0].fillColor = BAR
    top = max([*(v * 100 for v in chart.values), (chart.reference or 0) * 100, 1])
    bars.valueAxis.valueMin, bars.valueAxis.valueMax = 0, top * 1.15
    bars.valueAxis.labelTextFormat = "%d%%"
    _axis_fonts(bars)
    drawing.add(bars)
    if chart.reference is not None:
        y = bars.y + bars.height * (chart.reference * 100) / bars.valueAxis.valueMax
        drawing.add(
            Line(bars.x, y, bars.x + bars.width, y, strokeColor=LINE, strokeWidth=1.2, strokeDashArray=[4, 2])
        )
        label = f"{texts.label('pk_chart_progress')} {chart.reference * 100:.1f}%"
        drawing.add(
            String(
                bars.x + bars.width - 4,
                y + 3,
                label,
                fontName=FONT,
                fontSize=7,
                fillColor=LINE,
                textAnchor="end",
            )
        )
    drawing.add(String(bars.x, height - 12, chart.title, fontName=FONT, fontSize=9))
    return drawing


def waterfall_drawing(chart: Chart, texts: Texts) -> Drawing:
    """The open-pipeline waterfall in 万元: totals from zero, parts floating on an invisible base."""
    width, height = BODY_WIDTH, 62 * mm
    steps = to_wan(waterfall_steps(chart.values))
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 50, 28, width - 70, height - 48
    bars.data = [steps[part].tolist() for part in ("base", "total", "rise", "fall")]
    bars.categoryAxis.style = "stacked"
    bars.categoryAxis.categoryNames = chart.categories
    bars.bars[0].fillColor, bars.bars[0].strokeColor = None, None
    bars.bars[1].fillColor, bars.bars[2].fillColor, bars.bars[3].fillColor = BAR, RISE, FALL
    bars.valueAxis.valueMin = 0
    bars.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    _axis_fonts(bars)
    drawing.add(bars)
    title = f"{chart.title}（{texts.label('wan_yuan')}）"
    drawing.add(String(bars.x, height - 12, title, fontName=FONT, fontSize=9))
    return drawing


def drawing(chart: Chart, texts: Texts) -> Drawing:
    out = waterfall_drawing(chart, texts) if chart.kind == "waterfall" else attainment_drawing(chart, texts)
    out.initialFontName = FONT  # the renderer's starting font: otherwise a stray, unembedded Helvetica
    return out


# ----------------------------------------------------------------------------- pages


class NumberedCanvas(pdf_canvas.Canvas):
    """Holds every page until the end so each can say 'page n of N'."""

    page_text = "{page} / {pages}"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initialFontName", FONT)  # no stray Helvetica: every font embedded
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#666666"))
            text = self.page_text.format(page=self._pageNumber, pages=total)
            self.drawRightString(PAGE[0] - MARGIN, 7 * mm, text)
            super().showPage()
        super().save()


def cover_story(pack: Pack, texts: Texts, st: dict) -> list:
    story = [Paragraph(escape(pack.title), st["title"])]
    rows = [
        [
            Paragraph(escape(texts.label("pk_item")), st["head"]),
            Paragraph(escape(texts.label("pk_text")), st["head"]),
        ]
    ]
    for item in pack.cover:
        rows.append(
            [
                Paragraph(escape(item.label), st["body"]),
                Paragraph(escape(shown(item.value, item.kind)), st["body"]),
            ]
        )
    table = LongTable(rows, colWidths=[70 * mm, 110 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b7c3")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    story.append(
        Paragraph(escape(f"{texts.label('pk_built_at')}: {pack.built_at:%Y-%m-%d %H:%M}"), st["note"])
    )
    return story


def section_story(section: Section, texts: Texts, st: dict) -> list:
    story: list = [PageBreak(), Paragraph(escape(section.title), st["h1"])]
    story += [Paragraph(escape(note), st["note"]) for note in section.notes]
    story += [Spacer(1, 2 * mm)] + [drawing(chart, texts) for chart in section.charts]
    for table in section.tables:
        block = [Paragraph(escape(table.title), st["h2"])]
        if table.left_out:
            note = texts.label("pk_left_out").format(
                shown=len(table.frame), total=table.total, left=table.left_out
            )
            block.append(Paragraph(escape(f"{note} {table.where}"), st["note"]))
        story += [KeepTogether(block), pdf_table(table, st)]
    if section.definitions:
        story.append(Paragraph(escape(texts.label("pk_definitions")), st["h2"]))
        for term, text in section.definitions:
            story.append(Paragraph(f"<b>{escape(term)}</b>：{escape(text)}", st["note"]))
    return story


def pack_pdf(pack: Pack, texts: Texts) -> bytes:
    """The pack's PDF bytes."""
    st = styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=14 * mm,
        title=pack.title, author="商机管控", subject=f"{pack.scope_label} {pack.as_of}",
        initialFontName=FONT,  # the canvas's first font: no stray Helvetica, every font embedded
    )  # fmt: skip
    story = cover_story(pack, texts, st)
    for section in pack.sections:
        story += section_story(section, texts, st)
    page_text = texts.label("pk_page").replace("{page}", "{page}").replace("{pages}", "{pages}")

    class Canvas(NumberedCanvas):
        pass

    Canvas.page_text = page_text
    doc.build(story, canvasmaker=Canvas)
    return buffer.getvalue()
