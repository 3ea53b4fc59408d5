"""The customer service standard as documents: an editable DOCX (python-docx) and a PDF (ReportLab).

Both are made from the same `domain.standard.blocks`: a title with the institution's name and the
version's approval details, then the seven components as numbered headings (1–7) with numbered
clauses, and tables for the channels (2.2.6) and the key indicators (2.2.7). The DOCX uses Word's
built-in heading styles (real headings: the navigation pane and a table of contents see them) and
carries the institution's name in the page header. Texts go to python-docx as plain strings and
to ReportLab escaped, so nothing a user writes is read as markup.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from ..domain import standard as doc
from ..domain.i18n import language_tag
from .labels import fmt_date


@dataclass
class StandardDoc:
    """What the documents need of one version."""

    organisation: str
    lang: str
    number: int
    state: str
    content: dict[str, Any]
    approved_by: str = ""
    decision_number: str = ""
    approved_on: dt.date | None = None

    @property
    def L(self) -> dict[str, str]:  # noqa: N802 - as Report.L
        return doc.LABELS[self.lang]

    def meta_lines(self) -> list[str]:
        """'Version 2 (approved)', and who approved it with which decision, when."""
        t = self.L
        lines = [f"{t['version']} {self.number} ({t['state_' + self.state]})"]
        if self.state in ("approved", "superseded") and self.approved_on:
            lines.append(
                f"{t['approved_by']}: {self.approved_by}; {t['decision']} "
                f"{self.decision_number}; {t['date']}: "
                f"{fmt_date(self.approved_on, self.lang)}"
            )
        return lines


def from_version(version, organisation: str, lang: str) -> StandardDoc:
    """A StandardDoc of a StandardVersion row."""
    return StandardDoc(
        organisation=organisation,
        lang=lang,
        number=version.number,
        state=version.state,
        content=version.content or {},
        approved_by=version.approved_by or "",
        decision_number=version.decision_number or "",
        approved_on=version.approved_on,
    )


#: Column widths of the two tables (170 mm of text width): channels (kind, channel, parameters)
#: and indicators (channel, indicator, target, unit, data source).
TABLE_WIDTHS_MM = {3: (28, 45, 97), 5: (28, 50, 26, 24, 42)}


# --- DOCX --------------------------------------------------------------------------------------


def render_docx(sd: StandardDoc) -> bytes:
    """The standard as an editable Word document (.docx)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    t = sd.L
    document = Document()
    props = document.core_properties
    props.title = f"{t['title']} — {sd.organisation}"
    props.author = sd.organisation
    props.language = language_tag(sd.lang)
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10.5)
    # The document's language, so spelling and hyphenation follow it in Word and LibreOffice.
    rpr = normal.element.get_or_add_rPr()
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), props.language)

    section = document.sections[0]  # A4 with 20 mm margins: 170 mm of text width
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    header = section.header
    head = header.paragraphs[0]
    head.text = sd.organisation
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    document.add_heading(t["title"], level=0)
    document.add_paragraph(sd.organisation).runs[0].bold = True
    for line in sd.meta_lines():
        document.add_paragraph(line)

    for block in doc.blocks(sd.content, sd.lang):
        document.add_heading(block.numbered_heading, level=1)
        for text in block.paragraphs:
            document.add_paragraph(text)
        for number, title, text in block.clauses:
            para = document.add_paragraph()
            para.paragraph_format.left_indent = Pt(28)
            para.paragraph_format.first_line_indent = Pt(-28)
            para.add_run(number + "\t")
            if title:
                para.add_run(title + ". ").bold = True
            para.add_run(text)
        if block.table:
            table = document.add_table(rows=0, cols=len(block.table[0]))
            table.style = "Table Grid"
            table.autofit = False
            widths = [Mm(w) for w in TABLE_WIDTHS_MM[len(block.table[0])]]
            for column, width in zip(table.columns, widths, strict=True):
                column.width = width  # the grid: LibreOffice reads it, Word reads the cells'
            for i, row in enumerate(block.table):
                cells = table.add_row().cells
                for cell, value, width in zip(cells, row, widths, strict=True):
                    cell.width = width
                    lines = value.split("\n")
                    cell.text = lines[0]
                    for extra in lines[1:]:
                        cell.add_paragraph(extra)
                    if i == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            _repeat_header(table)
        for text in block.after:
            document.add_paragraph(text)
    document.add_paragraph()
    document.add_paragraph(t["source_note"]).runs[0].italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _repeat_header(table) -> None:
    """Mark the first row as a header row: it repeats on every page and screen readers read it
    as the column headings."""
    from docx.oxml.ns import qn

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    el = tr_pr.makeelement(qn("w:tblHeader"), {})
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


# --- PDF ---------------------------------------------------------------------------------------


def render_pdf(sd: StandardDoc) -> bytes:
    """The standard as an A4 PDF with the report's fonts, styles and table look."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer

    from .pdf import (
        CONTENT_W,
        FONT,
        MARGIN_BOTTOM,
        MARGIN_TOP,
        MARGIN_X,
        PAGE_H,
        NumberedCanvas,
        P,
        T,
        _table,
        chunks,
        esc,
        register_fonts,
    )

    register_fonts()
    t = sd.L
    buffer = io.BytesIO()
    pdf = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{t['title']} — {sd.organisation}",
        author=sd.organisation,
        creator="assessment",
        lang=language_tag(sd.lang),
        displayDocTitle=1,
        initialFontName=FONT,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_W,
        PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    pdf.addPageTemplates([PageTemplate(id="body", frames=[frame])])

    story: list = [P(esc(t["title"]), "cover_kind"), T(sd.organisation, "cover_org")]
    story += [T(line, "cover_value") for line in sd.meta_lines()]
    story.append(Spacer(1, 8))
    for block in doc.blocks(sd.content, sd.lang):
        story.append(T(block.numbered_heading, "h2"))
        for text in block.paragraphs:
            story += [T(part) for part in chunks(text)]
        for number, title, text in block.clauses:
            head = (
                f"<b>{esc(number)} {esc(title) + '.' if title else ''}</b> "
                if title
                else f"{esc(number)} "
            )
            parts = chunks(text) or [""]
            story.append(P(head + esc(parts[0]), "list"))
            story += [T(part, "list") for part in parts[1:]]
        if block.table:
            cols = len(block.table[0])
            widths = [CONTENT_W * w / 170 for w in TABLE_WIDTHS_MM[cols]]
            data = [
                [P(esc(c).replace("\n", "<br/>"), "th" if i == 0 else "td") for c in row]
                for i, row in enumerate(block.table)
            ]
            story.append(_table(data, widths))
        for text in block.after:
            story += [T(part) for part in chunks(text)]
    story += [Spacer(1, 10), T(t["source_note"], "small")]
    canvas = type(
        "StandardCanvas",
        (NumberedCanvas,),
        {
            "footer_left": sd.organisation,
            "footer_mid": f"{t['title']} · {t['version']} {sd.number}",
            "page_label": t["page_of"],
        },
    )
    pdf.build(story, canvasmaker=canvas)
    return buffer.getvalue()
