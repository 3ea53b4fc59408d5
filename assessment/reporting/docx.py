"""The report as an editable DOCX (python-docx), with the same sections as the PDF.

Built from the same `Report` as the PDF and the HTML page; nothing is recomputed here. Headings
are Word's own heading styles (they make the navigation pane and a table of contents), the
dimensions, the action plan, the unsupported claims, the trend and the sign-off are real tables,
the institution's name is in the page header and the page number in the footer. The radar and the
gap chart are PNGs drawn with Pillow (ReportLab's bitmap renderer needs a library that is not
installed), their figures in the alternative text and in the dimension table.

Every user or bank text passes through `clean()`: python-docx escapes XML's markup characters
itself, and `clean()` drops the characters XML 1.0 cannot carry at all (control characters), which
would otherwise make python-docx refuse the text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ..domain.i18n import language_tag
from .build import Action, AppendixRow, Report
from .labels import fmt_date, fmt_num, fmt_pct, fmt_signed

FONT = "Arial"  # in Word everywhere; LibreOffice uses the metric-compatible Liberation Sans
ACCENT = RGBColor(0x1D, 0x3F, 0x5E)
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x61, 0x6E, 0x7C)
WARN = RGBColor(0xB4, 0x53, 0x09)
DRAFT_RED = RGBColor(0xA1, 0x2A, 0x1F)
HEAD_FILL = "E4EBF2"
TOTAL_FILL = "F3F6F9"
CONTENT_MM = 170  # A4 210 mm − 2 × 20 mm margins

#: Characters XML 1.0 cannot hold (C0 controls but tab/newline/return, DEL, non-characters,
#: lone surrogates); python-docx raises ValueError on them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean(text: object) -> str:
    """User or bank text safe for a DOCX run: control characters dropped, line ends unified."""
    if text is None:
        return ""
    return _NOT_XML.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


# --- low-level helpers ----------------------------------------------------------------------


def _set_font(
    style_or_run, size: float | None = None, bold: bool | None = None, color: RGBColor | None = None
) -> None:
    font = style_or_run.font
    font.name = FONT
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color


def _set_language(style, lang: str) -> None:
    """Mark the text's language (spelling and hyphenation in Word and LibreOffice)."""
    rpr = style.element.get_or_add_rPr()
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    code = language_tag(lang)
    el.set(qn("w:val"), code)
    el.set(qn("w:eastAsia"), code)
    el.set(qn("w:bidi"), code)


def _run(
    paragraph: Paragraph,
    text: object,
    *,
    bold: bool = False,
    size: float | None = None,
    color: RGBColor | None = None,
    italic: bool = False,
):
    run = paragraph.add_run(clean(text))
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size is not None:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


def _field(paragraph: Paragraph, instruction: str, size: float, color: RGBColor) -> None:
    """A field (PAGE, NUMPAGES) that Word and LibreOffice fill in, in the run's format."""

    def run(child: str, **attrs: str) -> None:
        r = paragraph.add_run()
        r.font.size = Pt(size)
        r.font.color.rgb = color
        el = OxmlElement(child)
        for key, value in attrs.items():
            el.set(qn(key), value)
        if child == "w:instrText":
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        elif child == "w:t":
            el.text = "1"
        r._r.append(el)

    run("w:fldChar", **{"w:fldCharType": "begin"})
    run("w:instrText")
    run("w:fldChar", **{"w:fldCharType": "separate"})
    run("w:t")
    run("w:fldChar", **{"w:fldCharType": "end"})


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(table: Table) -> None:
    """The first row repeats at the top of every page the table runs onto."""
    trpr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


#: Style ids by style name (python-docx looks a name up by scanning every style, every time).
_STYLE_IDS: dict[str, str] = {}


def _style(paragraph: Paragraph, name: str) -> None:
    """Give `paragraph` the style called `name`."""
    style_id = _STYLE_IDS.get(name)
    if style_id is None:
        style_id = _STYLE_IDS[name] = paragraph.part.styles[name].style_id
    paragraph._p.get_or_add_pPr().style = style_id


def _p(container, text: object = "", style: str | None = None) -> Paragraph:
    """A new paragraph of (cleaned) `text` at the end of `container`, in `style`."""
    paragraph = container.add_paragraph(clean(text))
    if style is not None:
        _style(paragraph, style)
    return paragraph


def _cell_text(
    cell: _Cell,
    text: object,
    *,
    bold: bool = False,
    right: bool = False,
    size: float = 8.5,
    color: RGBColor | None = None,
) -> Paragraph:
    paragraph = cell.paragraphs[0]
    _style(paragraph, "Table text")
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(paragraph, text, bold=bold, size=size, color=color)
    return paragraph


def _cell_para(cell: _Cell) -> Paragraph:
    """The cell's next paragraph: its first while it is empty, else a new one."""
    first = cell.paragraphs[0]
    if len(cell.paragraphs) == 1 and not first.runs:
        _style(first, "Table text")
        return first
    return _p(cell, style="Table text")


def _table(
    doc, headers: list[str], widths_mm: list[float], rows: Iterable[list], right: Iterable[int] = ()
) -> Table:
    """A grid table with a shaded, repeating header row; cells given as text or callables."""
    right = set(right)
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for i, head in enumerate(headers):
        cell = table.rows[0].cells[i]
        _cell_text(cell, head, bold=True, right=i in right, size=8, color=ACCENT)
        _shade(cell, HEAD_FILL)
    _repeat_header(table)
    _narrow_margins(table)
    for values in rows:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
        cells = row.cells
        for i, value in enumerate(values):
            if callable(value):
                value(cells[i])
            else:
                _cell_text(cells[i], value, right=i in right)
    _widths(table, widths_mm)
    return table


def _widths(table: Table, widths_mm: Iterable[float]) -> None:
    """Column widths for Word (each cell) and LibreOffice (the table grid)."""
    table.autofit = False
    for i, width in enumerate(widths_mm):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)


def _narrow_margins(table: Table, mm: float = 1.2) -> None:
    """Cell margins of `mm` left and right (Word's default 1.9 mm breaks narrow headers)."""
    tblpr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(mm / 25.4 * 1440)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = tblpr.find(qn("w:tblLook"))  # the schema's order: tblCellMar comes before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tblpr.append(margins)


def _bold_row(table: Table, fill: str = TOTAL_FILL) -> None:
    for cell in table.rows[-1].cells:
        _shade(cell, fill)
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


# --- the document's frame -------------------------------------------------------------------


def _setup(doc, report: Report) -> None:
    t = report.L
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(22)
    section.header_distance = section.footer_distance = Mm(10)

    styles = doc.styles
    normal = styles["Normal"]
    _set_font(normal, 10)
    _set_language(normal, report.lang)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 10)):
        style = styles[name]
        _set_font(style, size, bold=True, color=INK if name == "Heading 3" else ACCENT)
        style.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.space_before = Pt(0)
    styles["Heading 1"].paragraph_format.space_after = Pt(8)
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    styles["Heading 2"].paragraph_format.space_after = Pt(4)
    styles["Heading 3"].paragraph_format.space_before = Pt(8)
    styles["Heading 3"].paragraph_format.space_after = Pt(2)
    table_text = styles.add_style("Table text", 1)  # 1: paragraph style
    table_text.base_style = normal
    _set_font(table_text, 8.5)
    table_text.paragraph_format.space_after = Pt(1)
    table_text.paragraph_format.line_spacing = 1.0
    small = styles.add_style("Small", 1)
    small.base_style = normal
    _set_font(small, 8, color=MUTED)

    props = doc.core_properties
    props.title = clean(" — ".join(p for p in (t["report_kind"], report.organisation) if p))
    props.subject = clean(" — ".join(p for p in (t["subject"], report.title) if p))
    props.author = clean(report.prepared_by or report.organisation)
    props.keywords = clean(f"{report.bank.id} {report.bank.version}")
    props.language = language_tag(report.lang)
    props.comments = ""

    header = section.header.paragraphs[0]
    _run(header, report.organisation or report.title, bold=True, size=8, color=ACCENT)
    _run(header, f" · {t['report_kind']}", size=8, color=MUTED)
    if report.draft:  # on every page until the assessment is completed
        _run(header, f" · {t['draft_mark']}", bold=True, size=9, color=DRAFT_RED)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(
        footer,
        f"{fmt_date(report.date, report.lang)} · {report.bank.id} {report.bank.version} · ",
        size=8,
        color=MUTED,
    )
    # "%(page)s. lapa no %(pages)s" / "Page %(page)s of %(pages)s" with the numbers as fields
    for part in re.split(r"(%\(page\)s|%\(pages\)s)", t["page_of"]):
        if part == "%(page)s":
            _field(footer, "PAGE", 8, MUTED)
        elif part == "%(pages)s":
            _field(footer, "NUMPAGES", 8, MUTED)
        elif part:
            _run(footer, part, size=8, color=MUTED)


def _page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# --- sections, in the PDF's order -----------------------------------------------------------


def _counts_line(report: Report) -> str:
    t = report.L
    return " · ".join(
        (
            f"{t['answered']} {report.answered} "
            f"{t['of_questions'] % dict(total=report.total_questions)}",
            f"{t['not_applicable']} {report.not_applicable}",
            f"{t['dont_know']} {report.dont_know}",
            f"{t['unanswered']} {report.unanswered}",
        )
    )


def _status_line(report: Report) -> str:
    t = report.L
    if report.draft:
        return f"{t['draft_mark']} · {t['status_draft_line']} {fmt_date(report.date, report.lang)}"
    return f"{t['completed_on']}: {fmt_date(report.completed_on, report.lang)}"


def _cover(doc, report: Report) -> None:
    """The top of page 1: who, what, the state (draft or completed) and the bank."""
    t = report.L
    kind = _p(doc, style="Small")
    _run(kind, t["report_kind"].upper(), bold=True, color=ACCENT)
    _p(doc, clean(report.organisation or report.title), "Title")
    if report.organisation and report.title:
        _run(doc.add_paragraph(), report.title, size=14)
    p = _p(doc, style="Small")
    _run(p, _status_line(report), bold=report.draft, color=DRAFT_RED if report.draft else MUTED)
    _run(p, f" · {report.bank_title} ({report.bank.id} · {t['version']} {report.bank.version})")
    if report.prepared_by:
        p = _p(doc, style="Small")
        _run(p, f"{t['prepared_by']}: ", bold=True)
        _run(p, report.prepared_by)


def _summary(doc, report: Report) -> None:
    t = report.L
    lang = report.lang
    _p(doc, clean(t["where_heading"]), "Heading 1")
    kpis = [
        (t["overall_maturity"], f"{fmt_num(report.maturity, lang)} / 4", t["as_claimed"]),
        (
            t["evidence_backed"],
            f"{fmt_num(report.evidence_backed, lang)} / 4",
            t["evidence_backed_hint"],
        ),
        (t["index"], fmt_pct(report.index, lang), t["index_hint"]),
        (t["level"], "–" if report.level is None else f"{report.level} – {report.level_label}", ""),
    ]
    table = doc.add_table(rows=2, cols=4)
    table.style = "Table Grid"
    table.autofit = False
    for i, (label, value, hint) in enumerate(kpis):
        head, body = table.rows[0].cells[i], table.rows[1].cells[i]
        _cell_text(head, label, bold=True, size=8, color=ACCENT)
        _shade(head, HEAD_FILL)
        _cell_text(body, value, bold=True, size=14, color=ACCENT)
        if hint:
            _run(_p(body, style="Table text"), hint, size=7.5, color=MUTED)
    _widths(table, [CONTENT_MM / 4] * 4)
    _p(doc, clean(_counts_line(report)), "Small")
    if report.respondents:
        p = _p(doc, style="Small")
        _run(p, f"{t['respondents']} ({len(report.respondents)}): ", bold=True)
        _run(p, ", ".join(report.respondents))
    if report.disagreements_total:
        p = _p(doc, style="Small")
        _run(p, f"{t['disagreements']}: ", bold=True)
        _run(
            p,
            t["disagreements_text"]
            % dict(
                total=report.disagreements_total,
                resolved=report.disagreements_resolved,
                open=report.disagreements_open,
            ),
        )
    p = doc.add_paragraph()
    _run(p, report.summary, size=10)
    if report.dimensions:
        _p(doc, clean(t["gaps_heading"]), "Heading 2")
        if report.below_target == 0:
            doc.add_paragraph(clean(t["gaps_none"]))
        _gap_chart(doc, report)


def _cells(rows: list[list[tuple]]) -> list[list]:
    """Rows of (text, formatting) pairs as the cell writers `_table` takes."""
    return [[(lambda cell, v=v, kw=kw: _cell_text(cell, v, **kw)) for v, kw in row] for row in rows]


def _page_two(doc, report: Report) -> None:
    """How sure are we (as claimed vs evidence-backed), and what we do first."""
    t = report.L
    lang = report.lang
    _p(doc, clean(t["sure_heading"]), "Heading 1")
    doc.add_paragraph(
        clean(
            t["sure_text"]
            % dict(
                claimed=fmt_num(report.maturity, lang),
                backed=fmt_num(report.evidence_backed, lang),
                unsupported=report.unsupported_count,
                claims=report.claims_count,
            )
        )
    )
    if report.dimensions:
        rows = [
            [
                (d.title, {}),
                (fmt_num(d.maturity, lang), {"right": True}),
                (fmt_num(d.evidence_backed, lang), {"right": True, "bold": True}),
                (d.unsupported, {"right": True}),
            ]
            for d in report.dimensions
        ]
        _table(
            doc,
            [t["col_dimension"], t["col_claimed"], t["col_backed"], t["col_unsupported"]],
            [CONTENT_MM - 75, 25, 25, 25],
            _cells(rows),
            right=(1, 2, 3),
        )
    if report.evidence_note:
        p = doc.add_paragraph()
        _run(p, f"{t['evidence_note_heading']}. ", bold=True, color=WARN)
        _run(p, report.evidence_note)
    _p(doc, clean(t["first_heading"]), "Heading 1")
    if not report.top_actions:
        doc.add_paragraph(clean(t["no_actions"]))
    for action in report.top_actions:
        p = _p(doc, style="List Number")
        _run(p, action.next_step)
        _run(p, f" — {action.dimension_title} · {action.clause}", size=8, color=MUTED)


def _page_three(doc, report: Report) -> None:
    """Who owns the first actions and by when, and the sign-off block."""
    t = report.L
    _p(doc, clean(t["owners_heading"]), "Heading 1")
    if report.top_actions:
        rows = []
        for a in report.top_actions:
            rows.append(
                [
                    (f"{a.rank}.", {"bold": True}),
                    (a.next_step, {}),
                    (a.owner or t["owner_missing"], {} if a.owner else {"color": DRAFT_RED}),
                    (
                        fmt_date(a.due, report.lang) if a.due else t["due_missing"],
                        {} if a.due else {"color": DRAFT_RED},
                    ),
                    (a.status_label, {}),
                ]
            )
        _table(
            doc,
            [t["col_no"], t["col_action"], t["col_owner"], t["col_due"], t["col_status"]],
            [9, CONTENT_MM - 9 - 38 - 28 - 22, 38, 28, 22],
            _cells(rows),
        )
    else:
        doc.add_paragraph(clean(t["no_actions"]))
    _signoff(doc, report)


def _picture(doc, png: bytes, title: str, description: str) -> None:
    """A centred picture the page wide, with its title and alternative text."""
    doc.add_picture(io.BytesIO(png), width=Mm(CONTENT_MM))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture = doc.inline_shapes[-1]._inline
    picture.docPr.set("descr", clean(description))
    picture.docPr.set("title", clean(title))


def _gap_chart(doc, report: Report) -> None:
    """The gap bars as a picture, with the figures as its alternative text."""
    from .charts import gap_bars_png

    values = "; ".join(f"{d.title} {fmt_num(d.gap, report.lang)}" for d in report.dimensions)
    _picture(
        doc,
        gap_bars_png(report),
        report.L["gaps_title"],
        report.L["gaps_desc"] % dict(values=values),
    )


def _radar_chart(doc, report: Report) -> None:
    """The radar as a picture (as in the PDF, only with three axes or more)."""
    from .charts import radar_png

    t = report.L
    dims = report.dimensions
    if len(dims) < 3:
        return

    def series(values) -> str:
        return "; ".join(
            f"{d.title} {fmt_num(v, report.lang)}" for d, v in zip(dims, values, strict=True)
        )

    description = t["radar_desc"] % dict(
        n=len(dims),
        backed=series(d.evidence_backed for d in dims),
        target=series(d.target for d in dims),
    )
    if report.has_trend:
        description += t["radar_desc_previous"] % dict(previous=series(d.previous for d in dims))
    _picture(
        doc,
        radar_png(report),
        t["radar_title"] % dict(organisation=report.organisation or report.title),
        description,
    )


def _dimensions(doc, report: Report) -> None:
    t = report.L
    lang = report.lang
    _p(doc, clean(f"{t['annex_n'] % dict(n=1)}. {t['radar_heading']}"), "Heading 1")
    _radar_chart(doc, report)
    heads = [
        "col_dimension",
        "col_maturity",
        "col_backed",
        "col_target",
        "col_gap",
        "col_counted",
        "col_na",
        "col_dk",
        "col_unsupported",
    ]

    def title(d):
        def fill(cell):
            p = _cell_text(cell, d.title)
            _run(p, f" {d.source}", size=7, color=MUTED)

        return fill

    rows = [
        [
            title(d),
            fmt_num(d.maturity, lang),
            fmt_num(d.evidence_backed, lang),
            str(d.target),
            fmt_num(d.gap, lang),
            str(d.counted),
            str(d.not_applicable),
            str(d.dont_know),
            str(d.unsupported),
        ]
        for d in report.dimensions
    ]
    rows.append(
        [
            t["overall"],
            fmt_num(report.maturity, lang),
            fmt_num(report.evidence_backed, lang),
            "",
            "",
            str(sum(d.counted for d in report.dimensions)),
            str(report.not_applicable),
            str(report.dont_know),
            str(report.unsupported_count),
        ]
    )
    widths = [42] + [16] * 8
    table = _table(doc, [t[h] for h in heads], widths, rows, right=range(1, 9))
    _bold_row(table)
    for row, d in zip(table.rows[1:], report.dimensions, strict=False):
        if d.below_target:
            for run in row.cells[4].paragraphs[0].runs:
                run.bold = True
    _p(doc, clean(t["dimensions_note"]), "Small")
    _p(doc, clean(t["confidence_heading"]), "Heading 2")
    low = [d for d in report.dimensions if d.confidence_note]
    for d in low:
        _p(doc, f"{d.title}: {d.confidence_note}")
    if not low:
        _p(doc, clean(t["confidence_none"]), "Small")
    _p(doc, clean(t["confidence_note"]), "Small")


def _action_cell(action: Action, report: Report):
    t = report.L
    lang = report.lang

    def fill(cell):
        _cell_text(cell, action.question_text, bold=True)
        _run(
            _cell_para(cell),
            f"{action.dimension_title} · {t['clause']} {action.clause} · "
            f"{t['priority']} {fmt_num(action.priority, lang)}",
            size=7.5,
            color=MUTED,
        )
        p = _cell_para(cell)
        _run(p, f"{t['next_step']} (→ {action.to_level}): ", bold=True)
        _run(p, action.next_step)
        p = _cell_para(cell)
        _run(p, f"{t['current_level']}: ", bold=True, size=7.5)
        _run(
            p,
            f"{t['level_n'] % dict(n=action.level)} – {action.level_label}. "
            f"{action.level_descriptor} ({t['target_level']} {action.target})",
            size=7.5,
        )
        if action.evidence_examples:
            p = _cell_para(cell)
            _run(p, f"{t['evidence_examples']}: ", bold=True, size=7.5)
            _run(p, "; ".join(action.evidence_examples), size=7.5)

    return fill


def _action_plan(doc, report: Report) -> None:
    t = report.L
    _p(doc, clean(f"{t['annex_n'] % dict(n=2)}. {t['action_plan_heading']}"), "Heading 1")
    doc.add_paragraph(clean(t["action_plan_intro"]))
    doc.add_paragraph(clean(report.groups_rule))
    if not report.actions:
        doc.add_paragraph(clean(t["no_actions"]))
        return
    headers = [t["col_no"], t["col_action"], t["col_owner"], t["col_due"], t["col_status"]]
    for group in report.action_groups:
        if not group.actions:
            continue
        heading = _p(doc, clean(group.title), "Heading 2")
        _run(heading, f" — {group.hint} ({len(group.actions)})", size=9, color=MUTED)
        rows = [
            [
                f"{a.rank}.",
                _action_cell(a, report),
                a.owner,
                fmt_date(a.due, report.lang),
                a.status_label,
            ]
            for a in group.actions
        ]
        _table(doc, headers, [10, 98, 24, 20, 18], rows)


def _unsupported(doc, report: Report) -> None:
    t = report.L
    if not report.unsupported_claims:
        return
    _p(doc, clean(t["unsupported_heading"]), "Heading 2")
    doc.add_paragraph(clean(t["unsupported_intro"]))

    def question(claim):
        def fill(cell):
            _cell_text(cell, claim.question_text, bold=True)
            _run(
                _cell_para(cell),
                f"{claim.dimension_title} · {t['clause']} {claim.clause}",
                size=7.5,
                color=MUTED,
            )

        return fill

    def examples(claim):
        def fill(cell):
            for example in claim.evidence_examples:
                _run(_cell_para(cell), f"• {example}")

        return fill

    rows = [
        [question(c), f"{c.level} – {c.level_label}", examples(c)]
        for c in report.unsupported_claims
    ]
    _table(doc, [t["col_question"], t["claimed_level"], t["evidence_examples"]], [75, 30, 65], rows)


def _kpi(doc, report: Report) -> None:
    """Register indicators off target or without a figure (reporting.kpi_report)."""
    from .kpi_report import LABELS, table_rows

    if not report.kpi:
        return
    t = LABELS[report.lang]
    _p(doc, clean(t["heading"]), "Heading 2")
    doc.add_paragraph(clean(t["intro"]))
    headers, rows = table_rows(report)
    _table(doc, headers, [62, 24, 28, 28, 28], [[clean(c) for c in r] for r in rows])


def _trend(doc, report: Report) -> None:
    t = report.L
    lang = report.lang
    if not report.has_trend:
        return
    _p(doc, clean(t["trend_heading"]), "Heading 2")
    doc.add_paragraph(clean(t["trend_intro"]))
    rows = []
    for d in report.dimensions:
        change = fmt_signed(d.change, lang)
        if d.change is not None and d.change > 0:
            change = f"▲ {change}"
        elif d.change is not None and d.change < 0:
            change = f"▼ {change}"
        rows.append([d.title, fmt_num(d.previous, lang), fmt_num(d.evidence_backed, lang), change])
    prev = report.previous
    overall_change = (
        report.evidence_backed - prev.evidence_backed
        if prev is not None
        and prev.evidence_backed is not None
        and report.evidence_backed is not None
        else None
    )
    rows.append(
        [
            t["overall"],
            fmt_num(prev.evidence_backed if prev else None, lang),
            fmt_num(report.evidence_backed, lang),
            fmt_signed(overall_change, lang),
        ]
    )
    table = _table(
        doc,
        [t["col_dimension"], t["col_previous"], t["col_current"], t["col_change"]],
        [95, 25, 25, 25],
        rows,
        right=(1, 2, 3),
    )
    _bold_row(table)


def _signoff(doc, report: Report) -> None:
    t = report.L
    heading = _p(doc, clean(t["signoff_heading"]), "Heading 2")
    heading.paragraph_format.page_break_before = False
    if report.draft:  # no signature lines on a draft
        p = doc.add_paragraph()
        _run(p, t["draft_note"], color=DRAFT_RED)
        return
    doc.add_paragraph(clean(t["signoff_intro"]))
    table = doc.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    blocks = (
        ("prepared_by", report.prepared_by, fmt_date(report.completed_on, report.lang)),
        ("approved_by", "", ""),
    )
    for col, (role, name, date) in enumerate(blocks):
        cells = [table.rows[r].cells[col] for r in range(4)]
        _cell_text(cells[0], t[role], bold=True, size=10, color=ACCENT)
        _shade(cells[0], HEAD_FILL)
        for cell, (label, value) in zip(
            cells[1:],
            ((t["name_position"], name), (t["signature"], ""), (t["date"], date)),
            strict=True,
        ):
            _cell_text(cell, label, size=7.5, color=MUTED)
            p = _p(cell, style="Table text")
            p.paragraph_format.space_before = Pt(10)
            _run(p, value, size=9.5)
    _widths(table, [CONTENT_MM / 2] * 2)


def _appendix_row(doc, row: AppendixRow, report: Report) -> None:
    t = report.L
    _p(doc, clean(row.question_text), "Heading 3")
    _p(doc, clean(f"{row.question_id} · {t['clause']} {row.clause}"), "Small")
    p = doc.add_paragraph()
    _run(p, f"{t['answer']}: ", bold=True)
    _run(p, row.answer_label + (f". {row.descriptor}" if row.descriptor else ""))
    flags = []
    if row.unsupported:
        flags.append((t["unsupported_flag"], WARN))
    if row.spread is not None:
        flags.append((t["spread"] % dict(spread=row.spread), MUTED))
    if row.consensus:
        flags.append((t["consensus"], MUTED))
    if flags:
        _run(p, " (")
        for k, (text, color) in enumerate(flags):
            _run(p, ("; " if k else "") + text, color=color)
        _run(p, ")")
    paragraphs = row.comment_paragraphs
    for k, line in enumerate(paragraphs):
        p = doc.add_paragraph()
        if k == 0:
            _run(p, f"{t['comment']}: ", bold=True)
        _run(p, line)
    if row.evidence:
        p = doc.add_paragraph()
        _run(p, f"{t['evidence']}:", bold=True)
        for item in row.evidence:
            p = _p(doc, style="List Bullet")
            _run(p, item.title, bold=True)
            if item.url:
                _run(p, f" — {item.url}", color=ACCENT)
            if item.date:
                _run(p, f" — {item.date}", color=MUTED)
    elif row.kind == "level":
        p = doc.add_paragraph()
        _run(p, f"{t['evidence']}: ", bold=True)
        _run(p, t["no_evidence"], color=MUTED)


def _appendix(doc, report: Report) -> None:
    t = report.L
    _page_break(doc)
    _p(doc, clean(f"{t['annex_n'] % dict(n=3)}. {t['appendix_heading']}"), "Heading 1")
    _p(doc, clean(t["appendix_intro"]), "Small")
    for section in report.appendix:
        _p(doc, clean(section.title), "Heading 2")
        for row in section.rows:
            _appendix_row(doc, row, report)


def _flagged(doc, report: Report) -> None:
    """The annex "marked for review"."""
    t = report.L
    _page_break(doc)
    _p(doc, clean(f"{t['annex_n'] % dict(n=4)}. {t['flagged_heading']}"), "Heading 1")
    if not report.flagged:
        _p(doc, clean(t["flagged_none"]), "Small")
        return
    _p(doc, clean(t["flagged_intro"]), "Small")
    for f in report.flagged:
        p = doc.add_paragraph()
        _run(p, clean(f.question_text), bold=True)
        who = f.who or t["flagged_facilitator"]
        note = f" — {f.note}" if f.note else ""
        _run(
            p,
            clean(f" ({f.question_id}, {t['clause']} {f.clause}). {t['flagged_by']}: {who}{note}"),
        )


def render_docx(report: Report) -> bytes:
    """The report as DOCX bytes: A4, Word headings, tables, header and page numbers."""
    doc = Document()
    _setup(doc, report)
    _cover(doc, report)
    _summary(doc, report)
    _page_break(doc)
    _page_two(doc, report)
    _page_break(doc)
    _page_three(doc, report)
    _page_break(doc)
    _dimensions(doc, report)
    _page_break(doc)
    _action_plan(doc, report)
    _unsupported(doc, report)
    _kpi(doc, report)
    _trend(doc, report)
    _appendix(doc, report)
    _flagged(doc, report)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

__all__ = ["DOCX_MIMETYPE", "clean", "render_docx"]
