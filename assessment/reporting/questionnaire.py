"""A blank questionnaire of a bank version, as an A4 PDF for paper workshops.

A title page (the bank, its version and guideline, fields for the institution and the person
answering, how to fill it in), a page with the scale and the dimensions, then every question in
bank order, one per page: its five level descriptions as tick boxes, "not applicable" and "don't
know" boxes, and ruled lines for a comment and for evidence. An indicator question has instead a
line for its figure (with the unit) and one for its period, and its five bands (the values of each
level, with their descriptions) to read the level from — no level boxes to tick. Page X of Y in
the footer. Fonts, paragraph styles, escaping and page furniture are the report's (`pdf.py`);
bank texts are escaped like user texts.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from functools import cache
from threading import Lock

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from ..domain.bank import Bank, Question
from ..domain.i18n import M_, LabelTable, language_tag, normal
from ..domain.qtypes.indicator import band_text
from .pdf import (
    ACCENT,
    ACCENT_SOFT,
    CONTENT_W,
    FONT,
    HEAD_BG,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    NOTE_BG,
    NOTE_EDGE,
    PAGE_H,
    PAGE_W,
    RULE,
    NumberedCanvas,
    P,
    T,
    _fit,
    cover_band,
    esc,
    register_fonts,
    styles,
)

QLABELS = LabelTable(
    {
        "kind": M_("Self-assessment questionnaire"),
        "subject": M_("Customer service standard readiness self-assessment — blank questionnaire"),
        "bank": M_("Question bank"),
        "version": M_("version"),
        "guideline": M_("Guideline"),
        "institution": M_("Institution"),
        "respondent": M_("Completed by (name, position)"),
        "unit": M_("Department"),
        "date": M_("Date"),
        "how_heading": M_("How to fill in the questionnaire"),
        "how": [
            M_(
                "For each question tick exactly one box: the level whose description best "
                "fits how things are in the institution now, not how they should be."
            ),
            M_(
                "If the practice does not apply to your institution, tick “Not applicable”; "
                "if you do not know, tick “Don't know” (it counts as level 0 in the score)."
            ),
            M_(
                "For an indicator question write down the measured figure and the period it "
                "covers; the level is the band the figure falls in, so there are no level "
                "boxes to tick."
            ),
            M_(
                "Levels 3 and 4 need evidence: write down the document, link or record that "
                "proves it, with its date. Without evidence a level 3 or 4 answer counts as "
                "level 2 in the evidence-backed maturity."
            ),
            M_(
                "Use the comment lines for anything the facilitator or consultant should "
                "know about the answer."
            ),
            M_(
                "Hand the completed questionnaire to the facilitator of the assessment; the "
                "answers are entered in the application, which computes the score."
            ),
        ],
        "scale_heading": M_("Maturity levels"),
        "col_level": M_("Level"),
        "col_meaning": M_("Meaning"),
        "contents_heading": M_("Dimensions"),
        "col_dimension": M_("Dimension"),
        "col_clause": M_("Guideline clause"),
        "col_questions": M_("Questions"),
        "clause": M_("Guideline clause"),
        "question": M_("Question"),
        "not_applicable": M_("Not applicable"),
        "dont_know": M_("Don't know"),
        "comment": M_("Comment"),
        "evidence": M_("Evidence (document, link or record, date)"),
        "evidence_examples": M_("For example"),
        "tick_one": M_("Tick one:"),
        "value": M_("Value"),
        "period": M_("Period"),
        "period_forms": M_("year, quarter or month: 2026, 2026-Q3 or 2026-09"),
        "bands": M_("The level is the band the value falls in:"),
        "page_of": M_("Page %(page)s of %(pages)s"),
        "language": M_("in English"),
    }
)

BOX = 3.6 * mm
#: Each question has a page of its own (a question with its five descriptions, help and evidence
#: examples takes 15–18 cm of the 25 cm frame); the rest of the page is lines to write on.
COMMENT_LINES = 4
EVIDENCE_LINES = 3
LINE_GAP = 7.5 * mm


class TickBox(Flowable):
    """An empty square to tick with a pen."""

    def __init__(self, size: float = BOX) -> None:
        super().__init__()
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


class WriteLines(Flowable):
    """`count` ruled lines to write on by hand."""

    def __init__(self, count: int, gap: float = LINE_GAP) -> None:
        super().__init__()
        self.count, self.gap = count, gap

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, self.count * self.gap

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.HexColor("#9aa5b1"))
        self.canv.setLineWidth(0.5)
        for i in range(self.count):
            y = i * self.gap
            self.canv.line(0, y, self.width, y)


@cache
def _styles() -> None:
    """The questionnaire's own paragraph style, added once to the report's."""
    s = styles()
    s["field"] = ParagraphStyle(
        "field",
        parent=s["body"],
        fontSize=8.5,
        leading=11,
        spaceBefore=9,
        spaceAfter=0,
        keepWithNext=1,
    )


def _short(text: str, limit: int = 160) -> str:
    """A running header or footer text cut before it is fitted to the line (fitting measures the
    text once per removed character: a long bank title would take minutes on every page)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _canvas_maker(bank: Bank, lang: str):
    t = QLABELS[lang]
    return type(
        "QuestionnaireCanvas",
        (NumberedCanvas,),
        {
            "footer_left": _short(bank.title.get(lang)),
            "footer_mid": f"{bank.id} {bank.version}",
            "page_label": t["page_of"],
        },
    )


class QuestionnaireDoc(BaseDocTemplate):
    """A4: a title page, then body pages with a running header."""

    def __init__(self, buffer: io.BytesIO, bank: Bank, language: str, **kw) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            **kw,
        )
        self.bank, self.language = bank, language
        frames = [
            Frame(
                MARGIN_X,
                MARGIN_BOTTOM,
                CONTENT_W,
                PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                id=name,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            for name in ("cover", "body")
        ]
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frames[0]], onPage=self._cover_page),
                PageTemplate(id="body", frames=[frames[1]], onPage=self._body_page),
            ]
        )

    def _cover_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        cover_band(canvas)

    def _body_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The kind of document on the left; 'Institution: ____' on the right, to fill in."""
        t = QLABELS[self.language]
        canvas.saveState()
        y = PAGE_H - MARGIN_TOP + 8 * mm
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        running = f"{t['kind']} · {_short(self.bank.title.get(self.language))}"
        canvas.drawString(MARGIN_X, y, _fit(running, FONT, 7.5, CONTENT_W * 0.6))
        label = f"{t['institution']}:"
        x = MARGIN_X + CONTENT_W * 0.64
        canvas.drawString(x, y, label)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        from reportlab.pdfbase.pdfmetrics import stringWidth

        canvas.line(x + stringWidth(label, FONT, 7.5) + 3, y - 1, PAGE_W - MARGIN_X, y - 1)
        canvas.line(MARGIN_X, y - 4, PAGE_W - MARGIN_X, y - 4)
        canvas.restoreState()


def _fill_in(label: str) -> Table:
    table = Table(
        [[T(label, "cover_key"), ""]],
        colWidths=[62 * mm, CONTENT_W - 62 * mm],
        rowHeights=[11 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (1, 0), (1, 0), 0.6, INK),
            ]
        )
    )
    return table


def _grid(data: list[list], widths: list[float]) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ]
        )
    )
    return table


def _title_page(bank: Bank, lang: str) -> list[Flowable]:
    t = QLABELS[lang]
    story: list[Flowable] = [
        NextPageTemplate("body"),  # from the second page on
        Spacer(1, 22 * mm),
        T(t["kind"].upper(), "cover_kind"),
        HRFlowable(width="100%", thickness=1.2, color=ACCENT_SOFT, spaceBefore=0, spaceAfter=12),
        T(bank.title.get(lang), "cover_org"),
        P(
            f"{esc(t['bank'])}: {esc(bank.id)} · {esc(t['version'])} {esc(bank.version)}",
            "cover_title",
        ),
        T(f"{t['guideline']}: {bank.source.get(lang)}", "small"),
        Spacer(1, 8 * mm),
    ]
    for key in ("institution", "unit", "respondent", "date"):
        story.append(_fill_in(t[key]))
    story += [Spacer(1, 9 * mm), T(t["how_heading"], "h2")]
    for n, line in enumerate(t["how"], 1):
        story.append(P(esc(line), "list", bulletText=f"{n}."))
    scale = [[T(t["col_level"], "th"), T(t["col_meaning"], "th")]]
    scale += [
        [T(str(level), "td_b"), T(label.get(lang), "td")] for level, label in enumerate(bank.scale)
    ]
    contents = [
        [T(t["col_dimension"], "th"), T(t["col_clause"], "th"), T(t["col_questions"], "th_r")]
    ]
    contents += [
        [T(f"{n}. {d.title.get(lang)}", "td"), T(d.source, "td"), T(str(len(d.questions)), "td_r")]
        for n, d in enumerate(bank.dimensions, 1)
    ]
    story += [
        PageBreak(),  # the scale and the dimensions on the second page
        KeepTogether([T(t["scale_heading"], "h2"), _grid(scale, [22 * mm, CONTENT_W - 22 * mm])]),
        KeepTogether(
            [
                T(t["contents_heading"], "h2"),
                _grid(contents, [CONTENT_W - 58 * mm, 34 * mm, 24 * mm]),
            ]
        ),
        PageBreak(),
    ]
    return story


def _question(question: Question, number: str, bank: Bank, lang: str) -> list[Flowable]:
    t = QLABELS[lang]
    head: list[Flowable] = [
        P(f"{esc(question.id)} · {esc(t['clause'])} {esc(question.source)}", "q_meta"),
        P(f"{esc(number)} {esc(question.text.get(lang))}", "h3"),
    ]
    if question.help is not None:
        head.append(T(question.help.get(lang), "td_small"))
    rows = []
    indicator = question.type == "indicator"
    for level, descriptor in enumerate(question.levels):
        if indicator:  # the level follows from the figure: its band, nothing to tick
            label = f"<b>{level}</b> · {esc(band_text(question.details, level, lang))}"
            rows.append([P(label, "td_b"), T(descriptor.get(lang), "td")])
        else:
            rows.append(
                [
                    TickBox(),
                    P(f"<b>{level}</b> · {esc(bank.scale[level].get(lang))}", "td_b"),
                    T(descriptor.get(lang), "td"),
                ]
            )
    widths = [47 * mm, CONTENT_W - 47 * mm] if indicator else [9 * mm, 38 * mm, CONTENT_W - 47 * mm]
    # A row may split only when it is taller than a page (a bank with a very long description):
    # the question is kept together on its page otherwise.
    table = Table(rows, colWidths=widths, hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("LINEABOVE", (0, 0), (-1, 0), 0.3, RULE),
            ]
        )
    )
    other = Table(
        [[TickBox(), T(t["not_applicable"], "td"), TickBox(), T(t["dont_know"], "td")]],
        colWidths=[9 * mm, 45 * mm, 9 * mm, 45 * mm],
        hAlign="LEFT",
    )
    other.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    fields: list[Flowable] = []
    if indicator:
        fields = [
            Spacer(1, 3 * mm),
            _figure_fields(question, lang),
            Spacer(1, 2 * mm),
            T(t["bands"], "td_b"),
        ]
    block = (
        head
        + fields
        + [
            Spacer(1, 2),
            table,
            other,
            P(f"<b>{esc(t['comment'])}:</b>", "field"),
            WriteLines(COMMENT_LINES),
            P(f"<b>{esc(t['evidence'])}:</b>", "field"),
        ]
    )
    if question.evidence_examples:
        block.append(
            P(
                f"{esc(t['evidence_examples'])}: "
                + esc("; ".join(e.get(lang) for e in question.evidence_examples)),
                "td_small",
            )
        )
    block += [WriteLines(EVIDENCE_LINES), Spacer(1, 4 * mm)]
    return [KeepTogether(block)]


def _figure_fields(question: Question, lang: str) -> Table:
    """An indicator's lines to write on: the value (its unit beside it) and the period."""
    t = QLABELS[lang]
    table = Table(
        [
            [T(t["value"], "td_b"), "", T(question.details.unit.get(lang), "td")],
            [T(t["period"], "td_b"), "", T(t["period_forms"], "td_small")],
        ],
        colWidths=[30 * mm, 45 * mm, CONTENT_W - 75 * mm],
        rowHeights=[10 * mm, 10 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (1, 0), (1, -1), 0.6, INK),
            ]
        )
    )
    return table


def story_of(bank: Bank, lang: str) -> list[Flowable]:
    """The flowables of the questionnaire, in reading order."""
    story = _title_page(bank, lang)
    for d_number, dimension in enumerate(bank.dimensions, 1):
        if d_number > 1:
            story.append(PageBreak())
        story.append(P(f"{d_number}. {esc(dimension.title.get(lang))}", "h1"))
        story.append(P(f"{esc(QLABELS[lang]['clause'])} {esc(dimension.source)}", "small"))
        if dimension.description is not None:
            story += [_intro(dimension.description.get(lang)), Spacer(1, 3 * mm)]
        for q_number, question in enumerate(dimension.questions, 1):
            if q_number > 1:
                story.append(PageBreak())
            story += _question(question, f"{d_number}.{q_number}.", bank, lang)
    return story


def _intro(text: str) -> Table:
    table = Table([[T(text, "note")]], colWidths=[CONTENT_W], hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), NOTE_BG),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, NOTE_EDGE),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ]
        )
    )
    return table


def render_questionnaire(bank: Bank, lang: str) -> bytes:
    """The blank questionnaire of `bank` in `lang` (a language of the catalogues) as PDF bytes."""
    lang = normal(lang)
    register_fonts()
    _styles()
    t = QLABELS[lang]
    buffer = io.BytesIO()
    doc = QuestionnaireDoc(
        buffer,
        bank,
        lang,
        title=f"{t['kind']} — {bank.title.get(lang)}",
        subject=t["subject"],
        author="assessment",
        creator="assessment",
        keywords=f"{bank.id} {bank.version}",
        lang=language_tag(lang),
        displayDocTitle=1,
        initialFontName=FONT,
    )
    doc.build(story_of(bank, lang), canvasmaker=_canvas_maker(bank, lang))
    return buffer.getvalue()


#: Rendered questionnaires by (bank id, version, language): a stored bank version never changes.
_CACHE: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = Lock()


def questionnaire_pdf(bank: Bank, lang: str) -> bytes:
    """`render_questionnaire`, kept for the last few bank versions and languages asked for."""
    key = (bank.id, bank.version, lang)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    data = render_questionnaire(bank, lang)
    with _LOCK:
        _CACHE[key] = data
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return data


__all__ = ["QLABELS", "questionnaire_pdf", "render_questionnaire"]
