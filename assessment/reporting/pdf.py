"""The report as an A4 PDF with ReportLab platypus.

Layout (issue 13): page 1 where are we (key figures, summary, gap chart); page 2 how sure are we
(as claimed vs evidence-backed) and what we do first; page 3 who owns the first actions and by
when, and the sign-off block; then the annexes: dimensions with the radar chart, the whole action
plan (Now / Next / Later), unsupported claims, trend, every answer. Until the assessment is
completed every page carries a DRAFT mark and the sign-off block has no signature lines.
Every user text is XML-escaped before it reaches a Paragraph, so `<script>`, `&`, `<font>` and
`<para>` print literally. Fonts and paragraph styles are made once per process.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from ..domain.i18n import language_tag
from .build import Action, AppendixRow, Report
from .fonts import FONT, FONT_BOLD, register_fonts
from .labels import fmt_date, fmt_num, fmt_pct, fmt_signed

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

ACCENT = colors.HexColor("#1d3f5e")  # headings
ACCENT_SOFT = colors.HexColor("#1d5a8a")
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
RULE = colors.HexColor("#cbd2d9")
ZEBRA = colors.HexColor("#f3f6f9")
HEAD_BG = colors.HexColor("#e4ebf2")
PANEL = colors.HexColor("#f3f6f9")
NOTE_BG = colors.HexColor("#fdf6e7")
NOTE_EDGE = colors.HexColor("#b45309")
DRAFT_RED = colors.HexColor("#a12a1f")

DATE_SAMPLE = dt.date(2028, 12, 30)  # widest date, to size the due-date column

#: Longest owner name printed in the action plan (a row must fit on one page).
MAX_OWNER = 200

#: Longest text put in one Paragraph; longer comments become several (they split across pages).
CHUNK = 1200


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the report, made once."""
    register_fonts()
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=9.5,
        leading=13.5,
        textColor=INK,
        splitLongWords=1,
        spaceAfter=4,
    )
    s = {"body": base}

    def add(name: str, parent: str = "body", **kw) -> None:
        s[name] = ParagraphStyle(name, parent=s[parent], **kw)

    add(
        "h1",
        fontName=FONT_BOLD,
        fontSize=17,
        leading=21,
        textColor=ACCENT,
        spaceBefore=0,
        spaceAfter=10,
        keepWithNext=1,
    )
    add(
        "h2",
        fontName=FONT_BOLD,
        fontSize=12.5,
        leading=16,
        textColor=ACCENT,
        spaceBefore=12,
        spaceAfter=6,
        keepWithNext=1,
    )
    add(
        "h3",
        fontName=FONT_BOLD,
        fontSize=10.5,
        leading=14,
        textColor=ACCENT,
        spaceBefore=10,
        spaceAfter=4,
        keepWithNext=1,
    )
    add("small", fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=2)
    add("lead", fontSize=10.5, leading=15.5, spaceAfter=8)
    add("list", leftIndent=16, bulletIndent=2, spaceAfter=3)
    add("note", fontSize=9, leading=13, spaceAfter=0)
    # cover
    add(
        "cover_kind",
        fontName=FONT_BOLD,
        fontSize=10.5,
        leading=14,
        textColor=ACCENT_SOFT,
        spaceAfter=8,
    )
    add("cover_org", fontName=FONT_BOLD, fontSize=25, leading=31, textColor=ACCENT, spaceAfter=10)
    add("page1_org", fontName=FONT_BOLD, fontSize=19, leading=23, textColor=ACCENT, spaceAfter=4)
    add("h1_next", parent="h1", spaceBefore=14)
    add("cover_title", fontSize=14, leading=19, textColor=INK, spaceAfter=4)
    add("cover_key", fontSize=9, leading=12.5, textColor=MUTED, spaceAfter=0)
    add("cover_value", fontSize=9.5, leading=13, spaceAfter=0)
    # key figures
    add(
        "kpi_value",
        fontName=FONT_BOLD,
        fontSize=17,
        leading=21,
        textColor=ACCENT,
        alignment=TA_LEFT,
        spaceAfter=1,
    )
    add("kpi_label", fontName=FONT_BOLD, fontSize=8, leading=10, textColor=INK, spaceAfter=1)
    add("kpi_hint", fontSize=7, leading=9, textColor=MUTED, spaceAfter=0)
    # tables
    add("th", fontName=FONT_BOLD, fontSize=7.5, leading=9.5, textColor=ACCENT, spaceAfter=0)
    add("th_r", parent="th", alignment=TA_RIGHT)
    add("td", fontSize=8.5, leading=11, spaceAfter=0)
    add("td_b", parent="td", fontName=FONT_BOLD)
    add("td_r", parent="td", alignment=TA_RIGHT)
    add("td_rb", parent="td_r", fontName=FONT_BOLD)
    add("td_c", parent="td", alignment=TA_CENTER)
    add("td_small", fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=0)
    add("td_step", parent="td", spaceBefore=3)
    add(
        "td_detail",
        fontSize=7.5,
        leading=10,
        textColor=colors.HexColor("#3e4c59"),
        spaceBefore=2,
        spaceAfter=0,
    )
    add("td_meta", fontSize=8, leading=10.5, spaceAfter=0)
    add("h2_table", parent="h2", keepWithNext=0)
    # appendix
    add(
        "q",
        fontName=FONT_BOLD,
        fontSize=9,
        leading=12.5,
        spaceBefore=2,
        spaceAfter=1,
        keepWithNext=1,
    )
    add("q_meta", fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=2, keepWithNext=1)
    add("a", fontSize=8.5, leading=12, leftIndent=10, spaceAfter=2)
    add("a_comment", parent="a", leftIndent=10, textColor=INK)
    add("a_evidence", fontSize=8, leading=10.5, leftIndent=20, bulletIndent=11, spaceAfter=1)
    # sign-off
    add("sign_label", fontSize=8, leading=10, textColor=MUTED, spaceAfter=0)
    add("sign_value", fontSize=9.5, leading=12, spaceAfter=0)
    return s


def esc(text: object) -> str:
    """User or bank text made safe for a Paragraph: markup characters print literally."""
    return "" if text is None else escape(str(text))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chunks(text: str, size: int = CHUNK) -> list[str]:
    """Split a long text at line breaks, then at spaces near `size`, never mid-word if avoidable."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        while len(line) > size:
            cut = line.rfind(" ", size // 2, size)
            cut = size if cut < 0 else cut
            out.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        if line:
            out.append(line)
    return out


# --- page furniture --------------------------------------------------------------------------


class NumberedCanvas(Canvas):
    """Defers page furniture to the end so every page can say 'page X of Y'."""

    footer_left = ""
    footer_mid = ""
    page_label = "%(page)s / %(pages)s"
    draft_mark = ""  # "DRAFT" / "MELNRAKSTS" on every page until the assessment is completed

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Draw each page's footer now that the page count is known, then write the file."""
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        """Organisation on the left; date, bank version and 'page X of Y' on the right."""
        y = MARGIN_BOTTOM - 11 * mm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, y + 9, PAGE_W - MARGIN_X, y + 9)
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        right = "   ·   ".join(
            p
            for p in (self.footer_mid, self.page_label % dict(page=self._pageNumber, pages=total))
            if p
        )
        self.drawRightString(PAGE_W - MARGIN_X, y, right)
        room = CONTENT_W - pdfmetrics.stringWidth(right, FONT, 7.5) - 18
        self.drawString(MARGIN_X, y, _fit(self.footer_left, FONT, 7.5, room))
        self.restoreState()
        if self.draft_mark:
            self._draw_draft_mark()

    def _draw_draft_mark(self) -> None:
        """A light diagonal mark across the page and a plain one in the top corner."""
        self.saveState()
        self.setFillColor(colors.Color(0.72, 0.16, 0.12, alpha=0.09))
        self.setFont(FONT_BOLD, 64 if len(self.draft_mark) > 6 else 96)
        self.translate(PAGE_W / 2, PAGE_H / 2)
        self.rotate(40)
        self.drawCentredString(0, -20, self.draft_mark)
        self.restoreState()
        self.saveState()
        width = pdfmetrics.stringWidth(self.draft_mark, FONT_BOLD, 9) + 10
        self.setFillColor(DRAFT_RED)
        self.rect(PAGE_W - MARGIN_X - width, PAGE_H - 10.5 * mm, width, 5.5 * mm, stroke=0, fill=1)
        self.setFillColor(colors.white)
        self.setFont(FONT_BOLD, 9)
        self.drawRightString(PAGE_W - MARGIN_X - 5, PAGE_H - 9 * mm, self.draft_mark)
        self.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with an ellipsis to fit `width`."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _canvas_maker(report: Report):
    t = report.L
    attrs = {
        "footer_left": report.organisation or report.title,
        "footer_mid": "   ·   ".join(
            (fmt_date(report.date, report.lang), f"{report.bank.id} {report.bank.version}")
        ),
        "page_label": t["page_of"],
        "draft_mark": t["draft_mark"] if report.draft else "",
    }
    return type("ReportCanvas", (NumberedCanvas,), attrs)


def cover_band(canvas: Canvas) -> None:
    """The cover page's band across the top (the report's and the blank questionnaire's)."""
    canvas.saveState()
    canvas.setFillColor(ACCENT)
    canvas.rect(0, PAGE_H - 14 * mm, PAGE_W, 14 * mm, stroke=0, fill=1)
    canvas.setFillColor(ACCENT_SOFT)
    canvas.rect(0, PAGE_H - 15.2 * mm, PAGE_W, 1.2 * mm, stroke=0, fill=1)
    canvas.restoreState()


class ReportDoc(BaseDocTemplate):
    """A4 document with a cover template and a body template, and PDF bookmarks for headings."""

    def __init__(self, buffer: io.BytesIO, report: Report, **kw) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            **kw,
        )
        self.report = report
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            CONTENT_W,
            PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        cover = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            CONTENT_W,
            PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
            id="cover",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[cover], onPage=self._cover_page),
                PageTemplate(id="body", frames=[frame], onPage=self._body_page),
            ]
        )
        self._outline = 0

    def _cover_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        cover_band(canvas)

    def _body_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        report = self.report
        canvas.saveState()
        y = PAGE_H - MARGIN_TOP + 8 * mm
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        kind = report.L["report_kind"]
        canvas.drawString(MARGIN_X, y, kind)
        room = CONTENT_W - pdfmetrics.stringWidth(kind, FONT, 7.5) - 20
        canvas.drawRightString(
            PAGE_W - MARGIN_X, y, _fit(report.title or report.organisation, FONT, 7.5, room)
        )
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y - 4, PAGE_W - MARGIN_X, y - 4)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        """Bookmark every h1 and h2 so the PDF has an outline."""
        if isinstance(flowable, Paragraph) and flowable.style.name in ("h1", "h2"):
            level = 0 if flowable.style.name == "h1" else 1
            if level == 1 and self._outline == 0:
                level = 0
            key = f"h{self._outline}"
            self._outline += 1
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=False)


# --- building blocks -------------------------------------------------------------------------


class Para(Paragraph):
    """A Paragraph that keeps its line breaks for a width it was already wrapped to.

    A table that splits across pages wraps every remaining cell again at each split; line
    breaking depends only on the width, so the result is reused (several times faster).
    """

    _wrapped: tuple[int, float] | None = None  # (id of the object, width); split copies attrs

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Break lines once per width."""
        if self._wrapped == (id(self), availWidth) and "blPara" in self.__dict__:
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (id(self), availWidth) if height != 0x7FFFFFFF else None
        return width, height


def P(text: str, style: str = "body", **kw) -> Paragraph:  # noqa: N802 - a common call
    """A Paragraph of already-escaped markup."""
    return Para(text, styles()[style], **kw)


def T(text: object, style: str = "body") -> Paragraph:  # noqa: N802
    """A Paragraph of plain user or bank text, escaped."""
    return Para(esc(text), styles()[style])


def _table(
    data: list[list],
    widths: list[float],
    *,
    header_rows: int = 1,
    zebra: bool = True,
    extra: list | None = None,
) -> Table:
    """A table whose header repeats on every page, with zebra rows and no vertical rules.

    Rows keep together on a page; only when a row is taller than a page (a very long text) may
    rows split inside, rather than fail.
    """
    table = Table(data, colWidths=widths, repeatRows=header_rows, splitByRow=1, hAlign="LEFT")
    cmds = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
    ]
    if zebra:
        cmds.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, ZEBRA]))
    table.setStyle(TableStyle(cmds + (extra or [])))
    table.wrap(sum(widths), FRAME_H)  # paragraphs keep these line breaks (Para)
    heights = table._rowHeights
    if max(heights[header_rows:], default=0) > FRAME_H - sum(heights[:header_rows]) - 20:
        table.splitInRow = 1
    return table


def _fitted_widths(
    headers: list[str], style: str, minimum: float = 30.0, padding: float = 9.0
) -> list[float]:
    """Column widths that fit each header's longest word, so no header breaks mid-word."""
    st = styles()[style]
    return [
        max(
            minimum,
            max(pdfmetrics.stringWidth(word, st.fontName, st.fontSize) for word in header.split())
            + padding,
        )
        for header in headers
    ]


def _kv_table(rows: list[tuple[str, list]], key_w: float) -> Table:
    data = [[T(key, "cover_key"), value] for key, value in rows]
    table = Table(data, colWidths=[key_w, CONTENT_W - key_w], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ]
        )
    )
    return table


def _counts_line(report: Report) -> str:
    t = report.L
    parts = [
        f"<b>{esc(t['answered'])}</b> {report.answered} "
        f"{esc(t['of_questions'] % dict(total=report.total_questions))}",
        f"{esc(t['not_applicable'])} {report.not_applicable}",
        f"{esc(t['dont_know'])} {report.dont_know}",
        f"{esc(t['unanswered'])} {report.unanswered}",
    ]
    return " · ".join(parts)


# --- sections --------------------------------------------------------------------------------


def _status_line(report: Report) -> str:
    """'DRAFT, as of 2 December 2026' until completed, then 'Completed 2 December 2026'."""
    t = report.L
    if report.draft:
        return (
            f"<font color='#a12a1f'><b>{esc(t['draft_mark'])}</b></font> · "
            f"{esc(t['status_draft_line'])} {esc(fmt_date(report.date, report.lang))}"
        )
    return f"<b>{esc(t['completed_on'])}:</b> {esc(fmt_date(report.completed_on, report.lang))}"


def _page_one(report: Report) -> list[Flowable]:
    """Page 1: where are we — who, what, the key figures and the gap chart."""
    from .charts import gap_bars_drawing

    t = report.L
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        T(t["report_kind"].upper(), "cover_kind"),
        HRFlowable(width="100%", thickness=1.2, color=ACCENT_SOFT, spaceBefore=0, spaceAfter=8),
    ]
    if report.organisation:
        story.append(T(report.organisation, "page1_org"))
    if report.title:
        story.append(T(report.title, "cover_title"))
    story.append(
        P(
            _status_line(report) + f" · {esc(report.bank_title)} "
            f"<font color='#616e7c'>({esc(report.bank.id)} {esc(t['version'])} "
            f"{esc(report.bank.version)})</font>",
            "small",
        )
    )
    if report.prepared_by:
        story.append(P(f"<b>{esc(t['prepared_by'])}:</b> {esc(report.prepared_by)}", "small"))
    story += [
        Spacer(1, 6),
        T(t["where_heading"], "h1"),
        _kpis(report),
        Spacer(1, 6),
        P(_counts_line(report), "small"),
        T(report.summary, "body"),
    ]
    if report.dimensions:
        story.append(T(t["gaps_heading"], "h3"))
        if report.below_target == 0:
            story.append(T(t["gaps_none"], "body"))
        story.append(gap_bars_drawing(report, CONTENT_W))
    story += [NextPageTemplate("body"), PageBreak()]
    return story


def _page_two(report: Report) -> list[Flowable]:
    """Page 2: how sure are we (as claimed vs evidence-backed) and what we do first."""
    t = report.L
    lang = report.lang
    story: list[Flowable] = [
        T(t["sure_heading"], "h1"),
        T(
            t["sure_text"]
            % dict(
                claimed=fmt_num(report.maturity, lang),
                backed=fmt_num(report.evidence_backed, lang),
                unsupported=report.unsupported_count,
                claims=report.claims_count,
            ),
            "lead",
        ),
    ]
    if report.dimensions:
        heads = ["col_claimed", "col_backed", "col_unsupported"]
        data: list[list] = [[T(t["col_dimension"], "th")] + [T(t[h], "th_r") for h in heads]]
        for d in report.dimensions:
            data.append(
                [
                    T(d.title, "td"),
                    T(fmt_num(d.maturity, lang), "td_r"),
                    T(fmt_num(d.evidence_backed, lang), "td_rb"),
                    T(d.unsupported, "td_r"),
                ]
            )
        widths = _fitted_widths([t[h] for h in heads], "th", minimum=60)
        widths.insert(0, CONTENT_W - sum(widths))
        story.append(_table(data, widths))
    if report.evidence_note:
        story += [
            Spacer(1, 6),
            _note(f"<b>{esc(t['evidence_note_heading'])}.</b> {esc(report.evidence_note)}"),
        ]
    if report.disagreements_total:
        story.append(Spacer(1, 4))
        story.append(
            P(
                f"<b>{esc(t['disagreements'])}:</b> "
                + esc(
                    t["disagreements_text"]
                    % dict(
                        total=report.disagreements_total,
                        resolved=report.disagreements_resolved,
                        open=report.disagreements_open,
                    )
                ),
                "small",
            )
        )
    story.append(T(t["first_heading"], "h1_next"))
    if not report.top_actions:
        story.append(T(t["no_actions"]))
    for action in report.top_actions:
        story.append(
            P(
                f"{esc(action.next_step)} <font color='#616e7c' size=8>— "
                f"{esc(action.dimension_title)} · {esc(action.clause)}</font>",
                "list",
                bulletText=f"{action.rank}.",
            )
        )
    story.append(PageBreak())
    return story


def _action_header(t) -> list[Paragraph]:
    """The header row of an action table (the owners' page and the action plan)."""
    return [
        T(t[key], "th") for key in ("col_no", "col_action", "col_owner", "col_due", "col_status")
    ]


def _page_three(report: Report) -> list[Flowable]:
    """Page 3: who owns the first actions and by when, and the sign-off block."""
    t = report.L
    story: list[Flowable] = [T(t["owners_heading"], "h1")]
    if report.top_actions:
        meta = styles()["td_meta"]
        due_w = pdfmetrics.stringWidth(fmt_date(DATE_SAMPLE, report.lang), FONT, meta.fontSize) + 10
        widths = [26.0, CONTENT_W - 26 - 95 - due_w - 60, 95.0, due_w, 60.0]
        data: list[list] = [_action_header(t)]
        for action in report.top_actions:
            owner = _clip(action.owner, MAX_OWNER)
            data.append(
                [
                    T(f"{action.rank}.", "td_b"),
                    [
                        T(action.next_step, "td"),
                        P(f"{esc(action.dimension_title)} · {esc(action.clause)}", "td_small"),
                    ],
                    P(
                        esc(owner)
                        if owner
                        else f"<font color='#a12a1f'>{esc(t['owner_missing'])}</font>",
                        "td_meta",
                    ),
                    P(
                        esc(fmt_date(action.due, report.lang))
                        if action.due
                        else f"<font color='#a12a1f'>{esc(t['due_missing'])}</font>",
                        "td_meta",
                    ),
                    T(action.status_label, "td_meta"),
                ]
            )
        story.append(_table(data, widths))
    else:
        story.append(T(t["no_actions"]))
    story += _signoff(report)
    story.append(PageBreak())
    return story


def _annex_heading(report: Report, n: int, key: str) -> Paragraph:
    t = report.L
    return T(f"{t['annex_n'] % dict(n=n)}. {t[key]}", "h1")


def _kpis(report: Report) -> Table:
    t = report.L
    lang = report.lang
    cells = [
        (
            f"{fmt_num(report.maturity, lang)} <font size=10 color='#616e7c'>/ 4</font>",
            t["overall_maturity"],
            t["as_claimed"],
        ),
        (
            f"{fmt_num(report.evidence_backed, lang)} <font size=10 color='#616e7c'>/ 4</font>",
            t["evidence_backed"],
            t["evidence_backed_hint"],
        ),
        (esc(fmt_pct(report.index, lang)), t["index"], t["index_hint"]),
        ("–" if report.level is None else str(report.level), t["level"], report.level_label),
    ]
    row = [
        [P(value, "kpi_value"), T(label, "kpi_label"), T(hint, "kpi_hint")]
        for value, label, hint in cells
    ]
    gap = 6
    w = (CONTENT_W - 3 * gap) / 4
    table = Table(
        [[row[0], "", row[1], "", row[2], "", row[3]]],
        colWidths=[w, gap, w, gap, w, gap, w],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *[("BACKGROUND", (c, 0), (c, 0), PANEL) for c in (0, 2, 4, 6)],
                *[("LINEABOVE", (c, 0), (c, 0), 2, ACCENT_SOFT) for c in (0, 2, 4, 6)],
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def _note(markup: str) -> Table:
    table = Table([[P(markup, "note")]], colWidths=[CONTENT_W], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), NOTE_BG),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, NOTE_EDGE),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ]
        )
    )
    return table


def _dimension_table(report: Report) -> list[Flowable]:
    from .charts import radar_drawing

    t = report.L
    lang = report.lang
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
    data: list[list] = [[T(t[heads[0]], "th")] + [T(t[h], "th_r") for h in heads[1:]]]
    for d in report.dimensions:
        gap_style = "td_rb" if d.below_target else "td_r"
        data.append(
            [
                P(f"{esc(d.title)} <font size=7 color='#616e7c'>{esc(d.source)}</font>", "td"),
                T(fmt_num(d.maturity, lang), "td_r"),
                T(fmt_num(d.evidence_backed, lang), "td_rb"),
                T(str(d.target), "td_r"),
                T(fmt_num(d.gap, lang), gap_style),
                T(d.counted, "td_r"),
                T(d.not_applicable, "td_r"),
                T(d.dont_know, "td_r"),
                T(d.unsupported, "td_r"),
            ]
        )
    data.append(
        [
            T(t["overall"], "td_b"),
            T(fmt_num(report.maturity, lang), "td_rb"),
            T(fmt_num(report.evidence_backed, lang), "td_rb"),
            T("", "td_r"),
            T("", "td_r"),
            T(sum(d.counted for d in report.dimensions), "td_rb"),
            T(report.not_applicable, "td_rb"),
            T(report.dont_know, "td_rb"),
            T(report.unsupported_count, "td_rb"),
        ]
    )
    widths = _fitted_widths([t[h] for h in heads[1:]], "th")
    widths.insert(0, CONTENT_W - sum(widths))
    table = _table(
        data,
        widths,
        extra=[
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
            ("BACKGROUND", (0, -1), (-1, -1), HEAD_BG),
        ],
    )
    story: list[Flowable] = [_annex_heading(report, 1, "radar_heading")]
    if len(report.dimensions) >= 3:  # fewer axes make no polygon: the table says it all
        story.append(radar_drawing(report, CONTENT_W, 88 * mm))
        story.append(Spacer(1, 6))
    story += [table, Spacer(1, 4), T(t["dimensions_note"], "small")]
    story.append(T(t["confidence_heading"], "h2"))
    low = [d for d in report.dimensions if d.confidence_note]
    for d in low:
        story.append(P(f"{esc(d.title)}: {esc(d.confidence_note)}", "a_evidence", bulletText="•"))
    if not low:
        story.append(T(t["confidence_none"], "small"))
    story.append(T(t["confidence_note"], "small"))
    return story


def _action_cell(action: Action, report: Report) -> list[Flowable]:
    t = report.L
    lang = report.lang
    cell = [
        T(action.question_text, "td_b"),
        P(
            f"{esc(action.dimension_title)} · {esc(t['clause'])} {esc(action.clause)} · "
            f"{esc(t['priority'])} {esc(fmt_num(action.priority, lang))}",
            "td_small",
        ),
        P(
            f"<b>{esc(t['next_step'])} (→ {action.to_level}):</b> {esc(action.next_step)}",
            "td_step",
        ),
        P(
            f"<b>{esc(t['current_level'])}:</b> {esc(t['level_n'] % dict(n=action.level))} – "
            f"{esc(action.level_label)}. {esc(action.level_descriptor)} "
            f"({esc(t['target_level'])} {action.target})",
            "td_detail",
        ),
    ]
    if action.evidence_examples:
        cell.append(
            P(
                f"<b>{esc(t['evidence_examples'])}:</b> {esc('; '.join(action.evidence_examples))}",
                "td_detail",
            )
        )
    return cell


def _action_plan(report: Report) -> list[Flowable]:
    t = report.L
    story: list[Flowable] = [
        _annex_heading(report, 2, "action_plan_heading"),
        T(t["action_plan_intro"]),
        T(report.groups_rule),
    ]
    if not report.actions:
        story.append(T(t["no_actions"]))
        return story
    meta = styles()["td_meta"]
    due_w = pdfmetrics.stringWidth(fmt_date(DATE_SAMPLE, report.lang), FONT, meta.fontSize) + 10
    widths = [25.0, CONTENT_W - 25 - 80 - due_w - 54, 80.0, due_w, 54.0]
    for group in report.action_groups:
        if not group.actions:
            continue
        story.append(CondPageBreak(70 * mm))
        story.append(
            P(
                f"{esc(group.title)} <font size=9 color='#616e7c'>— {esc(group.hint)} "
                f"({len(group.actions)})</font>",
                "h2_table",
            )
        )
        data: list[list] = [_action_header(t)]
        for action in group.actions:
            data.append(
                [
                    T(f"{action.rank}.", "td_b"),
                    _action_cell(action, report),
                    T(_clip(action.owner, MAX_OWNER), "td_meta"),
                    T(fmt_date(action.due, report.lang), "td_meta"),
                    T(action.status_label, "td_meta"),
                ]
            )
        story.append(_table(data, widths))
    return story


def _unsupported(report: Report) -> list[Flowable]:
    t = report.L
    if not report.unsupported_claims:
        return []
    story: list[Flowable] = [T(t["unsupported_heading"], "h2"), T(t["unsupported_intro"])]
    data: list[list] = [
        [T(t["col_question"], "th"), T(t["claimed_level"], "th"), T(t["evidence_examples"], "th")]
    ]
    for claim in report.unsupported_claims:
        data.append(
            [
                [
                    T(claim.question_text, "td_b"),
                    P(
                        f"{esc(claim.dimension_title)} · {esc(t['clause'])} {esc(claim.clause)}",
                        "td_small",
                    ),
                ],
                [T(f"{claim.level} – {claim.level_label}", "td")],
                [P(f"• {esc(example)}", "td") for example in claim.evidence_examples],
            ]
        )
    story.append(_table(data, [CONTENT_W * 0.44, CONTENT_W * 0.18, CONTENT_W * 0.38]))
    return story


def _kpi(report: Report) -> list[Flowable]:
    """Register indicators off target or without a figure (reporting.kpi_report)."""
    from .kpi_report import LABELS, table_rows

    if not report.kpi:
        return []
    t = LABELS[report.lang]
    headers, rows = table_rows(report)
    data: list[list] = [[T(h, "th") for h in headers]]
    data += [
        [
            T(cell, "td_b" if i == 4 and line.status == "red" else "td")
            for i, cell in enumerate(cells)
        ]
        for line, cells in zip(report.kpi, rows, strict=True)
    ]
    return [
        T(t["heading"], "h2"),
        T(t["intro"]),
        _table(data, [CONTENT_W * w for w in (0.38, 0.12, 0.16, 0.16, 0.18)]),
    ]


def _trend(report: Report) -> list[Flowable]:
    t = report.L
    lang = report.lang
    if not report.has_trend:
        return []
    data: list[list] = [
        [
            T(t["col_dimension"], "th"),
            T(t["col_previous"], "th_r"),
            T(t["col_current"], "th_r"),
            T(t["col_change"], "th_r"),
        ]
    ]
    for d in report.dimensions:
        change = fmt_signed(d.change, lang)
        if d.change is not None and d.change > 0:
            change = f"<font color='#1d6b3a'>▲ {esc(change)}</font>"
        elif d.change is not None and d.change < 0:
            change = f"<font color='#a12a1f'>▼ {esc(change)}</font>"
        else:
            change = esc(change)
        data.append(
            [
                T(d.title, "td"),
                T(fmt_num(d.previous, lang), "td_r"),
                T(fmt_num(d.evidence_backed, lang), "td_rb"),
                P(change, "td_r"),
            ]
        )
    prev = report.previous
    overall_change = (
        report.evidence_backed - prev.evidence_backed
        if prev is not None
        and prev.evidence_backed is not None
        and report.evidence_backed is not None
        else None
    )
    data.append(
        [
            T(t["overall"], "td_b"),
            T(fmt_num(prev.evidence_backed if prev else None, lang), "td_rb"),
            T(fmt_num(report.evidence_backed, lang), "td_rb"),
            T(fmt_signed(overall_change, lang), "td_rb"),
        ]
    )
    widths = [CONTENT_W - 3 * 70, 70.0, 70.0, 70.0]
    return [
        CondPageBreak(60 * mm),
        T(t["trend_heading"], "h2"),
        T(t["trend_intro"]),
        _table(
            data,
            widths,
            extra=[
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
                ("BACKGROUND", (0, -1), (-1, -1), HEAD_BG),
            ],
        ),
    ]


def _signoff(report: Report) -> list[Flowable]:
    t = report.L
    lang = report.lang
    col = (CONTENT_W - 16) / 2
    if report.draft:
        return [T(t["signoff_heading"], "h2"), _note(esc(t["draft_note"]))]

    def block(role: str, name: str) -> list:
        return [
            [T(t[role], "h3")],
            [T(t["name_position"], "sign_label")],
            [T(name, "sign_value")],
            [T(t["signature"], "sign_label")],
            [Spacer(1, 14)],
            [T(t["date"], "sign_label")],
            [T(fmt_date(report.completed_on, lang) if role == "prepared_by" else "", "sign_value")],
        ]

    left, right = block("prepared_by", report.prepared_by), block("approved_by", "")
    data = [[lrow[0], "", rrow[0]] for lrow, rrow in zip(left, right, strict=True)]
    table = Table(data, colWidths=[col, 16, col], hAlign="LEFT")
    lines = [("LINEBELOW", (c, r), (c, r), 0.6, INK) for c in (0, 2) for r in (2, 4, 6)]
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 1), (-1, 1), 8),
                ("TOPPADDING", (0, 3), (-1, 3), 12),
                ("TOPPADDING", (0, 5), (-1, 5), 12),
                *lines,
            ]
        )
    )
    return [
        KeepTogether([T(t["signoff_heading"], "h2"), T(t["signoff_intro"]), Spacer(1, 4), table])
    ]


def _evidence_line(item) -> str:
    parts = [f"<b>{esc(item.title)}</b>"]
    if item.url:
        parts.append(f"<font color='#1d5a8a'>{esc(item.url)}</font>")
    if item.date:
        parts.append(f"<font color='#616e7c'>{esc(item.date)}</font>")
    return " — ".join(parts)


def _appendix_row(row: AppendixRow, report: Report) -> list[Flowable]:
    t = report.L
    flags = []
    if row.unsupported:
        flags.append(f"<font color='#b45309'>{esc(t['unsupported_flag'])}</font>")
    if row.spread is not None:
        flags.append(f"<font color='#616e7c'>{esc(t['spread'] % dict(spread=row.spread))}</font>")
    if row.consensus:
        flags.append(f"<font color='#616e7c'>{esc(t['consensus'])}</font>")
    answer = f"<b>{esc(t['answer'])}:</b> {esc(row.answer_label)}"
    if row.measured:
        answer += f". {esc(t['measured'])}: {esc(row.measured)}"
    if row.descriptor:
        answer += f". {esc(row.descriptor)}"
    if flags:
        answer += " (" + "; ".join(flags) + ")"
    head = [
        T(row.question_text, "q"),
        T(f"{row.question_id} · {t['clause']} {row.clause}", "q_meta"),
        P(answer, "a"),
    ]
    story: list[Flowable] = [KeepTogether(head)]
    parts = chunks(row.comment)
    for k, part in enumerate(parts):
        prefix = f"<b>{esc(t['comment'])}:</b> " if k == 0 else ""
        story.append(P(prefix + esc(part), "a_comment"))
    if row.evidence:
        story.append(P(f"<b>{esc(t['evidence'])}:</b>", "a"))
        stale = t["stale_flag"] % dict(months=report.score.evidence_max_age_months)
        for n, item in enumerate(row.evidence):
            line = _evidence_line(item)
            if n < len(row.stale) and row.stale[n]:
                line += f" <font color='#b45309'>({esc(stale)})</font>"
            story.append(P(line, "a_evidence", bulletText="•"))
    elif row.kind == "level":
        story.append(
            P(
                f"<b>{esc(t['evidence'])}:</b> <font color='#616e7c'>"
                f"{esc(t['no_evidence'])}</font>",
                "a",
            )
        )
    story.append(HRFlowable(width="100%", thickness=0.3, color=RULE, spaceBefore=4, spaceAfter=4))
    return story


def _appendix(report: Report) -> list[Flowable]:
    t = report.L
    story: list[Flowable] = [
        PageBreak(),
        _annex_heading(report, 3, "appendix_heading"),
        T(t["appendix_intro"], "small"),
    ]
    for section in report.appendix:
        story.append(T(section.title, "h2"))
        for row in section.rows:
            story += _appendix_row(row, report)
    return story


def _flagged(report: Report) -> list[Flowable]:
    """The annex "marked for review"."""
    t = report.L
    story: list[Flowable] = [
        PageBreak(),
        T(f"{t['annex_n'] % dict(n=4)}. {t['flagged_heading']}", "h1"),
    ]
    if not report.flagged:
        return story + [T(t["flagged_none"], "small")]
    story.append(T(t["flagged_intro"], "small"))
    for f in report.flagged:
        who = f.who or t["flagged_facilitator"]
        note = f" — {esc(f.note)}" if f.note else ""
        story.append(
            P(
                f"<b>{esc(f.question_text)}</b> ({esc(f.question_id)}, {esc(t['clause'])} "
                f"{esc(f.clause)}). {esc(t['flagged_by'])}: {esc(who)}{note}",
                "a",
                bulletText="•",
            )
        )
    return story


def story_of(report: Report) -> list[Flowable]:
    """The flowables of the whole document, in reading order."""
    story = _page_one(report)
    story += _page_two(report)
    story += _page_three(report)
    story += _dimension_table(report)
    story += [PageBreak()] + _action_plan(report)
    story += _unsupported(report)
    story += _kpi(report)
    story += _trend(report)
    story += _appendix(report)
    story += _flagged(report)
    return story


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes (A4, DejaVu Sans, 'page X of Y' footer, metadata)."""
    register_fonts()
    t = report.L
    buffer = io.BytesIO()
    title = " — ".join(p for p in (t["report_kind"], report.organisation) if p)
    subject = " — ".join(p for p in (t["subject"], report.title) if p)
    doc = ReportDoc(
        buffer,
        report,
        title=title,
        author=report.prepared_by or report.organisation,
        subject=subject,
        creator="assessment",
        keywords=f"{report.bank.id} {report.bank.version}",
        lang=language_tag(report.lang),
        displayDocTitle=1,
        initialFontName=FONT,
    )
    doc.build(story_of(report), canvasmaker=_canvas_maker(report))
    return buffer.getvalue()
