"""Charts of a report: server-rendered SVG for the web page, ReportLab drawings for the PDF.

Both draw from the figures already in the `Report`; nothing is recomputed. Every text placed in
an SVG is XML-escaped here, so the output can be marked safe in a template.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from .labels import fmt_num

if TYPE_CHECKING:  # the data the charts draw; build imports charts, not the other way
    from .build import Report

MAX_LEVEL = 4

# One restrained palette for screen and paper.
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#cbd2d9"
BACKED = "#1d5a8a"
BACKED_FILL = "#1d5a8a"
TARGET = "#b45309"
PREVIOUS = "#7b8794"
BAR = "#1d5a8a"
TRACK = "#eef2f6"


def wrap_label(text: str, max_chars: int, max_lines: int = 3) -> list[str]:
    """Split a label into at most `max_lines` lines of about `max_chars`, with an ellipsis."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > max_chars:  # a very long word: cut it
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:max_chars])
            word = word[max_chars:]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= max_chars:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: max_chars - 1].rstrip() if len(last) >= max_chars else last) + "…"
    return lines or [""]


def _value(value: Fraction | None) -> float:
    return 0.0 if value is None else float(value)


def _angle(i: int, n: int) -> float:
    """Axis i of n, clockwise from twelve o'clock, in radians."""
    return -math.pi / 2 + 2 * math.pi * i / n


def _point(
    cx: float, cy: float, radius: float, level: float, i: int, n: int, y_down: bool = True
) -> tuple[float, float]:
    a = _angle(i, n)
    r = radius * level / MAX_LEVEL
    x = cx + r * math.cos(a)
    y = cy + r * math.sin(a) if y_down else cy - r * math.sin(a)
    return x, y


def _points_attr(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _series_text(report: Report, values: Sequence[Fraction | None]) -> str:
    return "; ".join(
        f"{d.title} {fmt_num(v, report.lang)}"
        for d, v in zip(report.dimensions, values, strict=True)
    )


def radar_svg(report: Report, id_prefix: str = "radar") -> str:
    """An accessible SVG radar: evidence-backed maturity against target (and previous)."""
    t = report.L
    dims = report.dimensions
    n = len(dims)
    width, height = 680, 530
    cx, cy, radius = width / 2, 262, 165
    title = t["radar_title"] % dict(organisation=report.organisation or report.title)
    desc = t["radar_desc"] % dict(
        n=n,
        backed=_series_text(report, [d.evidence_backed for d in dims]),
        target=_series_text(report, [Fraction(d.target) for d in dims]),
    )
    if report.has_trend:
        desc += t["radar_desc_previous"] % dict(
            previous=_series_text(report, [d.previous for d in dims])
        )
    tid, did = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-radar" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{tid} {did}" font-family="DejaVu Sans, Verdana, sans-serif">',
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(desc)}</desc>',
        '<g class="grid" fill="none">',
    ]
    if n:
        for level in range(1, MAX_LEVEL + 1):
            ring = [_point(cx, cy, radius, level, i, n) for i in range(n)]
            out.append(
                f'<polygon class="ring" points="{_points_attr(ring)}" stroke="{GRID}" '
                f'stroke-width="{1.2 if level == MAX_LEVEL else 0.8}"/>'
            )
        for level in range(1, MAX_LEVEL + 1):
            x, y = _point(cx, cy, radius, level, 0, n)
            out.append(
                f'<text class="ring-label" x="{x + 5:.1f}" y="{y + 4:.1f}" '
                f'font-size="11" fill="{MUTED}" stroke="none">{level}</text>'
            )
    out.append("</g>")
    out.append('<g class="axes">')
    for i, d in enumerate(dims):
        x, y = _point(cx, cy, radius, MAX_LEVEL, i, n)
        out.append(
            f'<line class="axis" data-dimension={quoteattr(d.id)} x1="{cx:.1f}" '
            f'y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-width="1"/>'
        )
    out.append("</g>")

    def polygon(
        css: str, values: Sequence[float], stroke: str, fill: str, opacity: float, dash: str = ""
    ) -> None:
        pts = [_point(cx, cy, radius, v, i, n) for i, v in enumerate(values)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polygon class="series {css}" points="{_points_attr(pts)}" '
            f'stroke="{stroke}" stroke-width="2" fill="{fill}" '
            f'fill-opacity="{opacity}"{dash_attr} stroke-linejoin="round"/>'
        )

    if n:
        polygon("target", [d.target for d in dims], TARGET, "none", 0, "6 4")
        if report.has_trend:
            polygon("previous", [_value(d.previous) for d in dims], PREVIOUS, "none", 0, "2 3")
        polygon("backed", [_value(d.evidence_backed) for d in dims], BACKED, BACKED_FILL, 0.18)
        for i, d in enumerate(dims):
            x, y = _point(cx, cy, radius, _value(d.evidence_backed), i, n)
            out.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BACKED}"/>')
    out.append('<g class="axis-labels" font-size="12" fill="' + INK + '">')
    for i, d in enumerate(dims):
        a = _angle(i, n)
        x, y = _point(cx, cy, radius + 16, MAX_LEVEL, i, n)
        cos, sin = math.cos(a), math.sin(a)
        anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
        lines = wrap_label(d.title, 24 if anchor == "middle" else 22)
        value = fmt_num(d.evidence_backed, report.lang)
        lines.append(f"{value} / {d.target}")
        line_h = 14
        if sin > 0.25:  # bottom half: text hangs below the point
            y0 = y + 10
        elif sin < -0.25:  # top: text sits above
            y0 = y - line_h * (len(lines) - 1) - 2
        else:
            y0 = y - line_h * (len(lines) - 1) / 2 + 4
        tspans = []
        for k, line in enumerate(lines):
            is_value = k == len(lines) - 1
            extra = f' fill="{MUTED}" font-size="11"' if is_value else ""
            tspans.append(
                f'<tspan x="{x:.1f}" y="{y0 + k * line_h:.1f}"{extra}>{escape(line)}</tspan>'
            )
        out.append(f'<text class="axis-label" text-anchor="{anchor}">{"".join(tspans)}</text>')
    out.append("</g>")
    # legend
    items = [(t["legend_backed"], BACKED, ""), (t["legend_target"], TARGET, "6 4")]
    if report.has_trend:
        items.append((t["legend_previous"], PREVIOUS, "2 3"))
    out.append('<g class="legend" font-size="12" fill="' + INK + '">')
    x = 16
    for label, colour, dash in items:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{x}" y1="{height - 14}" x2="{x + 26}" y2="{height - 14}" '
            f'stroke="{colour}" stroke-width="3"{dash_attr}/>'
        )
        out.append(f'<text x="{x + 32}" y="{height - 10}">{escape(label)}</text>')
        x += 32 + int(len(label) * 6.8) + 24
    out.append("</g></svg>")
    return "\n".join(out)


def gap_bars_svg(report: Report, id_prefix: str = "gaps") -> str:
    """A horizontal bar chart of each dimension's gap to its target (0–4)."""
    t = report.L
    dims = report.dimensions
    label_w, bar_w, row_h, top = 270, 320, 34, 14
    width = label_w + bar_w + 70
    height = top + row_h * len(dims) + 26
    values = "; ".join(f"{d.title} {fmt_num(d.gap, report.lang)}" for d in dims)
    tid, did = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-gaps" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="{tid} {did}" '
        f'font-family="DejaVu Sans, Verdana, sans-serif" font-size="12">',
        f'<title id="{tid}">{escape(t["gaps_title"])}</title>',
        f'<desc id="{did}">{escape(t["gaps_desc"] % dict(values=values))}</desc>',
    ]
    # scale lines 0..4
    for level in range(MAX_LEVEL + 1):
        x = label_w + bar_w * level / MAX_LEVEL
        out.append(
            f'<line class="tick" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" '
            f'y2="{height - 22}" stroke="{GRID}" stroke-width="{1 if level else 1.5}"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" font-size="11" '
            f'fill="{MUTED}">{level}</text>'
        )
    for i, d in enumerate(dims):
        y = top + i * row_h
        lines = wrap_label(d.title, 40, 2)
        first_y = y + row_h / 2 - (len(lines) - 1) * 7 + 4
        tspans = "".join(
            f'<tspan x="{label_w - 10}" y="{first_y + k * 14:.1f}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        out.append(f'<text class="bar-label" text-anchor="end" fill="{INK}">{tspans}</text>')
        gap = _value(d.gap)
        w = bar_w * gap / MAX_LEVEL
        out.append(
            f'<rect class="bar" data-dimension={quoteattr(d.id)} x="{label_w}" '
            f'y="{y + 8}" width="{w:.1f}" height="{row_h - 16}" fill="{BAR}" '
            f'rx="2"/>'
        )
        out.append(
            f'<text class="bar-value" x="{label_w + w + 6:.1f}" y="{y + row_h / 2 + 4:.1f}"'
            f' fill="{INK}">{escape(fmt_num(d.gap, report.lang))}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


# --- ReportLab drawings for the PDF -------------------------------------------------------


def _rl_wrap(text: str, font: str, size: float, max_width: float, max_lines: int = 3) -> list[str]:
    """Wrap by measured width with the PDF font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and stringWidth(last + "…", font, size) > max_width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines or [""]


def radar_drawing(report: Report, width: float, height: float):
    """The radar chart as a `reportlab.graphics.shapes.Drawing` of `width` × `height` points."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, String
    from reportlab.lib import colors

    from .fonts import FONT, register_fonts

    register_fonts()
    t = report.L
    dims = report.dimensions
    n = len(dims)
    drawing = Drawing(width, height)
    legend_h = 20
    cx, cy = width / 2, legend_h + (height - legend_h) / 2
    radius = min(width * 0.29, (height - legend_h) / 2 - 34)
    grid = colors.HexColor(GRID)

    def pt(level: float, i: int) -> tuple[float, float]:
        return _point(cx, cy, radius, level, i, n, y_down=False)

    def flat(points: list[tuple[float, float]]) -> list[float]:
        return [c for p in points for c in p]

    if n:
        for level in range(1, MAX_LEVEL + 1):
            drawing.add(
                Polygon(
                    flat([pt(level, i) for i in range(n)]),
                    fillColor=None,
                    strokeColor=grid,
                    strokeWidth=1 if level == MAX_LEVEL else 0.5,
                )
            )
        for i in range(n):
            x, y = pt(MAX_LEVEL, i)
            drawing.add(Line(cx, cy, x, y, strokeColor=grid, strokeWidth=0.6))
        for level in range(1, MAX_LEVEL + 1):
            x, y = pt(level, 0)
            drawing.add(
                String(
                    x + 3,
                    y - 3,
                    str(level),
                    fontName=FONT,
                    fontSize=6.5,
                    fillColor=colors.HexColor(MUTED),
                )
            )
        drawing.add(
            Polygon(
                flat([pt(d.target, i) for i, d in enumerate(dims)]),
                fillColor=None,
                strokeColor=colors.HexColor(TARGET),
                strokeWidth=1.4,
                strokeDashArray=[4, 3],
                strokeLineJoin=1,
            )
        )
        if report.has_trend:
            drawing.add(
                Polygon(
                    flat([pt(_value(d.previous), i) for i, d in enumerate(dims)]),
                    fillColor=None,
                    strokeColor=colors.HexColor(PREVIOUS),
                    strokeWidth=1.2,
                    strokeDashArray=[1.5, 2],
                    strokeLineJoin=1,
                )
            )
        backed = colors.HexColor(BACKED)
        fill = colors.Color(backed.red, backed.green, backed.blue, alpha=0.18)
        drawing.add(
            Polygon(
                flat([pt(_value(d.evidence_backed), i) for i, d in enumerate(dims)]),
                fillColor=fill,
                strokeColor=backed,
                strokeWidth=1.6,
                strokeLineJoin=1,
            )
        )
        for i, d in enumerate(dims):
            x, y = pt(_value(d.evidence_backed), i)
            drawing.add(Circle(x, y, 2, fillColor=backed, strokeColor=None))
    ink, muted = colors.HexColor(INK), colors.HexColor(MUTED)
    size, lead = 7.5, 9
    label_w = max(60.0, (width - 2 * radius) / 2 - 14)
    for i, d in enumerate(dims):
        a = _angle(i, n)
        cos, sin = math.cos(a), -math.sin(a)  # y up
        x, y = pt(MAX_LEVEL, i)
        x += 8 * cos
        y += 8 * sin
        anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
        lines = _rl_wrap(d.title, FONT, size, label_w if anchor != "middle" else 150)
        lines.append(f"{fmt_num(d.evidence_backed, report.lang)} / {d.target}")
        block = lead * len(lines)
        if sin > 0.25:  # top: block above the point
            top = y + block - lead + 2
        elif sin < -0.25:  # bottom: block below
            top = y - lead + 1
        else:
            top = y + block / 2 - lead + 2
        for k, line in enumerate(lines):
            last = k == len(lines) - 1
            drawing.add(
                String(
                    x,
                    top - k * lead,
                    line,
                    fontName=FONT,
                    fontSize=size - 0.5 if last else size,
                    fillColor=muted if last else ink,
                    textAnchor=anchor,
                )
            )
    # legend
    items = [
        (t["legend_backed"], colors.HexColor(BACKED), None),
        (t["legend_target"], colors.HexColor(TARGET), [4, 3]),
    ]
    if report.has_trend:
        items.append((t["legend_previous"], colors.HexColor(PREVIOUS), [1.5, 2]))
    from reportlab.pdfbase.pdfmetrics import stringWidth

    total = sum(22 + stringWidth(label, FONT, 7.5) + 16 for label, _, _ in items) - 16
    x = (width - total) / 2
    for label, colour, dash in items:
        drawing.add(Line(x, 6, x + 16, 6, strokeColor=colour, strokeWidth=2, strokeDashArray=dash))
        drawing.add(String(x + 22, 3.5, label, fontName=FONT, fontSize=7.5, fillColor=ink))
        x += 22 + stringWidth(label, FONT, 7.5) + 16
    return drawing


def gap_bars_drawing(report: Report, width: float):
    """The gap bar chart as a ReportLab Drawing of `width` points (height follows the rows)."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    from .fonts import FONT, register_fonts

    register_fonts()
    dims = report.dimensions
    size, lead = 7.5, 8.5
    label_w = min(230.0, width * 0.46)
    bar_w = width - label_w - 40
    wrapped = [_rl_wrap(d.title, FONT, size, label_w - 10, 2) for d in dims]
    row_hs = [max(16.0, lead * len(lines) + 5) for lines in wrapped]
    axis_h = 12
    height = sum(row_hs) + axis_h + 4
    drawing = Drawing(width, height)
    grid, ink, muted = colors.HexColor(GRID), colors.HexColor(INK), colors.HexColor(MUTED)
    for level in range(MAX_LEVEL + 1):
        x = label_w + bar_w * level / MAX_LEVEL
        drawing.add(
            Line(x, axis_h, x, height - 2, strokeColor=grid, strokeWidth=0.8 if level == 0 else 0.4)
        )
        drawing.add(
            String(
                x, 3, str(level), fontName=FONT, fontSize=6.5, fillColor=muted, textAnchor="middle"
            )
        )
    y = height - 2
    for d, lines, row_h in zip(dims, wrapped, row_hs, strict=True):
        y -= row_h
        mid = y + row_h / 2
        first = mid + lead * (len(lines) - 1) / 2 - 2.5
        for k, line in enumerate(lines):
            drawing.add(
                String(
                    label_w - 8,
                    first - k * lead,
                    line,
                    fontName=FONT,
                    fontSize=size,
                    fillColor=ink,
                    textAnchor="end",
                )
            )
        gap = _value(d.gap)
        w = bar_w * gap / MAX_LEVEL
        drawing.add(
            Rect(label_w, mid - 4.5, bar_w, 9, fillColor=colors.HexColor(TRACK), strokeColor=None)
        )
        if w > 0:
            drawing.add(
                Rect(label_w, mid - 4.5, w, 9, fillColor=colors.HexColor(BAR), strokeColor=None)
            )
        drawing.add(
            String(
                label_w + w + 4,
                mid - 2.6,
                fmt_num(d.gap, report.lang),
                fontName=FONT,
                fontSize=size,
                fillColor=ink,
            )
        )
    return drawing


# --- PNG for the DOCX ---------------------------------------------------------------------


def gap_bars_png(report: Report, width_px: int = 1700) -> bytes:
    """The gap bar chart as a PNG (Pillow, DejaVu Sans), drawn at print resolution.

    The same layout as `gap_bars_drawing`: a label column, a 0–4 scale with grid lines, one bar
    per dimension with its value. Used by the DOCX, whose pictures must be bitmaps.
    """
    import io

    from PIL import Image, ImageDraw, ImageFont

    from .fonts import FONT_DIR

    scale = width_px / 680
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), round(12 * scale))
    small = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), round(11 * scale))
    dims = report.dimensions
    label_w, bar_w, row_h, top = 270 * scale, 320 * scale, 34 * scale, 10 * scale
    height = round(top + row_h * len(dims) + 26 * scale)
    image = Image.new("RGB", (width_px, height), "white")
    draw = ImageDraw.Draw(image)
    for level in range(MAX_LEVEL + 1):
        x = label_w + bar_w * level / MAX_LEVEL
        draw.line(
            [(x, top - 4 * scale), (x, height - 22 * scale)],
            fill=GRID,
            width=max(1, round((1.5 if level == 0 else 1) * scale)),
        )
        draw.text((x, height - 6 * scale), str(level), fill=MUTED, font=small, anchor="ms")
    for i, d in enumerate(dims):
        y = top + i * row_h
        lines = wrap_label(d.title, 40, 2)
        first_y = y + row_h / 2 - (len(lines) - 1) * 7 * scale
        for k, line in enumerate(lines):
            draw.text(
                (label_w - 10 * scale, first_y + k * 14 * scale),
                line,
                fill=INK,
                font=font,
                anchor="rm",
            )
        w = bar_w * _value(d.gap) / MAX_LEVEL
        draw.rectangle([label_w, y + 8 * scale, label_w + bar_w, y + row_h - 8 * scale], fill=TRACK)
        if w > 0:
            draw.rectangle([label_w, y + 8 * scale, label_w + w, y + row_h - 8 * scale], fill=BAR)
        draw.text(
            (label_w + w + 6 * scale, y + row_h / 2),
            fmt_num(d.gap, report.lang),
            fill=INK,
            font=font,
            anchor="lm",
        )
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(254, 254), optimize=True)
    return out.getvalue()


def _dashed(
    draw, points: list[tuple[float, float]], fill: str, width: int, dash: tuple[float, float]
) -> None:
    """A closed dashed polyline (Pillow draws only solid lines)."""
    on, off = dash
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        length = math.hypot(x2 - x1, y2 - y1)
        if length == 0:
            continue
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        pos = 0.0
        while pos < length:
            end = min(pos + on, length)
            draw.line(
                [(x1 + ux * pos, y1 + uy * pos), (x1 + ux * end, y1 + uy * end)],
                fill=fill,
                width=width,
            )
            pos = end + off


def radar_png(
    report: Report, width_pt: float = 482, height_pt: float = 268, px_per_pt: float = 3.5
) -> bytes:
    """The radar chart as a PNG (Pillow), laid out like `radar_drawing`: evidence-backed maturity
    (filled), the target (dashed) and the previous assessment (dotted) on a 0–4 grid."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    from .fonts import FONT_DIR

    s = px_per_pt
    font_path = str(FONT_DIR / "DejaVuSans.ttf")
    font = ImageFont.truetype(font_path, round(7.5 * s))
    small = ImageFont.truetype(font_path, round(6.5 * s))
    t = report.L
    dims = report.dimensions
    n = len(dims)
    w, h = round(width_pt * s), round(height_pt * s)
    image = Image.new("RGBA", (w, h), "white")
    draw = ImageDraw.Draw(image)
    legend_h = 20 * s
    cx, cy = w / 2, (h - legend_h) / 2
    radius = min(w * 0.29, (h - legend_h) / 2 - 34 * s)

    def pt(level: float, i: int) -> tuple[float, float]:
        return _point(cx, cy, radius, level, i, n, y_down=True)

    if n:
        for level in range(1, MAX_LEVEL + 1):
            draw.polygon(
                [pt(level, i) for i in range(n)],
                outline=GRID,
                width=max(1, round((1 if level == MAX_LEVEL else 0.5) * s)),
            )
        for i in range(n):
            draw.line([(cx, cy), pt(MAX_LEVEL, i)], fill=GRID, width=max(1, round(0.6 * s)))
        for level in range(1, MAX_LEVEL + 1):
            x, y = pt(level, 0)
            draw.text((x + 3 * s, y), str(level), fill=MUTED, font=small, anchor="lm")
        _dashed(
            draw,
            [pt(d.target, i) for i, d in enumerate(dims)],
            TARGET,
            round(1.4 * s),
            (4 * s, 3 * s),
        )
        if report.has_trend:
            _dashed(
                draw,
                [pt(_value(d.previous), i) for i, d in enumerate(dims)],
                PREVIOUS,
                round(1.2 * s),
                (1.5 * s, 2 * s),
            )
        backed = [pt(_value(d.evidence_backed), i) for i, d in enumerate(dims)]
        overlay = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        ImageDraw.Draw(overlay).polygon(backed, fill=(0x1D, 0x5A, 0x8A, 46))
        image = Image.alpha_composite(image, overlay)
        draw = ImageDraw.Draw(image)
        draw.line(backed + backed[:1], fill=BACKED, width=round(1.6 * s), joint="curve")
        for x, y in backed:
            draw.ellipse([x - 2 * s, y - 2 * s, x + 2 * s, y + 2 * s], fill=BACKED)
    lead = 9 * s
    for i, d in enumerate(dims):
        a = _angle(i, n)
        cos, sin = math.cos(a), math.sin(a)  # y down
        x, y = pt(MAX_LEVEL, i)
        x += 8 * s * cos
        y += 8 * s * sin
        anchor = "l" if cos > 0.25 else "r" if cos < -0.25 else "m"
        lines = wrap_label(d.title, 30 if anchor != "m" else 40)
        lines.append(f"{fmt_num(d.evidence_backed, report.lang)} / {d.target}")
        block = lead * len(lines)
        top = y - block if sin < -0.25 else y if sin > 0.25 else y - block / 2
        for k, line in enumerate(lines):
            last = k == len(lines) - 1
            draw.text(
                (x, top + k * lead + lead / 2),
                line,
                fill=MUTED if last else INK,
                font=small if last else font,
                anchor=f"{anchor}m",
            )
    items = [(t["legend_backed"], BACKED, None), (t["legend_target"], TARGET, (4 * s, 3 * s))]
    if report.has_trend:
        items.append((t["legend_previous"], PREVIOUS, (1.5 * s, 2 * s)))
    total = sum(22 * s + draw.textlength(label, font=font) + 16 * s for label, _, _ in items)
    x = (w - total + 16 * s) / 2
    y = h - 8 * s
    for label, colour, dash in items:
        if dash is None:
            draw.line([(x, y), (x + 16 * s, y)], fill=colour, width=round(2 * s))
        else:
            on, off = dash
            pos = 0.0
            while pos < 16 * s:
                draw.line(
                    [(x + pos, y), (x + min(pos + on, 16 * s), y)], fill=colour, width=round(2 * s)
                )
                pos += on + off
        draw.text((x + 22 * s, y), label, fill=INK, font=font, anchor="lm")
        x += 22 * s + draw.textlength(label, font=font) + 16 * s
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", dpi=(round(72 * s), round(72 * s)), optimize=True)
    return out.getvalue()
