"""The Word plumbing the reports share: Chinese fonts, A4 pages, tables, bars.

Why the fonts need care: a run's font in Word is four slots (``w:rFonts``
ascii / hAnsi / eastAsia / cs), and Word picks the slot by character.
python-docx's ``font.name`` fills only ascii and hAnsi, and its default
template points every slot at *theme* fonts (Calibri/Cambria), which override
any name.  Left so, Chinese falls to whatever the reader's Word picks.  So the
document defaults and every style used here get explicit names, the theme
attributes are removed, and the East Asian language is set to zh-CN (Word uses
it for characters shared by both scripts, such as “ ” and ·):

- 宋体 and 黑体 for body and headings, the faces of Chinese official documents,
  present on every Chinese Windows and in WPS.  They are named by their English
  names, SimSun and SimHei: Word and WPS find the installed face by either name,
  and fontconfig on Linux knows only the English ones (SimSun is a serif,
  SimHei a sans), so LibreOffice substitutes Noto Serif CJK SC / Noto Sans CJK
  SC from ``fonts-noto-cjk``.  Named 宋体, fontconfig does not know the face and
  LibreOffice falls back to a sans face for body text;
- the font table gives their Chinese names and the GB2312 character set, so
  Word on a machine without them (a Mac, say) substitutes a Chinese face.
"""
from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

# chinese_date and local_date are not used here: re-exported so the builders need one import.
from .text import bar_color, chinese_date, clean, local_date, score_text  # noqa: F401

BODY_FONT = "SimSun"  # 宋体
HEADING_FONT = "SimHei"  # 黑体
LATIN_FONT = "Times New Roman"  # LibreOffice uses the metric-compatible Liberation Serif
_FONT_TABLE = {BODY_FONT: ("宋体", "02010600030101010101"), HEADING_FONT: ("黑体", "02010609060101010101")}
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)  # A4, what Chinese offices print on
MARGIN = Cm(2.2)
TEXT_WIDTH_CM = 21.0 - 2 * 2.2
BAR_SEGMENTS = 20  # one segment per 5 points: fine enough to read, robust in every Word
HEADER_FILL = "F2F2F2"
EMPTY_BAR_FILL = "E6E6E6"

_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# -- the document ---------------------------------------------------------------


def new_document(title: str, *, page_numbers: bool = True) -> DocxDocument:
    """An empty A4 document with Chinese fonts on every style the reports use."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    _set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), BODY_FONT)
    styles = (("Normal", BODY_FONT, 11), ("Heading 1", HEADING_FONT, 14), ("Heading 2", HEADING_FONT, 12))
    for name, face, size in styles:
        style = doc.styles[name]
        _set_fonts(style.element.get_or_add_rPr(), face)
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        if name != "Normal":
            style.font.bold = True
            style.paragraph_format.space_before = Pt(12)
            style.paragraph_format.space_after = Pt(6)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after = Pt(4)
    normal.line_spacing = 1.25
    _add_font_table_entries(doc)
    doc.core_properties.title = title
    doc.core_properties.language = "zh-CN"
    doc.core_properties.author = ""
    if page_numbers:
        _page_number_footer(doc)
    return doc


def to_bytes(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _set_fonts(rpr: CT_RPr, east_asia: str) -> None:
    """Name all four font slots explicitly and declare Chinese as the East Asian language."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:  # Word insists on the schema's child order: w:lang comes near the end
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _add_font_table_entries(doc: DocxDocument) -> None:
    """Describe SimSun/SimHei in the font table (Chinese name, PANOSE, GB2312 charset).

    Word reads these to substitute a Chinese face where the named one is not
    installed; without them it may fall back to a Western face and show boxes.
    python-docx keeps the font table as a plain blob, so it is rewritten whole.
    """
    part = next((rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if part is None or not hasattr(part, "_blob"):
        return  # a python-docx that stores parts differently: the styles alone still name the faces
    table = parse_xml(part.blob)
    present = {font.get(qn("w:name")) for font in table.findall(qn("w:font"))}
    for name, (chinese, panose) in _FONT_TABLE.items():
        if name in present:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", chinese), ("w:panose1", panose), ("w:charset", "86"),
                           ("w:family", "auto"), ("w:pitch", "variable")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        table.append(font)
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(doc: DocxDocument) -> None:
    """``第 N 页 共 M 页`` centred at the foot of every page: printed reports get shuffled."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("第 ", "PAGE", " 页 共 ", "NUMPAGES", " 页"):
        if piece.isupper():
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), piece)
            inner = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            inner.append(text)
            field.append(inner)
            paragraph._p.append(field)
        else:
            styled(paragraph.add_run(piece), size=9)


def page_border(doc: DocxDocument, color: str, *, style: str = "double") -> None:
    """A frame around every page, as certificates have; inset from the page edge."""
    sect_pr = doc.sections[0]._sectPr
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for attribute, value in (("w:val", style), ("w:sz", "18"), ("w:space", "24"), ("w:color", color)):
            edge.set(qn(attribute), value)
        borders.append(edge)
    sect_pr.find(qn("w:pgMar")).addnext(borders)


# -- text -----------------------------------------------------------------------


def styled(run, *, bold: bool = False, size: float | None = None, color: str | None = None, face: str | None = None):
    """Format one run; ``face`` fills the East Asian slot too, which ``run.font.name`` alone would not."""
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    rpr = run._r.get_or_add_rPr()
    if face:
        _set_fonts(rpr, face)
    rpr.get_or_add_rFonts().set(qn("w:hint"), "eastAsia")  # “ ” ‘ ’ · — in the Chinese face, as Chinese Word does
    return run


def paragraph(
    container,
    text: str = "",
    *,
    bold: bool = False,
    size: float | None = None,
    color: str | None = None,
    face: str | None = None,
    align: str | None = None,
    space_after: float | None = None,
) -> Paragraph:
    """Add one paragraph of plain text to a document or a table cell."""
    para = container.add_paragraph()
    if text:
        styled(para.add_run(clean(text)), bold=bold, size=size, color=color, face=face)
    if align:
        para.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    if space_after is not None:
        para.paragraph_format.space_after = Pt(space_after)
    return para


def title(doc: DocxDocument, text: str) -> Paragraph:
    """The document's title, shrunk (down to 14 pt) so a long class name stays on one line."""
    text = clean(text)
    size = min(18.0, max(14.0, float(int(2 * 450 / max(len(text), 1)) / 2)))
    return paragraph(doc, text, bold=True, size=size, face=HEADING_FONT, align="center", space_after=10)


def heading(doc: DocxDocument, text: str, level: int = 1) -> Paragraph:
    para = doc.add_paragraph(style=f"Heading {level}")
    styled(para.add_run(clean(text)))
    return para


# -- tables ---------------------------------------------------------------------


def shade(cell: _Cell, fill: str) -> None:
    """Fill a cell with a colour (hex ``RRGGBB``)."""
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(qn("w:shd")):
        tcpr.remove(old)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def fill_cell(cell: _Cell, text: str, *, bold: bool = False, size: float | None = None, align: str | None = None,
              color: str | None = None) -> None:
    """Replace a cell's text; new lines in ``text`` become paragraphs."""
    lines = clean(text).split("\n") if text else [""]
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        para = first if index == 0 else cell.add_paragraph()
        para.paragraph_format.space_after = Pt(0)
        para.paragraph_format.line_spacing = 1.1
        if line:
            styled(para.add_run(line), bold=bold, size=size, color=color)
        if align:
            para.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]


def _fix_widths(table: Table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths, written both where Word looks (cells) and LibreOffice looks (grid)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _repeat_as_header(row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    trpr.append(marker)


def _no_split(row) -> None:
    """Keep a row on one page, so one rectification item is never torn in two."""
    row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))  # before w:trHeight, as Word writes it


def grid_table(
    doc: DocxDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
    *,
    size: float = 10,
    align: Sequence[str | None] | None = None,
    fills: Mapping[tuple[int, int], str] | None = None,
) -> Table:
    """A bordered table with a shaded header row repeated on every page.

    ``align`` gives each column's alignment (``"center"``, ``"right"`` or
    ``None``); ``fills`` shades body cells by (row, column).
    """
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, widths_cm)
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, text in zip(header.cells, headers):
        fill_cell(cell, text, bold=True, size=size, align="center")
        shade(cell, HEADER_FILL)
    for r, values in enumerate(rows):
        row = table.rows[r + 1]
        _no_split(row)
        for c, (cell, text) in enumerate(zip(row.cells, values)):
            fill_cell(cell, text, size=size, align=(align[c] if align else None))
            if fills and (r, c) in fills:
                shade(cell, fills[(r, c)])
    return table


def label_table(doc: DocxDocument, pairs: Sequence[tuple[str, str]], *, size: float = 11) -> Table:
    """Two label/value pairs per row, as on a Chinese form's header block (单位、日期…)."""
    cols = 4
    count = (len(pairs) + 1) // 2
    table = doc.add_table(rows=count, cols=cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, (2.6, 5.7, 2.6, 5.7))
    for index, (label, value) in enumerate(pairs):
        row = table.rows[index // 2]
        first = (index % 2) * 2
        fill_cell(row.cells[first], label, bold=True, size=size, align="center")
        shade(row.cells[first], HEADER_FILL)
        fill_cell(row.cells[first + 1], value, size=size)
    if len(pairs) % 2:
        last = table.rows[-1]
        last.cells[1].merge(last.cells[3])
    return table


def bar_chart(doc: DocxDocument, values: Mapping[str, float], *, maximum: float = 100.0, suffix: str = " 分") -> Table:
    """A horizontal bar chart made of shaded table cells, one grid column per 5 points.

    python-docx writes no charts, and a picture would need an imaging library;
    a row of shaded cells prints the same in Word, WPS and LibreOffice, and the
    value is printed beside each bar so nothing depends on reading colours.
    """
    label_cm, value_cm = 4.4, 2.0
    segment_cm = (TEXT_WIDTH_CM - label_cm - value_cm - 0.2) / BAR_SEGMENTS
    widths = [label_cm, *([segment_cm] * BAR_SEGMENTS), value_cm]
    rows = 2 * len(values) - 1 if values else 0
    table = doc.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, widths)
    for index, (label, value) in enumerate(values.items()):
        row = table.rows[2 * index]
        row.height, row.height_rule = Cm(0.6), WD_ROW_HEIGHT_RULE.AT_LEAST
        _no_split(row)
        fill_cell(row.cells[0], label, size=10)
        filled = round(BAR_SEGMENTS * max(0.0, min(1.0, value / maximum)))
        # The bar and the rest of the track as one merged cell each: separate shaded
        # cells show hairline seams where a renderer rounds their edges.
        for first, last, fill in ((1, filled, bar_color(value)), (filled + 1, BAR_SEGMENTS, EMPTY_BAR_FILL)):
            if first <= last:
                cell = row.cells[first] if first == last else row.cells[first].merge(row.cells[last])
                shade(cell, fill)
        fill_cell(row.cells[-1], f"{score_text(value)}{suffix}", size=10, align="right", bold=True)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if index + 1 < len(values):  # a thin white row, so neighbouring bars do not merge into a block
            gap = table.rows[2 * index + 1]
            gap.height, gap.height_rule = Cm(0.12), WD_ROW_HEIGHT_RULE.EXACTLY
            for cell in gap.cells:
                cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    return table
